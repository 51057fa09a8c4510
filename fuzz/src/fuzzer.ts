// The socket fuzzer's traffic: `connections` workers at once, each opening raw TCP connections to
// 127.0.0.1 and carrying out one plan per connection (plan.ts), until `frames` WebSocket frames are
// written or the server is gone. Tallies how every connection ended. Runs once per fuzz run.
import { cut, dataFrame, FIN, frameBytes, Opcode, type WireFrame } from '../../server/test/support/fuzz/wsFrameArb.js';
import type { Door, Opening } from './opening.js';
import { type Plan, PlanSource } from './plan.js';
import { type Outcome, RawConnection } from './rawConnection.js';

export interface FuzzOptions {
  port: number;
  /** WebSocket frames to write in all, then stop. */
  frames: number;
  seed: number;
  /** Connections open at once (each one file descriptor here and one in the server). */
  connections: number;
  opening: Opening;
  /** False once the server process has exited: the workers stop. */
  serverAlive(): boolean;
  /** How long to wait for a status line, or for the opening. @default 2000 ms */
  answerTimeoutMs?: number;
  /** How long to wait for the server to close after the last frame before closing from this side. @default 100 ms */
  settleMs?: number;
}

export interface FuzzTally {
  framesSent: number;
  /** TCP connections opened (HTTP requests and WebSocket connections). */
  connections: number;
  httpRequests: number;
  openings: { tried: number; accepted: number };
  /** How connections ended: "ws 4001", "http 404", "dropped", "open", "no door" (no seat to be had), counted. */
  outcomes: Record<string, number>;
  /** Connections refused: the server stopped listening. */
  refused: number;
  /** The last plans started, newest last: what to replay when the server died. */
  recent: string[];
  elapsedMs: number;
}

const RECENT = 16;
/** The dashboard's socket, fuzzed now and then beside the game's. */
const DASHBOARD_WS_PATH = '/dashboard/ws';

export async function fuzz(options: FuzzOptions): Promise<FuzzTally> {
  const answerTimeoutMs = options.answerTimeoutMs ?? 2000;
  const settleMs = options.settleMs ?? 100;
  const plans = new PlanSource(options.seed);
  const tally: FuzzTally = {
    framesSent: 0,
    connections: 0,
    httpRequests: 0,
    openings: { tried: 0, accepted: 0 },
    outcomes: {},
    refused: 0,
    recent: [],
    elapsedMs: 0,
  };
  const started = performance.now();
  let next = 0;
  const going = () => tally.framesSent < options.frames && tally.refused === 0 && options.serverAlive();

  const note = (index: number, plan: Plan) => {
    tally.recent.push(`#${index} ${describe(plan)}`);
    if (tally.recent.length > RECENT) tally.recent.shift();
  };
  /** `echoes`: close codes the plan's own close frames carried; ws sends those back (RFC 6455 §5.5.1). */
  const count = (outcome: Outcome, echoes: readonly number[] = []) => {
    const key =
      outcome.kind === 'http'
        ? `http ${outcome.status}`
        : outcome.kind === 'close'
          ? `ws ${outcome.code}${echoes.includes(outcome.code) ? ' (echo)' : ''}`
          : outcome.kind;
    tally.outcomes[key] = (tally.outcomes[key] ?? 0) + 1;
  };

  async function runOne(index: number, plan: Plan): Promise<void> {
    let connection: RawConnection;
    try {
      connection = await RawConnection.open(options.port);
    } catch {
      tally.refused++;
      return;
    }
    tally.connections++;
    try {
      if (plan.kind === 'http') {
        tally.httpRequests++;
        connection.write(plan.request);
        await connection.until(() => connection.status !== undefined, answerTimeoutMs);
        return count(connection.outcome());
      }
      // The dashboard's socket has no HELLO: the opening is for game sockets only.
      const opening = plan.opening && plan.socket === 'game';
      let door: Door = { path: DASHBOARD_WS_PATH, seat: '' };
      if (plan.socket === 'game') {
        try {
          door = await options.opening.door(index, opening);
        } catch {
          // No room to fuzz this time (a matchmaking refusal): counted, and the next plan tries again.
          tally.outcomes['no door'] = (tally.outcomes['no door'] ?? 0) + 1;
          return;
        }
      }
      connection.write(RawConnection.upgradeRequest(door.path, options.port));
      await connection.until(() => connection.status !== undefined, answerTimeoutMs);
      if (connection.status !== 101) return count(connection.outcome());
      if (opening) {
        tally.openings.tried++;
        const mask = Uint8Array.of(index & 0xff, 0x5a, 0xa5, 0x3c);
        const channel = {
          connection,
          sendBinary: (payload: Uint8Array) =>
            connection.write(frameBytes(dataFrame(FIN | Opcode.binary, payload, mask))),
        };
        if (await options.opening.enter(channel, index, answerTimeoutMs, door)) tally.openings.accepted++;
      }
      const bytes = Buffer.concat(plan.frames.map(frameBytes));
      const chunks = cut(bytes, plan.cuts);
      for (const [i, chunk] of chunks.entries()) {
        if (!connection.write(chunk)) break;
        // A pause between writes, so the pieces reach the server as separate TCP segments.
        if (i < chunks.length - 1) await new Promise((resolve) => setImmediate(resolve));
      }
      tally.framesSent += plan.frames.length;
      await connection.until(() => connection.closeCode !== undefined, settleMs);
      count(connection.outcome(), closeCodesIn(plan.frames));
    } finally {
      connection.destroy();
    }
  }

  async function worker(): Promise<void> {
    while (going()) {
      const index = next++;
      const plan = plans.plan(index);
      note(index, plan);
      await runOne(index, plan);
    }
  }

  await Promise.all(Array.from({ length: options.connections }, worker));
  tally.elapsedMs = performance.now() - started;
  return tally;
}

/** The codes of the close frames among `frames` (1005 for one without a code, as ws echoes it). */
function closeCodesIn(frames: readonly WireFrame[]): number[] {
  return frames
    .filter((frame) => (frame.first & 0x0f) === Opcode.close)
    .map((frame) => (frame.payload.length >= 2 ? (frame.payload[0]! << 8) | frame.payload[1]! : 1005));
}

/** One line for the crash report: enough to replay the plan (hex of the first bytes). */
function describe(plan: Plan): string {
  if (plan.kind === 'http') {
    const text = plan.request.toString('latin1');
    return `http ${JSON.stringify(text.slice(0, text.indexOf('\n') === -1 ? 120 : Math.min(120, text.indexOf('\n'))))}`;
  }
  const frames = plan.frames.map((frame) => Buffer.from(frameBytes(frame)).subarray(0, 48).toString('hex'));
  return `ws ${plan.socket}${plan.opening && plan.socket === 'game' ? ' after HELLO' : ''} frames ${frames.join(' ')}`;
}
