// Bench: tick timing of the real server process under arena-N load. Run by hand (npm run bench:ticks);
// prints one line per figure: idle RSS, ticks run against wall time, tick-start lateness, CPU.
//
//   npm run bench:ticks -- [--bots 200] [--seconds 60] [--tick-rate 30]
import { parseArgs } from 'node:util';
import { cpuSeconds, delay, getJson, machine, rssMiB, startBots, startServer, stopProcess } from './support.js';

interface Health {
  tick: number;
  players: number;
  ticks: { run: number; dropped: number; latenessMs: { p50: number; p99: number; max: number; count: number } };
}

const { values } = parseArgs({
  options: {
    bots: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    'tick-rate': { type: 'string', default: '30' },
  },
});
const bots = Number(values.bots);
const seconds = Number(values.seconds);
const tickRate = Number(values['tick-rate']);

const server = await startServer([
  '--scenario',
  'arena',
  '--tick-rate',
  String(tickRate),
  '--snapshot-rate',
  String(tickRate),
]);
const pid = server.child.pid!;
try {
  await delay(2000);
  const idleRss = rssMiB(pid);
  console.log(`machine: ${machine()}`);
  console.log(`server idle RSS: ${idleRss.toFixed(1)} MiB`);

  let connected = 0;
  let summary: Record<string, unknown> | undefined;
  const botsChild = startBots(
    // The bots join through POST /matchmake (joinOrCreate): all of them in one room up to --max-players.
    ['--url', server.url, '--count', String(bots), '--seconds', String(seconds + 30), '--scenario', 'arena'],
    (record) => {
      if (record.type === 'progress') connected = Number(record.connected);
      if (record.type === 'summary') summary = record;
    },
  );
  const joinDeadline = performance.now() + 30_000;
  while (connected < bots) {
    if (performance.now() > joinDeadline) throw new Error(`only ${connected} of ${bots} bots joined in 30 s`);
    await delay(200);
  }
  await delay(5000); // warm-up after the last join, as docs/scenarios.md asks

  const before = await getJson<Health>(`${server.url}/healthz`);
  const cpuBefore = cpuSeconds(pid);
  const startMs = performance.now();
  await delay(seconds * 1000);
  const after = await getJson<Health>(`${server.url}/healthz`);
  const elapsedS = (performance.now() - startMs) / 1000;
  const cpu = (cpuSeconds(pid) - cpuBefore) / elapsedS;

  const ticksRun = after.ticks.run - before.ticks.run;
  const expected = elapsedS * tickRate;
  console.log(`players in room: ${after.players}`);
  console.log(`window: ${elapsedS.toFixed(2)} s at ${tickRate} Hz`);
  console.log(
    `ticks run in window: ${ticksRun} (wall time × rate = ${expected.toFixed(1)}, difference ${(ticksRun - expected).toFixed(1)})`,
  );
  console.log(`ticks dropped in window: ${after.ticks.dropped - before.ticks.dropped}`);
  console.log(
    `tick start lateness since server start (${after.ticks.latenessMs.count} ticks): p50 ${after.ticks.latenessMs.p50} ms, p99 ${after.ticks.latenessMs.p99} ms, max ${after.ticks.latenessMs.max} ms`,
  );
  console.log(`server CPU: ${cpu.toFixed(3)} s/s`);
  console.log(`server RSS at end: ${rssMiB(pid).toFixed(1)} MiB`);
  await stopProcess(botsChild);
  if (summary) console.log(`bots summary: ${JSON.stringify(summary)}`);
} finally {
  await stopProcess(server.child);
}
