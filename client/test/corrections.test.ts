// Tests for naming a correction (client/src/net/corrections.ts) from fake inputs and server states,
// and for the net graph's lines of corrections by kind.
import { ARENA_RULES, type MoveInput, type PlayerState, POSITION_SCALE, step } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { correctionLines } from '../src/game/model/correctionLines.js';
import { type CorrectionFacts, classifyCorrection, teleportThresholdQuanta } from '../src/net/corrections.js';
import { emptyPredictionStats } from '../src/net/prediction.js';

const DT = 1 / 30;
const BASE: PlayerState = { x: 16000, y: 16000, vx: 0, vy: 0, angle: 0 };
const EAST: MoveInput = { moveX: 1, moveY: 0 };
const SOUTH: MoveInput = { moveX: 0, moveY: 1 };
/** One tick at top speed in the arena: 200 units/s ÷ 30 × 16 quanta, rounded. */
const STEP = 107;

function replay(inputs: readonly MoveInput[], from = BASE): PlayerState {
  return inputs.reduce((state, input) => step(state, input, DT, ARENA_RULES), from);
}

function facts(over: Partial<CorrectionFacts> & Pick<CorrectionFacts, 'server' | 'expected'>): CorrectionFacts {
  return {
    knownCause: undefined,
    base: BASE,
    acknowledged: [],
    previousInput: undefined,
    newlyDropped: 0,
    newlyStarved: 0,
    dt: DT,
    rules: ARENA_RULES,
    ...over,
  };
}

describe('classifyCorrection', () => {
  const sent = [EAST, SOUTH, EAST, SOUTH];
  const expected = replay(sent);

  it('names a dropped-input correction only when the replay without the dropped inputs is exactly the server state', () => {
    const withoutSecond = replay([EAST, EAST, SOUTH]);
    expect(classifyCorrection(facts({ server: withoutSecond, expected, acknowledged: sent, newlyDropped: 1 }))).toEqual(
      { kind: 'droppedInput' },
    );
    // Two dropped at once are two consecutive inputs (the oldest of a full queue).
    const withoutMiddleTwo = replay([EAST, SOUTH]);
    expect(
      classifyCorrection(facts({ server: withoutMiddleTwo, expected, acknowledged: sent, newlyDropped: 2 })),
    ).toEqual({ kind: 'droppedInput' });
    // A server state no dropped run explains is not blamed on the drop.
    const elsewhere = { ...expected, x: expected.x + 3 };
    expect(classifyCorrection(facts({ server: elsewhere, expected, acknowledged: sent, newlyDropped: 1 }))).toEqual({
      kind: 'misprediction',
    });
  });

  it('names a starved-input correction only when repeating the latest input on that many ticks replays exactly to the server state', () => {
    // No new input applied: the tick found the queue empty and repeated the one before (SOUTH).
    const repeated = replay([SOUTH]);
    expect(
      classifyCorrection(facts({ server: repeated, expected: BASE, previousInput: SOUTH, newlyStarved: 1 })),
    ).toEqual({ kind: 'starvedInput' });
    // A starved tick between two acknowledged inputs repeats the first of them.
    const withRepeat = replay([EAST, SOUTH, SOUTH, EAST, SOUTH]);
    expect(
      classifyCorrection(
        facts({ server: withRepeat, expected, acknowledged: sent, previousInput: EAST, newlyStarved: 1 }),
      ),
    ).toEqual({ kind: 'starvedInput' });
    // Not an input it could have repeated: unexplained.
    const wrongRepeat = replay([EAST, SOUTH, { moveX: -1, moveY: 0 }, EAST, SOUTH]);
    expect(
      classifyCorrection(
        facts({ server: wrongRepeat, expected, acknowledged: sent, previousInput: EAST, newlyStarved: 1 }),
      ),
    ).toEqual({ kind: 'misprediction' });
    // Before any input the server repeats nothing: a starved tick cannot move the player.
    expect(
      classifyCorrection(facts({ server: replay([EAST]), expected: BASE, previousInput: undefined, newlyStarved: 1 })),
    ).toEqual({ kind: 'misprediction' });
  });

  it('a drop and a starved tick in the same snapshot is a misprediction (the client could have paced)', () => {
    const withoutSecond = replay([EAST, EAST, SOUTH]);
    expect(
      classifyCorrection(
        facts({ server: withoutSecond, expected, acknowledged: sent, newlyDropped: 1, newlyStarved: 1 }),
      ),
    ).toEqual({ kind: 'misprediction' });
  });

  it('without a previous server state to replay from, a drop cannot be proven', () => {
    const withoutSecond = replay([EAST, EAST, SOUTH]);
    expect(
      classifyCorrection(
        facts({ server: withoutSecond, expected, base: undefined, acknowledged: sent, newlyDropped: 1 }),
      ),
    ).toEqual({ kind: 'misprediction' });
  });

  it('a jump farther than one tick at top speed per dropped or repeated input is a teleport', () => {
    expect(teleportThresholdQuanta({ newlyDropped: 0, newlyStarved: 0, dt: DT, rules: ARENA_RULES })).toBeCloseTo(
      (200 / 30) * POSITION_SCALE + 2,
      9,
    );
    const near = { ...expected, x: expected.x + STEP };
    const far = { ...expected, x: expected.x + STEP + 3 };
    expect(classifyCorrection(facts({ server: near, expected }))).toEqual({ kind: 'misprediction' });
    expect(classifyCorrection(facts({ server: far, expected }))).toEqual({ kind: 'unpredictable', cause: 'teleport' });
    // Two starved ticks explain up to two steps.
    expect(classifyCorrection(facts({ server: far, expected, newlyStarved: 2 }))).toEqual({ kind: 'misprediction' });
  });

  it('a cause the server state names (death, respawn, resume, move) wins over any rule', () => {
    const withoutSecond = replay([EAST, EAST, SOUTH]);
    for (const cause of ['death', 'respawn', 'resume', 'move'] as const)
      expect(
        classifyCorrection(
          facts({ server: withoutSecond, expected, acknowledged: sent, newlyDropped: 1, knownCause: cause }),
        ),
      ).toEqual({ kind: 'unpredictable', cause });
  });
});

describe('the net graph lines of corrections', () => {
  it('shows prediction errors apart from dropped-input and unpredictable corrections, with their causes', () => {
    const stats = emptyPredictionStats();
    expect(correctionLines(stats)).toEqual([
      'mispredict 0  last 0.0 u',
      'corrected  dropped input 0  starved 0  unpredictable 0',
    ]);
    stats.mispredictions = 1;
    stats.droppedInputCorrections = 4;
    stats.unpredictable = 3;
    stats.unpredictableCauses.death = 1;
    stats.unpredictableCauses.respawn = 2;
    stats.lastCorrection = { kind: 'unpredictable', cause: 'respawn' };
    stats.lastErrorUnits = 1346.06;
    expect(correctionLines(stats)).toEqual([
      'mispredict 1  last 1346.1 u (respawn)',
      'corrected  dropped input 4  starved 0  unpredictable 3 (death 1, respawn 2)',
    ]);
    expect(correctionLines(undefined)).toEqual(['mispredict –', 'corrected  –']);
  });
});
