// Test harness for load: a room full of players whose sockets drop what they are sent, each sending
// one input per tick (turning slowly, so deltas stay non-empty). Time is passed in: fake tick times,
// and a clock of the caller's choosing for the timings.
import { ClientMessageId, encodeClientMessage, PROTOCOL_VERSION } from '@tickwire/protocol';
import { defaultConfig, type ServerConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { Room } from '../../src/room/room.js';
import type { Session } from '../../src/session/session.js';

/** The newest snapshot tick at or before `tick`, as Room schedules snapshots (0 before the first). */
function newestSnapshotTick(tick: number, tickRate: number, snapshotRate: number): number {
  for (let k = tick; k > 0; k--) {
    if (Math.floor((k * snapshotRate) / tickRate) !== Math.floor(((k - 1) * snapshotRate) / tickRate)) return k;
  }
  return 0;
}

/** An INPUT that moves (no buttons, aim 0, no lag compensation): what the load harnesses send. */
export function moveInput(seq: number, ackTick: number, moveX: number, moveY: number): Uint8Array {
  return encodeClientMessage({
    id: ClientMessageId.INPUT,
    seq,
    ackTick,
    tick: 0,
    moveX,
    moveY,
    buttons: 0,
    aimAngle: 0,
    viewTick: 0,
  });
}

/**
 * One INPUT per player for each of `n` ticks from `firstTick` on (frames[k][i]: player i's input for
 * tick firstTick + k, seq = that tick). Players turn slowly, so deltas are never empty. Each input
 * acknowledges the newest snapshot before its tick, as a client that keeps up does (one that never
 * acked would have its snapshots skipped after two seconds, and the load would not be the load).
 */
export function crowdInputs(
  players: number,
  firstTick: number,
  n: number,
  rates: { tickRate: number; snapshotRate: number } = { tickRate: 30, snapshotRate: 30 },
): Uint8Array[][] {
  return Array.from({ length: n }, (_, k) =>
    Array.from({ length: players }, (_, i) => {
      const tick = firstTick + k;
      const angle = i + tick / 20;
      return moveInput(
        tick,
        newestSnapshotTick(tick - 1, rates.tickRate, rates.snapshotRate),
        Math.cos(angle),
        Math.sin(angle),
      );
    }),
  );
}

export function makeCrowdRoom(
  players: number,
  overrides: Partial<ServerConfig> = {},
  clock: () => number = () => performance.now(),
) {
  const config = { ...defaultConfig(), scenario: 'arena' as const, maxPlayers: Math.max(players, 1), ...overrides };
  const room = new Room(config, silentLogger, clock);
  const socket = { send() {}, close() {}, queuedBytes: 0 };
  let nowMs = 0;
  let tick = 0;
  const sessions: Session[] = [];
  for (let i = 0; i < players; i++) {
    const session = room.open(socket, nowMs);
    const hello = encodeClientMessage({
      id: ClientMessageId.HELLO,
      protocolVersion: PROTOCOL_VERSION,
      name: `p${i}`,
      seat: '',
    });
    room.receive(session, hello, true, nowMs);
    sessions.push(session);
  }
  return {
    room,
    config,
    sessions,
    /**
     * Run `n` ticks, one tick period of fake time apart, each after one input from every player.
     * The inputs are encoded first, so the loop that runs the ticks allocates little of its own.
     */
    ticks(n: number, latenessMs = 0) {
      const frames = crowdInputs(sessions.length, tick + 1, n, config);
      for (const inputs of frames) {
        tick++;
        for (let i = 0; i < sessions.length; i++) room.receive(sessions[i]!, inputs[i]!, true, nowMs);
        nowMs += 1000 / config.tickRate;
        room.runTick(tick, nowMs + latenessMs, nowMs);
      }
    },
  };
}
