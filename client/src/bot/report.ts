// Formats the CLI's output lines: a progress line once per second and the summary once at the end,
// as one JSON object per line (--json) or as text for a person.
import type { CorrectionTotals } from './corrections.js';
import type { IntervalPercentiles, ProgressRecord, SummaryRecord } from './summary.js';

export function formatProgress(record: ProgressRecord, json: boolean, bots: number): string {
  if (json) return JSON.stringify(record);
  const late =
    record.inputsCaughtUp + record.inputsSkipped > 0
      ? `  (late: ${count(record.inputsCaughtUp)} caught up, ${count(record.inputsSkipped)} skipped)`
      : '';
  return (
    `${record.t.toFixed(1).padStart(6)} s  connected ${record.connected}/${bots}  joins ${record.joins}` +
    `  disconnects ${record.disconnects}  received ${count(record.bytesReceived)} B` +
    ` in ${count(record.messagesReceived)} messages  snapshots ${count(record.snapshotsApplied)}` +
    `  inputs ${count(record.inputsSent)}${late}`
  );
}

export function formatSummary(summary: SummaryRecord, json: boolean): string {
  if (json) return JSON.stringify(summary);
  const codes = Object.entries(summary.closeCodes)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  const refusals = Object.entries(summary.matchmakeErrors)
    .map(([error, n]) => `${error} ×${n}`)
    .join(', ');
  const mm = summary.matchmakeMs;
  return [
    `summary: ${summary.bots} bots, ${summary.joins} joined in ${summary.rooms} room${summary.rooms === 1 ? '' : 's'}, window ${summary.seconds.toFixed(3)} s since the ${summary.joins > 0 ? 'last join' : 'start'}`,
    `  per client: ${count(summary.bytesPerClientPerSecond)} B/s payload, ${summary.messagesPerClientPerSecond} messages/s`,
    `  in view: ${summary.entitiesInViewMean === null ? '– (no bot decodes its world)' : `${summary.entitiesInViewMean} entities per snapshot, mean; ${summary.deferredMean} deferred, mean; longest unsent while deferred ${summary.maxDeferredMs} ms`}`,
    `  snapshots per client: ${snapshotRates(summary.snapshotBytesPerClientPerSecond)}`,
    `  snapshot interval: bot 0 ${interval(summary.snapshotIntervalMs.bot0)}, all bots ${interval(summary.snapshotIntervalMs.all)}`,
    `  inputs: ${count(summary.inputsSent)} sent, ${count(summary.inputsCaughtUp)} caught up late, ${count(summary.inputsSkipped)} skipped`,
    `  matchmaking: ${count(mm.count)} calls, ${count(mm.failures)} failed, ${interval(mm)}`,
    `  corrections: ${formatCorrections(summary)}`,
    `  reconnects: ${count(summary.reconnects)}, ${count(summary.resumes)} resumed (longest ${count(summary.maxResumeMs)} ms), ${count(summary.resumeFailures)} not`,
    `  disconnects: ${summary.disconnects}${codes === '' ? '' : ` (close codes ${codes})`}${refusals === '' ? '' : ` (no seat: ${refusals})`}, protocol errors: ${summary.protocolErrors}`,
  ].join('\n');
}

/**
 * The prediction corrections by kind, unpredictable ones by cause (causes that did not occur left
 * out): the bots' text summary and the profiler's table and report.
 */
export function formatCorrections(s: CorrectionTotals): string {
  const causes = Object.entries(s.unpredictableCauses)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${cause} ×${n}`);
  const unpredictable =
    s.unpredictable === 0
      ? '0 unpredictable'
      : `${count(s.unpredictable)} unpredictable (${causes.join(', ')}; max ${count3(s.maxUnpredictableUnits)} u)`;
  return (
    `${count(s.mispredictions)} mispredictions (max ${count3(s.maxMispredictionUnits)} u), ` +
    `${count(s.droppedInputCorrections)} dropped-input, ${count(s.starvedInputCorrections)} starved-input, ${unpredictable}`
  );
}

function count3(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function snapshotRates(r: SummaryRecord['snapshotBytesPerClientPerSecond']): string {
  return r.mean === null || r.p99 === null ? 'no clients' : `${count(r.mean)} B/s mean, ${count(r.p99)} B/s p99`;
}

function interval(p: IntervalPercentiles): string {
  return p.p50 === null || p.p99 === null ? 'no samples' : `p50 ${p.p50} ms / p99 ${p.p99} ms`;
}

function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}
