// Integration: game bots (the bot CLI, client/src/bot/main.ts, with prediction on) over a simulated
// 150 ± 30 ms link (120 ms + up to 60 ms) against the real game server, until some have died and
// respawned: the respawns are counted as unpredictable corrections, not as mispredictions, and the
// one-tick corrections of the bots' fixed 33 ms schedule as dropped or starved input. Once per run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from './support/events.js';
import { type ScriptProcess, startScript } from './support/scriptProcess.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';

const BOTS = 6;
/** The bots stop by themselves after this long if the respawns never come. @default 120 s */
const MAX_SECONDS = 120;
/** Respawns (all bots) to wait for before stopping the bots. */
const RESPAWNS = 2;
/** Past the bots' own end, the process is killed. @default 30 000 ms */
const EXIT_TIMEOUT_MS = 30_000;
/** One tick's travel at top speed: 200 units/s at 30 Hz, quantized to 1/16 unit (107 quanta). */
const STEP_UNITS = 107 / 16;

interface Corrections {
  mispredictions: number;
  maxMispredictionUnits: number;
  droppedInputCorrections: number;
  starvedInputCorrections: number;
  unpredictable: number;
  unpredictableCauses: Record<string, number>;
  maxUnpredictableUnits: number;
}

type BotRecord = Corrections & { type: string; disconnects: number; joins: number };

function records(bots: ScriptProcess): BotRecord[] {
  return bots.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as BotRecord);
}

describe(`${BOTS} game bots over a 150 ± 30 ms link until ${RESPAWNS} respawns`, () => {
  let server: ServerProcess;
  let summary: BotRecord;

  beforeAll(
    async () => {
      server = await startServer(['--scenario', 'game']);
      const bots = startScript('client/src/bot/main.ts', [
        ...['--url', server.url, '--scenario', 'game', '--count', String(BOTS), '--seconds', String(MAX_SECONDS)],
        ...['--latency', '120', '--jitter', '60', '--json'],
      ]);
      let exited = false;
      void bots.exited.then(() => {
        exited = true;
      });
      // Poll the progress lines (one a second) until enough bots have respawned, then stop the bots.
      while (!exited && (records(bots).at(-1)?.unpredictableCauses?.respawn ?? 0) < RESPAWNS)
        await new Promise((resolve) => setTimeout(resolve, 200));
      bots.child.kill('SIGINT');
      await withTimeout(bots.exited, EXIT_TIMEOUT_MS, 'the bot process to exit').catch((error: Error) => {
        bots.child.kill('SIGKILL');
        throw new Error(`${error.message}; stderr:\n${bots.stderr}`);
      });
      const last = records(bots).at(-1);
      expect(last?.type, `the bots' last line; stderr:\n${bots.stderr}`).toBe('summary');
      summary = last!;
    },
    (MAX_SECONDS + 60) * 1000,
  );

  afterAll(() => server?.stop());

  it('every bot joined and stayed', () => {
    expect(summary).toMatchObject({ joins: BOTS, disconnects: 0 });
  });

  it('counts the respawns (jumps across the map) as unpredictable, with their cause', () => {
    expect(summary.unpredictableCauses.respawn).toBeGreaterThanOrEqual(RESPAWNS);
    expect(summary.unpredictable).toBeGreaterThanOrEqual(summary.unpredictableCauses.respawn!);
    expect(summary.maxUnpredictableUnits).toBeGreaterThan(STEP_UNITS);
  });

  it('leaves no misprediction: every other correction is a dropped or starved input the server reported', () => {
    console.info(
      `corrections: ${summary.mispredictions} mispredictions (max ${summary.maxMispredictionUnits} u), ` +
        `${summary.droppedInputCorrections} dropped-input, ${summary.starvedInputCorrections} starved-input, ` +
        `${summary.unpredictable} unpredictable ${JSON.stringify(summary.unpredictableCauses)} (max ${summary.maxUnpredictableUnits} u)`,
    );
    expect(summary.mispredictions).toBe(0);
    expect(summary.maxMispredictionUnits).toBe(0);
  });
});
