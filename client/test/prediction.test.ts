// Prediction and reconciliation against a model server that runs the same step(): exact replays,
// counted mispredictions when the server repeats an input or moves the player, fading corrections.
import { ARENA_RULES, type MoveInput, type PlayerState, POSITION_SCALE, step } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { CORRECTION_FADE_MS, MAX_PENDING_INPUTS, Prediction } from '../src/net/prediction.js';

const DT = 1 / 30;
const START: PlayerState = { x: 16000, y: 16000, vx: 0, vy: 0, angle: 0 };
const SCRIPT: MoveInput[] = Array.from({ length: 120 }, (_, i) => {
  const phase = Math.floor(i / 15) % 4;
  return [
    { moveX: 1, moveY: 0 },
    { moveX: Math.SQRT1_2, moveY: Math.SQRT1_2 },
    { moveX: 0, moveY: 0 },
    { moveX: -0.6, moveY: 0.8 },
  ][phase]!;
});

/** The server's view: applies inputs one per tick, `lag` inputs behind the client. */
function serverStates(inputs: MoveInput[]): PlayerState[] {
  const states: PlayerState[] = [];
  let state = START;
  for (const input of inputs) {
    state = step(state, input, DT, ARENA_RULES);
    states.push(state);
  }
  return states;
}

describe('Prediction', () => {
  it('replays unacknowledged inputs to exactly the predicted state: zero mispredictions', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    const server = serverStates(SCRIPT);
    const lag = 5; // the server is 5 inputs behind the client
    for (let i = 0; i < SCRIPT.length; i++) {
      prediction.predict(i + 1, SCRIPT[i]!);
      const applied = i + 1 - lag;
      if (applied >= 1) prediction.reconcile(server[applied - 1]!, applied, i * 33);
    }
    expect(prediction.stats.mispredictions).toBe(0);
    expect(prediction.stats.reconciliations).toBe(SCRIPT.length - lag);
    // Once the server has applied everything, prediction and server agree exactly.
    prediction.reconcile(server[SCRIPT.length - 1]!, SCRIPT.length, 9999);
    expect(prediction.state).toEqual(server[SCRIPT.length - 1]);
    expect(prediction.pendingCount).toBe(0);
  });

  it('counts a misprediction when the server repeated an input on a starved tick', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    for (let seq = 1; seq <= 3; seq++) prediction.predict(seq, { moveX: 1, moveY: 0 });
    let server = START;
    server = step(server, { moveX: 1, moveY: 0 }, DT, ARENA_RULES);
    expect(prediction.reconcile(server, 1, 0)).toBe(false);
    // The server ran a tick with no input 2 yet: it repeated input 1.
    server = step(server, { moveX: 1, moveY: 0 }, DT, ARENA_RULES);
    expect(prediction.reconcile(server, 1, 33)).toBe(true);
    expect(prediction.stats.mispredictions).toBe(1);
    expect(prediction.stats.lastErrorUnits).toBeCloseTo(107 / POSITION_SCALE, 6);
  });

  it('counts a nudge by the server, and fades the visible correction instead of snapping', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    prediction.predict(1, { moveX: 0, moveY: 0 });
    const drawnBefore = prediction.renderPosition(1000)!;
    const nudged = { ...START, x: START.x + 320 }; // moved 20 units by something else
    expect(prediction.reconcile(nudged, 1, 1000)).toBe(true);
    // Right after the correction the player is still drawn where it was...
    expect(prediction.renderPosition(1000)).toEqual(drawnBefore);
    // ...halfway through the fade it is halfway there, and then exactly at the new state.
    expect(prediction.renderPosition(1000 + CORRECTION_FADE_MS / 2)!.x).toBeCloseTo(START.x + 160, 6);
    expect(prediction.renderPosition(1000 + CORRECTION_FADE_MS)).toEqual({ x: nudged.x, y: nudged.y });
    expect(prediction.stats.maxErrorUnits).toBeCloseTo(20, 6);
  });

  it('predicts nothing before it has a server state to start from', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    expect(prediction.predict(1, { moveX: 1, moveY: 0 })).toBeUndefined();
    expect(prediction.renderPosition(0)).toBeUndefined();
  });
});

describe('Prediction against a server that never acknowledges', () => {
  it('keeps at most MAX_PENDING_INPUTS inputs, so memory and replays stay bounded', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    for (let seq = 1; seq <= 1000; seq++) {
      prediction.predict(seq, { moveX: 1, moveY: 0 });
      prediction.reconcile(START, 0, seq);
    }
    expect(prediction.pendingCount).toBe(MAX_PENDING_INPUTS);
  });
});
