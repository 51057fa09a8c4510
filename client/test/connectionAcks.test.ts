// Connection acknowledging snapshots from its message handler (ACK, id 7): at least every 250 ms
// while snapshots arrive and nothing else acks them, with no INPUT and no frame loop (a hidden tab).
import { ClientMessageId } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { ACK_INTERVAL_MS } from '../src/net/ackSchedule.js';
import { Connection } from '../src/net/connection.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

function connection(decodeSnapshots: 'full' | 'header' = 'full') {
  const socket = new FakeSocket();
  let now = 0;
  const errors: string[] = [];
  const client = new Connection(socket, {
    name: 'hidden',
    seat: '',
    now: () => now,
    decodeSnapshots,
    onProtocolError: (reason) => errors.push(reason),
  });
  socket.deliver(welcomeMessage());
  const acks = () => socket.sent.filter((m) => m.id === ClientMessageId.ACK).map((m) => m.ackTick);
  return {
    socket,
    client,
    errors,
    acks,
    /** A snapshot of `tick` arrives at `atMs`: only the message handler runs, as in a hidden tab. */
    arrive(tick: number, atMs: number) {
      now = atMs;
      socket.deliver(emptySnapshot(tick));
    },
  };
}

describe('Connection acknowledgements', () => {
  it('acks from the message handler alone, at least every 250 ms while snapshots arrive, with the newest tick', () => {
    const t = connection();
    // 30 snapshots a second for 3 s, nothing else running: no INPUT, no update().
    for (let tick = 1; tick <= 90; tick++) t.arrive(tick, tick * (1000 / 30));
    const acks = t.acks();
    expect(acks[0]).toBe(1);
    expect(acks.length).toBeGreaterThanOrEqual(3000 / ACK_INTERVAL_MS - 1);
    // Each ACK names the snapshot that triggered it: the first at or after 250 ms since the last ACK.
    expect(acks).toEqual([1, 9, 17, 25, 33, 41, 49, 57, 65, 73, 81, 89]);
    expect(t.socket.sent.some((m) => m.id === ClientMessageId.INPUT)).toBe(false);
    expect(t.errors).toEqual([]);
  });

  it('sends no ACK while INPUTs carry the newest ack, and acks again once they stop', () => {
    const t = connection();
    for (let tick = 1; tick <= 30; tick++) {
      t.arrive(tick, tick * 33);
      t.client.sendInput(0, 0);
    }
    const before = t.acks().length; // the very first snapshot may be acked before its first input
    expect(before).toBeLessThanOrEqual(1);
    for (let tick = 31; tick <= 60; tick++) t.arrive(tick, tick * 33);
    expect(t.acks().length).toBeGreaterThan(before);
    expect(t.acks().at(-1)).toBeGreaterThan(30);
  });

  it('acks a burst of snapshots (a reader catching up) every 250 ms of server ticks, so the last is never far behind', () => {
    const t = connection();
    t.arrive(1, 0);
    // 90 snapshots (three seconds of ticks) read within one millisecond, as after a stall.
    for (let tick = 2; tick <= 91; tick++) t.arrive(tick, 1000 + tick / 100);
    const acks = t.acks();
    expect(acks.slice(0, 3)).toEqual([1, 2, 10]);
    // Never more than 250 ms of ticks (8 at 30 Hz) between two acks, nor after the last one.
    for (let i = 1; i < acks.length; i++) expect(acks[i]! - acks[i - 1]!).toBeLessThanOrEqual(8);
    expect(91 - acks.at(-1)!).toBeLessThan(8);
  });

  it('acks from the header-only path too (load bots)', () => {
    const t = connection('header');
    for (let tick = 1; tick <= 30; tick++) t.arrive(tick, tick * 33);
    expect(t.acks()).toEqual([1, 9, 17, 25]);
  });
});
