// The profile's summary as text for the terminal: printed once at the end of a run.
import { formatCorrections } from '../../client/src/bot/report.js';
import { type ProfileResult, partLabel } from './result.js';
import { roomRows, roomsLine } from './roomTable.js';
import type { Summary } from './statsReader.js';
import { ms, num, percent, textTable } from './textTable.js';

const MS_HEADER = ['', 'count', 'mean', 'p50', 'p95', 'p99', 'max'];

function msRow(label: string, s: Summary, extra: string[] = []): string[] {
  return [label, num(s.count), ms(s.meanMs), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.maxMs), ...extra];
}

export function formatSummaryTable(r: ProfileResult): string {
  const { settings: s, server, traffic, bots, ticks } = r;
  const lines: string[] = [];
  lines.push(
    `profile: ${s.scenario}, ${s.bots} bots${s.rooms === undefined ? '' : ` in ${s.rooms} rooms of ${s.roomSize}`}, ${s.tickRate} Hz tick (budget ${num(r.budgetMs, 2)} ms), ${s.snapshotRate} Hz snapshots; ` +
      `window ${num(r.window.seconds, 2)} s after ${s.warmupSeconds} s warm-up`,
  );
  lines.push(`machine: ${r.machine}`);
  lines.push('');
  lines.push('tick time, ms (over the window)');
  const timing = [
    MS_HEADER,
    msRow('tick', r.tickMs),
    msRow('lateness', r.latenessMs),
    ...Object.entries(r.phases).map(([key, summary]) => msRow(key.replace(/Ms$/, ''), summary)),
  ];
  lines.push(indent(textTable(timing)));
  lines.push('');
  lines.push('where the tick goes');
  const parts = [
    ['', 'count', 'mean ms', 'p99 ms', 'max ms', 'total ms', 'of tick'],
    ...r.breakdown.map((p) => [
      partLabel(p),
      p.summary.count > 0 ? num(p.summary.count) : '',
      p.summary.count > 0 ? ms(p.summary.meanMs) : '',
      p.summary.count > 0 ? ms(p.summary.p99) : '',
      p.summary.count > 0 ? ms(p.summary.maxMs) : '',
      num(p.totalMs, 1),
      percent(p.share),
    ]),
  ];
  lines.push(indent(textTable(parts)));
  lines.push('');
  const overBudget = r.tickMs.p99 > r.budgetMs ? '  OVER BUDGET' : '';
  const figures: string[][] = [
    [
      'ticks',
      `${num(ticks.run)} run (rate × window ${num(ticks.expected, 1)}), ${num(ticks.dropped)} dropped, ${num(ticks.overruns)} overruns > ${num(r.budgetMs, 2)} ms; p99 ${ms(r.tickMs.p99)} ms${overBudget}`,
    ],
    [
      'server',
      `CPU ${num(server.cpuSecondsPerSecond, 3)} s/s (its own count ${num(server.reportedCpuSecondsPerSecond, 3)}), RSS ${num(server.rssMiB, 1)} MiB, heap ${num(server.heapUsedMiB, 1)} MiB`,
    ],
    [
      '',
      `event loop delay since start p50/p99/max ${num(server.eventLoopDelayMs.p50, 2)}/${num(server.eventLoopDelayMs.p99, 2)}/${num(server.eventLoopDelayMs.max, 2)} ms, GC ${num(server.gcPauses.count)} pauses ${num(server.gcPauses.totalMs, 1)} ms`,
    ],
    [
      'bots',
      `CPU ${num(bots.cpuSecondsPerSecond, 3)} s/s, ${num(bots.connectedAtEnd)}/${s.bots} connected, ${num(bots.disconnects)} disconnects, ${num(bots.inputsLate)} of ${num(bots.inputsDue ?? bots.inputsSent)} inputs due late or skipped${bots.saturated ? '  SATURATED' : ''}`,
    ],
    ...(bots.corrections ? [['', `corrections: ${formatCorrections(bots.corrections)}`]] : []),
    [
      'traffic',
      `server sent ${num(traffic.serverBytesPerClientPerSecond)} B/client/s in ${num(traffic.serverMessagesPerClientPerSecond, 1)} msg/client/s; ` +
        `bots received ${num(traffic.clientBytesPerClientPerSecond)} B/client/s (${num(traffic.bytesPerPlayerPerUpdate, 2)} B/player/update)`,
    ],
    [
      '',
      `snapshot interval at bot 0 p50 ${num(traffic.snapshotIntervalMs.p50, 2)} ms, p99 ${num(traffic.snapshotIntervalMs.p99, 2)} ms`,
    ],
    [
      'machine',
      `${r.host.cores} cores busy ${num(r.host.busyCpuSecondsPerSecond, 2)} CPU s/s, of which other processes ${num(r.host.otherCpuSecondsPerSecond, 2)}`,
    ],
    ['problems', r.problems.length === 0 ? 'none' : r.problems.join('; ')],
  ];
  const rooms = roomsLine(r);
  if (rooms !== null) figures.splice(figures.length - 2, 0, ['rooms', rooms]);
  lines.push(textTable(figures, ['left', 'left']));
  const perRoom = roomRows(r);
  if (perRoom.length > 0) {
    lines.push('');
    lines.push('per room (from /healthz at the window end; ticks over the window)');
    lines.push(indent(textTable(perRoom)));
  }
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
