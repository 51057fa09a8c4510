// The net graph's two lines on the prediction's corrections, by kind: rebuilt once per frame while
// the net graph (F3) is shown.
import type { PredictionStats } from '../../net/prediction.js';

/**
 * The prediction's corrections by kind: prediction errors first (the figure to keep at 0), then those
 * no client could avoid by predicting better: inputs the server dropped or repeated, deaths, respawns,
 * teleports.
 */
export function correctionLines(stats: PredictionStats | undefined): [string, string] {
  if (stats === undefined) return ['mispredict –', 'corrected  –'];
  const last = stats.lastCorrection;
  const lastKind = last === undefined ? '' : ` (${last.kind === 'unpredictable' ? last.cause : last.kind})`;
  const causes = Object.entries(stats.unpredictableCauses)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${cause} ${n}`)
    .join(', ');
  return [
    `mispredict ${stats.mispredictions}  last ${stats.lastErrorUnits.toFixed(1)} u${lastKind}`,
    `corrected  dropped input ${stats.droppedInputCorrections}  starved ${stats.starvedInputCorrections}  unpredictable ${stats.unpredictable}${causes === '' ? '' : ` (${causes})`}`,
  ];
}
