// SnapshotSender's shared staging buffer: every client that shares a body gets its frame from one
// buffer (its header written just before the body), and a socket that keeps a frame queued keeps
// its bytes intact because the next client then gets a fresh buffer.
import { decodeServerFrame, newSnapshotHeaderState, type Pong, ServerMessageId } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { type SnapshotClient, SnapshotSender } from '../src/snapshot/snapshotSender.js';

class ViewKeepingClient implements SnapshotClient {
  baselineTick = 0;
  readonly headerSent = newSnapshotHeaderState();
  ackTick = 0;
  backedUpSinceMs: number | undefined;
  pendingPong: Pong | undefined;
  readonly inputs: { length: number; dropped: number; lastTakenSeq: number; starved: number };
  /** What a socket holds on to: views into the sender's buffer, never copies. */
  readonly views: Uint8Array[] = [];
  readonly buffers = new Set<ArrayBufferLike>();
  /** Bytes this socket reports still queued after a write (a write the kernel did not take whole). */
  queuedAfterWrite = 0;
  bufferedAmount = 0;

  constructor(lastAppliedInputSeq: number) {
    this.inputs = { length: 0, dropped: 0, lastTakenSeq: lastAppliedInputSeq, starved: 0 };
  }

  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    expect(start).toBeGreaterThanOrEqual(10);
    this.views.push(buffer.subarray(start, end));
    this.buffers.add(buffer.buffer);
    this.bufferedAmount = this.queuedAfterWrite;
  }

  /** lastInputSeq as read from `view`: every frame up to it is decoded in order, as a client does. */
  seqOf(view: Uint8Array): number {
    const held = newSnapshotHeaderState();
    for (const each of this.views) {
      const decoded = decodeServerFrame(each, held);
      if (!decoded.ok || decoded.message.id !== ServerMessageId.SNAPSHOT) throw new Error('not a snapshot frame');
      if (each === view) return decoded.message.lastInputSeq;
    }
    throw new Error('not a frame of this client');
  }
}

function sender() {
  return new SnapshotSender<ViewKeepingClient>({
    capacity: 8,
    maxEntityId: 8,
    ringSize: 4,
    bounds: { maxX: 1000, maxY: 1000 },
    backpressureBytes: 1_000_000,
    ackLagLimitTicks: 1000,
    backpressureTimeoutMs: 5000,
    onSlowClient: () => {},
  });
}

describe('SnapshotSender staging', () => {
  it('sends every client of one body from one buffer, allocating per body, not per client', () => {
    const s = sender();
    const clients = Array.from({ length: 20 }, (_, i) => new ViewKeepingClient(i + 1));
    for (let tick = 1; tick <= 5; tick++) s.send(s.beginSnapshot(tick), clients, tick * 33, () => tick);
    // Tick 1: one full body for all; ticks 2–5: one delta body each.
    expect(s.counters.frameBufferAllocations).toBe(5);
    expect(s.counters.bodyEncodes).toBe(5);
    const lastTick = new Set(clients.map((client) => [...client.buffers].at(-1)));
    expect(lastTick.size).toBe(1);
    // Each client's newest frame is intact (the last write into the shared buffer was its header or a later one).
    expect(clients.at(-1)!.seqOf(clients.at(-1)!.views.at(-1)!)).toBe(20);
  });

  it('gives the next client a fresh buffer when a socket keeps its frame queued, so those bytes stay intact', () => {
    const s = sender();
    const clients = Array.from({ length: 4 }, (_, i) => new ViewKeepingClient(i + 1));
    clients[1]!.queuedAfterWrite = 100;
    s.send(s.beginSnapshot(1), clients, 0, () => 1);
    // Clients 0 and 1 shared a buffer; client 1's write stayed queued, so 2 and 3 got another.
    expect(s.counters.frameBufferAllocations).toBe(2);
    // Client 1's queued frame survived the headers written for 2 and 3 (a socket that reported nothing
    // queued, like client 2, may not keep its view: its bytes were the next header's to overwrite).
    expect(clients[1]!.seqOf(clients[1]!.views[0]!)).toBe(2);
    expect(clients[3]!.seqOf(clients[3]!.views[0]!)).toBe(4);
    expect([...clients[1]!.buffers][0]).not.toBe([...clients[2]!.buffers][0]);
    expect([...clients[2]!.buffers][0]).toBe([...clients[3]!.buffers][0]);
  });

  it("sends a client's header against what its previous frame said: the seq once, then nothing while it holds", () => {
    const s = sender();
    const client = new ViewKeepingClient(7);
    for (let tick = 1; tick <= 3; tick++) s.send(s.beginSnapshot(tick), [client], tick * 33, () => tick);
    const [first, second, third] = client.views;
    // Full: [65, head 3 (TICK + INPUT_SEQ), tick 1, seq +7, body…]; deltas: [65, head 0, baseAge 1, …].
    expect([...first!.subarray(0, 5)]).toEqual([0x9a, 65, 3, 1, 7]);
    expect([...second!.subarray(0, 4)]).toEqual([0x98, 65, 0, 1]);
    expect([...third!.subarray(0, 4)]).toEqual([0x98, 65, 0, 1]);
    expect(client.seqOf(third!)).toBe(7);
    expect(client.headerSent).toMatchObject({ tick: 3, lastInputSeq: 7 });
  });
});
