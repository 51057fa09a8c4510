// The net graph (F3, after Source's net_graph): the figures of the netcode in one text panel.
// Its text is rebuilt once per frame while shown, and redrawn only when it changes.
import type { GameSession } from '../gameSession.js';
import { budgetLine } from '../model/budgetLine.js';
import { correctionLines } from '../model/correctionLines.js';
import { viewLine } from '../model/viewLine.js';

export function netGraphText(session: GameSession): string {
  const net = session.net;
  const rates = session.traffic.rates;
  const render = net.renderClock;
  const prediction = net.prediction?.stats;
  const snapshot = net.connection.latestSnapshot;
  const fixed = (value: number | undefined, digits = 0) => (value === undefined ? '–' : value.toFixed(digits));
  return [
    'net graph (F3)',
    `ping       ${fixed(net.clock?.roundTripMs)} ms`,
    `snapshots  ${fixed(rates.snapshotsPerSecond, 1)}/s  jitter ${fixed(render?.jitterMs)} ms`,
    `in / out   ${fixed(rates.bytesInPerSecond)} / ${fixed(rates.bytesOutPerSecond)} B/s`,
    `interp     ${fixed(render?.delayMs)} ms  extrapolating ${fixed(render?.extrapolatingMs)} ms`,
    viewLine(net.connection),
    budgetLine(rates.snapshotBytesPerSecond, session.welcome?.budgetBytesPerSecond ?? 0),
    `predicted  ${net.prediction?.pendingCount ?? 0} inputs ahead`,
    ...correctionLines(prediction),
    `server     queue ${snapshot?.inputBuffer ?? '–'}  starved ${snapshot?.starvedInputs ?? '–'}  dropped ${snapshot?.droppedInputs ?? '–'}`,
    `pacing     ×${fixed(net.pacer?.scale, 3)} of the tick period`,
    'server tick time: not reported by this server',
  ].join('\n');
}
