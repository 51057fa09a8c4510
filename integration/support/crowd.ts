// Idle players for integration tests that need a big world: raw sockets that say HELLO and then only
// read (ws answers pings by itself) and acknowledge, reading no more of a frame than a snapshot's
// tick. Created once per test file; cheap per frame.
import {
  ClientMessageId,
  decodeServerFrame,
  encodeClientMessage,
  type MatchmakeBody,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  peekSnapshotTick,
  ServerMessageId,
} from '@tickwire/protocol';
import { WebSocket } from 'ws';
import { AckSchedule } from '../../client/src/net/ackSchedule.js';
import { withTimeout } from './events.js';
import { joinSeat, type Ticket } from './seats.js';
import { EVENT_TIMEOUT_MS } from './testClient.js';

/** Sockets opened at once while joining, so the server's accept queue is never the bottleneck. */
const JOIN_BATCH = 20;

export class IdleCrowd {
  private constructor(private readonly sockets: WebSocket[]) {}

  /**
   * Join `count` idle players, each with its own seat from POST /matchmake `body` on `serverUrl`
   * (each waits for its first server message, the WELCOME).
   */
  static async join(
    serverUrl: string,
    count: number,
    body: MatchmakeBody = { mode: 'joinOrCreate' },
    namePrefix = 'idle',
  ): Promise<IdleCrowd> {
    const crowd = new IdleCrowd([]);
    for (let start = 0; start < count; start += JOIN_BATCH) {
      const batch = Array.from({ length: Math.min(JOIN_BATCH, count - start) }, async (_, i) =>
        crowd.joinOne(await joinSeat(serverUrl, body), `${namePrefix}${start + i}`),
      );
      await Promise.all(batch);
    }
    return crowd;
  }

  get size(): number {
    return this.sockets.length;
  }

  /** How many are still open. */
  get openCount(): number {
    return this.sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  private joinOne(ticket: Ticket, name: string): Promise<void> {
    const ws = new WebSocket(ticket.wsUrl, { perMessageDeflate: false });
    ws.on('error', () => {});
    this.sockets.push(ws);
    const welcomed = new Promise<void>((resolve, reject) => {
      ws.once('open', () =>
        ws.send(
          encodeClientMessage({
            id: ClientMessageId.HELLO,
            protocolVersion: PROTOCOL_VERSION,
            name,
            seat: ticket.seat,
          }),
        ),
      );
      // On the net client's schedule: a player that never acked would be skipped, then closed with 4009.
      let acks: AckSchedule | undefined;
      ws.once('message', (data: Buffer) => {
        const welcome = decodeServerFrame(data, newSnapshotHeaderState());
        if (welcome.ok && welcome.message.id === ServerMessageId.WELCOME)
          acks = new AckSchedule(welcome.message.tickRate);
        resolve();
      });
      let heldTick = 0;
      ws.on('message', (data: Buffer) => {
        const tick = peekSnapshotTick(data, heldTick);
        if (tick !== undefined) heldTick = tick;
        const now = performance.now();
        if (tick === undefined || acks === undefined || !acks.due(tick, now)) return;
        acks.sent(tick, now);
        ws.send(encodeClientMessage({ id: ClientMessageId.ACK, ackTick: tick }));
      });
      ws.once('close', (code) => reject(new Error(`idle player ${name} closed with ${code} before WELCOME`)));
    });
    return withTimeout(welcomed, EVENT_TIMEOUT_MS, `WELCOME for ${name}`);
  }

  /** Close every socket with 1000 and wait for the closes. */
  async close(): Promise<void> {
    const closes = this.sockets.map((ws) => {
      if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close(1000);
      return withTimeout(closed, EVENT_TIMEOUT_MS, 'an idle player to close');
    });
    await Promise.all(closes);
  }
}
