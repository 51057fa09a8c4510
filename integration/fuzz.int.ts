// Integration: the socket fuzzer (fuzz/) against the real server process for a few seconds: raw TCP
// connections writing hostile WebSocket frames and HTTP requests (seed 1, 2,000 frames) beside five
// honest bots. The long run is `npm run fuzz`; this is its bounded, seeded slice in `npm test`.
import { CloseCode } from '@tickwire/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RunSummary, runFuzz } from '../fuzz/src/run.js';

const FRAMES = 2000;
const BOTS = 5;

/** Codes the server may send that are not its own table's: ws's for broken framing (PROTOCOL.md, Close codes). */
const WS_LAYER_CODES = [1002];

describe(`the socket fuzzer: ${FRAMES} frames at seed 1 beside ${BOTS} honest bots`, () => {
  let run: RunSummary;

  beforeAll(async () => {
    run = await runFuzz({ frames: FRAMES, seed: 1, bots: BOTS, connections: 16 });
    console.log(
      `fuzz.int: ${run.tally.framesSent} frames, ${run.tally.connections} connections in ${(run.tally.elapsedMs / 1000).toFixed(1)} s`,
    );
  });

  it('the server process never exited and /healthz answers at the end', () => {
    expect({ crashes: run.crashes, exit: run.exit, stderr: run.serverStderr, last: run.tally.recent }).toMatchObject({
      crashes: 0,
      exit: null,
    });
    expect(run.healthAnswered).toBe(true);
    expect(run.tally.refused).toBe(0);
  });

  it('sent every frame, reached the playing state, and met refusals of each kind', () => {
    expect(run.tally.framesSent).toBeGreaterThanOrEqual(FRAMES);
    expect(run.tally.openings.accepted).toBeGreaterThan(0);
    expect(run.tally.httpRequests).toBeGreaterThan(0);
    const keys = Object.keys(run.tally.outcomes);
    expect(keys).toEqual(expect.arrayContaining(['ws 4001', 'ws 4002', 'ws 1002', 'ws 1009', 'http 404']));
  });

  it('every close the server started carries a documented code', () => {
    const documented = new Set<number>([...Object.values(CloseCode), ...WS_LAYER_CODES]);
    const undocumented = Object.keys(run.tally.outcomes)
      .filter((key) => key.startsWith('ws ') && !key.endsWith('(echo)'))
      .filter((key) => !documented.has(Number(key.slice(3))));
    expect(undocumented).toEqual([]);
  });

  it('the honest bots all joined, and none was disconnected or saw a protocol error', () => {
    // Their snapshot-interval p99 is in the summary (npm run fuzz judges it); a test asserts no wall-clock bound.
    expect(run.bots.summary).toMatchObject({ joins: BOTS, disconnects: 0, protocolErrors: 0 });
    expect(run.botsUndisturbed).toBe(true);
  });
});
