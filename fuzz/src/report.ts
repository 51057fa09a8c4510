// Turns a fuzz run's summary into the lines `npm run fuzz` prints, and its exit code. Once per run.
import type { RunSummary } from './run.js';

/** Outcome keys sorted: WebSocket close codes, then HTTP statuses, then the rest. */
function byClass(outcomes: Record<string, number>): string {
  const order = (key: string) => (key.startsWith('ws ') ? 0 : key.startsWith('http ') ? 1 : 2);
  return Object.entries(outcomes)
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b, 'en', { numeric: true }))
    .map(([key, n]) => `${key}: ${n}`)
    .join(', ');
}

export function formatSummary(run: RunSummary): string {
  const { tally, server, bots } = run;
  const seconds = tally.elapsedMs / 1000;
  const p99 = bots.summary?.snapshotIntervalMs.all.p99;
  const lines = [
    `seed ${run.seed}: ${tally.framesSent} frames and ${tally.httpRequests} HTTP requests over ${tally.connections} connections in ${seconds.toFixed(1)} s`,
    `openings: ${tally.openings.accepted} of ${tally.openings.tried} reached the playing state`,
    `crashes: ${run.crashes}${run.exit === null ? '' : ` (server exited: code ${run.exit.code}, signal ${run.exit.signal})`}`,
    `server alive at the end: ${run.crashes === 0 && run.healthAnswered ? 'yes (/healthz answered)' : 'NO'}`,
    `connections ended by: ${byClass(tally.outcomes)}`,
  ];
  if (tally.refused > 0) lines.push(`connections refused: ${tally.refused}`);
  if (server !== null) {
    lines.push(
      `server closes (/healthz): ${JSON.stringify(server.closes)}`,
      `server tick p99 ${server.tickP99Ms} ms, lateness p99 ${server.latenessP99Ms} ms (tick period ${server.tickPeriodMs.toFixed(1)} ms)`,
    );
  }
  if (bots.count > 0) {
    const s = bots.summary;
    lines.push(
      s === null
        ? `bots: no summary (the bot process printed none)`
        : `bots: ${s.joins} of ${bots.count} joined, ${s.disconnects} disconnects ${JSON.stringify(s.closeCodes)}, ${s.protocolErrors} protocol errors, snapshot interval p50 ${s.snapshotIntervalMs.all.p50} ms p99 ${p99} ms`,
      `bots saw nothing: ${run.botsUndisturbed && run.botsOnTime ? 'yes' : `NO (${run.botsUndisturbed ? '' : 'disturbed'}${run.botsOnTime ? '' : ' interval p99 over 2 × tick period'})`}`,
    );
  }
  if (run.serverStderr.length > 0)
    lines.push('server stderr (last lines):', ...run.serverStderr.map((line) => `  ${line}`));
  if (run.crashes > 0)
    lines.push('last plans before the crash (newest last):', ...tally.recent.map((line) => `  ${line}`));
  return lines.join('\n');
}

/** 0 when the server survived and the bots saw nothing, else 1. */
export function exitCode(run: RunSummary): 0 | 1 {
  return run.crashes === 0 && run.healthAnswered && run.botsUndisturbed && run.botsOnTime ? 0 : 1;
}
