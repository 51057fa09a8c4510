// Sums the bots' prediction corrections by kind (net/corrections.ts names them): read once per
// progress line and once for the summary, over every bot's Prediction.stats.
import type { UnpredictableCause } from '../net/corrections.js';
import { emptyPredictionStats, type PredictionStats } from '../net/prediction.js';

/** Every bot's corrections, as the progress and summary records carry them. */
export interface CorrectionTotals {
  /** Prediction errors: corrections neither unpredictable nor explained by dropped or repeated inputs. */
  mispredictions: number;
  /** The largest misprediction, world units. */
  maxMispredictionUnits: number;
  /** Corrections exactly explained by inputs the server dropped from a full queue (the arena's fixed schedule). */
  droppedInputCorrections: number;
  /** Corrections exactly explained by ticks that starved and repeated an input (a bot process that fell behind). */
  starvedInputCorrections: number;
  /** Corrections no prediction could foresee (death, respawn, resume, room move, teleport), in all and by cause. */
  unpredictable: number;
  unpredictableCauses: Record<UnpredictableCause, number>;
  /** The largest unpredictable jump, world units. */
  maxUnpredictableUnits: number;
}

export function emptyCorrectionTotals(): CorrectionTotals {
  return {
    mispredictions: 0,
    maxMispredictionUnits: 0,
    droppedInputCorrections: 0,
    starvedInputCorrections: 0,
    unpredictable: 0,
    unpredictableCauses: emptyPredictionStats().unpredictableCauses,
    maxUnpredictableUnits: 0,
  };
}

/** Add one bot's prediction stats into `totals`. */
export function addCorrections(totals: CorrectionTotals, stats: PredictionStats): void {
  totals.mispredictions += stats.mispredictions;
  totals.maxMispredictionUnits = Math.max(totals.maxMispredictionUnits, stats.maxErrorUnits);
  totals.droppedInputCorrections += stats.droppedInputCorrections;
  totals.starvedInputCorrections += stats.starvedInputCorrections;
  totals.unpredictable += stats.unpredictable;
  for (const [cause, n] of Object.entries(stats.unpredictableCauses) as [UnpredictableCause, number][])
    totals.unpredictableCauses[cause] += n;
  totals.maxUnpredictableUnits = Math.max(totals.maxUnpredictableUnits, stats.maxUnpredictableUnits);
}

/** A copy for a record: the sizes rounded to 1/1000 unit. */
export function correctionFigures(totals: CorrectionTotals): CorrectionTotals {
  return {
    ...totals,
    unpredictableCauses: { ...totals.unpredictableCauses },
    maxMispredictionUnits: Math.round(totals.maxMispredictionUnits * 1000) / 1000,
    maxUnpredictableUnits: Math.round(totals.maxUnpredictableUnits * 1000) / 1000,
  };
}
