// The whole receive path under generated hostile input, in process: WebSocket frames cut into random
// TCP chunks, through the direct frame reader and ws's Receiver, the decoders and validator, into a
// Room that ticks beside two honest players. Seeded; a few seconds per run of `npm test`.
import { ClientMessageId, CloseCode, encodeClientMessage, PROTOCOL_VERSION, ServerMessageId } from '@tickwire/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { Room } from '../src/room/room.js';
import type { Session } from '../src/session/session.js';
import { encodeStr } from './support/fuzz/msgpackArb.js';
import { MAX_CLOSE_REASON_BYTES, StrictSocket, WireConnection, wsAcceptsCode } from './support/fuzz/wireConnection.js';
import { cut, dataFrame, FIN, frameBytes, Opcode, type WireFrame, wireFramesArb } from './support/fuzz/wsFrameArb.js';

/** Fixed, so a failure in CI is the same failure on a laptop; change it to explore. */
const SEED = 12;
/** About 3 s on the 2-core machine (a case builds a room and runs a few ticks); with seed 1–10 the
 * unfixed close reason (see the second test) fell after 23–277 cases. */
const RUNS = 300;
/** Only a guard against a hung run, far above the few seconds a run takes on a loaded machine. */
const GUARD_MS = 60_000;
/** Ticks after the last hostile chunk in which the honest players must each apply a snapshot per tick. */
const TICKS_AFTER = 3;

const documentedCodes = new Set<number>(Object.values(CloseCode));

type FuzzState = 'awaiting-hello' | 'playing';

interface Step {
  /** Which fuzzed connection writes. */
  connection: number;
  frames: WireFrame[];
  /** Where the step's bytes are cut into TCP chunks. */
  cuts: number[];
  /** Ticks run after the step. */
  ticks: number;
}

const maskArb = fc.uint8Array({ minLength: 4, maxLength: 4 });

const caseArb = fc.record({
  states: fc.array(fc.constantFrom<FuzzState>('awaiting-hello', 'playing'), { minLength: 1, maxLength: 3 }),
  debugState: fc.boolean(),
  mask: maskArb,
  steps: fc.array(
    fc.record({
      connection: fc.nat({ max: 2 }),
      frames: fc.array(wireFramesArb, { minLength: 1, maxLength: 3 }).map((groups) => groups.flat()),
      cuts: fc.array(fc.nat({ max: 10_000 }), { maxLength: 4 }),
      ticks: fc.nat({ max: 2 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

/** A room at a fake clock, two honest players who input and ack every tick, and `states.length` wire connections. */
function arena(states: readonly FuzzState[], debugState: boolean, mask: Uint8Array) {
  const config = { ...defaultConfig(), scenario: 'arena' as const, maxPlayers: 8, debugState };
  let now = 0;
  let tick = 0;
  const clock = () => now;
  const room = new Room(config, silentLogger, clock);
  const honest: { socket: StrictSocket; session: Session; seq: number }[] = [];
  for (const name of ['alice', 'bob']) {
    const socket = new StrictSocket();
    const session = room.open(socket, now);
    room.receive(
      session,
      encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name, seat: '' }),
      true,
      now,
    );
    honest.push({ socket, session, seq: 0 });
  }
  const connections = states.map((state, i) => {
    const connection = new WireConnection(room, clock, config.maxFrameBytes);
    if (state === 'playing') {
      const hello = encodeClientMessage({
        id: ClientMessageId.HELLO,
        protocolVersion: PROTOCOL_VERSION,
        name: `fuzz${i}`,
        seat: '',
      });
      connection.write(Buffer.from(frameBytes(dataFrame(FIN | Opcode.binary, hello, mask))));
    }
    return connection;
  });
  const runTicks = (n: number) => {
    for (let i = 0; i < n; i++) {
      for (const player of honest) {
        const ackTick = player.socket.applied.at(-1)?.tick ?? 0;
        const input = { seq: ++player.seq, ackTick, tick: 0, moveX: 1, moveY: 0, buttons: 0, aimAngle: 0, viewTick: 0 };
        room.receive(player.session, encodeClientMessage({ id: ClientMessageId.INPUT, ...input }), true, now);
      }
      tick++;
      now += 1000 / config.tickRate;
      room.runTick(tick, now);
    }
  };
  return { room, honest, connections, runTicks, ticksRun: () => tick };
}

/** Everything the server did to `socket` that ws would refuse or a client could not read. */
function problems(socket: StrictSocket): string[] {
  const out = [...socket.violations];
  for (const { code, reason } of socket.closeCalls) {
    if (!documentedCodes.has(code)) out.push(`close code ${code} is not in CloseCode`);
    if (!wsAcceptsCode(code)) out.push(`close code ${code} is one ws refuses`);
    const bytes = Buffer.byteLength(reason);
    if (bytes > MAX_CLOSE_REASON_BYTES) out.push(`close reason of ${bytes} UTF-8 bytes: ${JSON.stringify(reason)}`);
  }
  return out;
}

function runCase({
  states,
  debugState,
  mask,
  steps,
}: {
  states: FuzzState[];
  debugState: boolean;
  mask: Uint8Array;
  steps: Step[];
}) {
  const { room, honest, connections, runTicks, ticksRun } = arena(states, debugState, mask);
  runTicks(1);
  for (const step of steps) {
    const connection = connections[step.connection % connections.length]!;
    const bytes = Buffer.concat(step.frames.map(frameBytes));
    for (const chunk of cut(bytes, step.cuts)) connection.write(chunk);
    runTicks(step.ticks);
  }
  const before = honest.map((player) => player.socket.applied.length);
  runTicks(TICKS_AFTER);
  for (const connection of connections) expect(problems(connection.socket)).toEqual([]);
  for (const [i, player] of honest.entries()) {
    expect(player.socket.closed).toBeUndefined();
    expect(problems(player.socket)).toEqual([]);
    // Snapshots every tick at the default rates: the honest players see the room carry on.
    expect(player.socket.applied.length - before[i]!).toBe(TICKS_AFTER);
  }
  expect(room.tick).toBe(ticksRun());
  expect(room.playerCount).toBeGreaterThanOrEqual(2);
}

describe('the receive path, from TCP chunks to the room, under generated hostile frames', () => {
  it(
    'never throws, closes only with documented codes and reasons ws accepts, and the room and its honest players carry on',
    () => {
      fc.assert(
        fc.property(caseArb, (generated) => {
          runCase(generated);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    GUARD_MS,
  );

  it(
    'generates cases that the server closes, that ws refuses, and that reach the playing state',
    () => {
      // Coverage of the generator itself, so a change that makes it tame fails here.
      const seen = { closedByServer: 0, closedByWs: 0, welcomed: 0 };
      fc.assert(
        fc.property(caseArb, (generated) => {
          const { connections } = arena(generated.states, generated.debugState, generated.mask);
          for (const step of generated.steps) {
            for (const chunk of cut(Buffer.concat(step.frames.map(frameBytes)), step.cuts)) {
              connections[step.connection % connections.length]!.write(chunk);
            }
          }
          for (const { socket } of connections) {
            if (socket.closeCalls.length > 0) seen.closedByServer++;
            if (socket.closedByWs !== undefined) seen.closedByWs++;
            if (socket.received.some((message) => message.id === ServerMessageId.WELCOME)) seen.welcomed++;
          }
        }),
        { seed: SEED + 1, numRuns: 100 },
      );
      expect(seen.closedByServer).toBeGreaterThan(50);
      expect(seen.closedByWs).toBeGreaterThan(10);
      expect(seen.welcomed).toBeGreaterThan(20);
    },
    GUARD_MS,
  );

  it('finds the non-ASCII close reason: "€" × 60 and one trailing byte before HELLO', () => {
    const { connections, honest, runTicks } = arena(['awaiting-hello'], false, Uint8Array.of(1, 2, 3, 4));
    const payload = Uint8Array.from([...encodeStr([...Buffer.from('€'.repeat(60))], 8), 0]);
    expect(payload.length).toBe(183);
    connections[0]!.write(Buffer.from(frameBytes(dataFrame(FIN | Opcode.binary, payload, Uint8Array.of(1, 2, 3, 4)))));
    runTicks(1);
    expect(problems(connections[0]!.socket)).toEqual([]);
    expect(connections[0]!.socket.closed?.code).toBe(CloseCode.UNDECODABLE);
    expect(honest[0]!.socket.closed).toBeUndefined();
  });
});
