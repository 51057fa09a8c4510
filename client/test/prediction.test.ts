// Prediction and reconciliation against a model server that runs the same step(): exact replays,
// corrections counted by kind (a starved tick's repeated input, a dropped input, a death, a respawn, a teleport, a
// restart), fading corrections, and a respawn drawn where the server says at once.
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

  it('counts a starved-input correction, not a misprediction, when the server repeated an input on a starved tick', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    for (let seq = 1; seq <= 3; seq++) prediction.predict(seq, { moveX: 1, moveY: 0 });
    let server = START;
    server = step(server, { moveX: 1, moveY: 0 }, DT, ARENA_RULES);
    expect(prediction.reconcile(server, 1, 0, { droppedInputs: 0, starvedInputs: 0 })).toBeUndefined();
    // The server ran a tick with no input 2 yet: it repeated input 1.
    server = step(server, { moveX: 1, moveY: 0 }, DT, ARENA_RULES);
    expect(prediction.reconcile(server, 1, 33, { droppedInputs: 0, starvedInputs: 1 })).toEqual({
      kind: 'starvedInput',
    });
    expect(prediction.stats).toMatchObject({ starvedInputCorrections: 1, mispredictions: 0 });
    expect(prediction.stats.lastErrorUnits).toBeCloseTo(107 / POSITION_SCALE, 6);
  });

  it('counts a nudge by the server as an unpredictable teleport, and fades the visible correction instead of snapping', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    prediction.predict(1, { moveX: 0, moveY: 0 });
    const drawnBefore = prediction.renderPosition(1000)!;
    const nudged = { ...START, x: START.x + 320 }; // moved 20 units by something else
    expect(prediction.reconcile(nudged, 1, 1000)).toEqual({ kind: 'unpredictable', cause: 'teleport' });
    expect(prediction.stats).toMatchObject({
      mispredictions: 0,
      unpredictable: 1,
      unpredictableCauses: { teleport: 1 },
    });
    // Right after the correction the player is still drawn where it was...
    expect(prediction.renderPosition(1000)).toEqual(drawnBefore);
    // ...halfway through the fade it is halfway there, and then exactly at the new state.
    expect(prediction.renderPosition(1000 + CORRECTION_FADE_MS / 2)!.x).toBeCloseTo(START.x + 160, 6);
    expect(prediction.renderPosition(1000 + CORRECTION_FADE_MS)).toEqual({ x: nudged.x, y: nudged.y });
    expect(prediction.stats.maxUnpredictableUnits).toBeCloseTo(20, 6);
    expect(prediction.stats.lastErrorUnits).toBeCloseTo(20, 6);
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

describe('Prediction counts each correction by its kind', () => {
  const EAST: MoveInput = { moveX: 1, moveY: 0 };
  const NORTH: MoveInput = { moveX: 0, moveY: -1 };

  it('an input the server dropped from a full queue is a dropped-input correction, not a misprediction', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    const inputs = [EAST, NORTH, EAST, NORTH, EAST];
    for (const [i, input] of inputs.entries()) prediction.predict(i + 1, input);
    let server = step(START, inputs[0]!, DT, ARENA_RULES);
    expect(prediction.reconcile(server, 1, 0, { droppedInputs: 4, starvedInputs: 0 })).toBeUndefined();
    // Input 2 arrived to a full queue and was pushed out; the next tick applied input 3.
    server = step(server, inputs[2]!, DT, ARENA_RULES);
    expect(prediction.reconcile(server, 3, 33, { droppedInputs: 5, starvedInputs: 0 })).toEqual({
      kind: 'droppedInput',
    });
    expect(prediction.stats).toMatchObject({ droppedInputCorrections: 1, mispredictions: 0, unpredictable: 0 });
    expect(prediction.stats.lastErrorUnits).toBeCloseTo(107 / POSITION_SCALE, 6);
    // From the server's state on, the replay of 4 and 5 matches again.
    server = step(server, inputs[3]!, DT, ARENA_RULES);
    expect(prediction.reconcile(server, 4, 66, { droppedInputs: 5, starvedInputs: 0 })).toBeUndefined();
  });

  it('a one-tick error when the server reports no dropped input is a misprediction', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    for (const [i, input] of [EAST, NORTH, EAST].entries()) prediction.predict(i + 1, input);
    let server = step(START, EAST, DT, ARENA_RULES);
    prediction.reconcile(server, 1, 0, { droppedInputs: 0, starvedInputs: 0 });
    server = step(server, EAST, DT, ARENA_RULES); // as if input 2 were lost, but droppedInputs says not
    expect(prediction.reconcile(server, 3, 33, { droppedInputs: 0, starvedInputs: 0 })).toEqual({
      kind: 'misprediction',
    });
    expect(prediction.stats).toMatchObject({ droppedInputCorrections: 0, mispredictions: 1 });
  });

  it('a death (the server holds the player still) and a respawn far away are unpredictable, by cause', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    for (let seq = 1; seq <= 4; seq++) prediction.predict(seq, EAST);
    // Killed on the tick of input 1: it moved, then stopped (velocity 0).
    const killed = { ...step(START, EAST, DT, ARENA_RULES), vx: 0 };
    prediction.frozen = true;
    expect(prediction.reconcile(killed, 1, 0)).toEqual({ kind: 'unpredictable', cause: 'death' });
    // Dead: its inputs do nothing, on the server and in the replay.
    expect(prediction.reconcile(killed, 2, 33)).toBeUndefined();
    const spawn: PlayerState = { x: 1000, y: 30000, vx: 0, vy: 0, angle: 0 };
    const drawnBefore = prediction.renderPosition(66)!;
    prediction.frozen = false;
    expect(prediction.reconcile(spawn, 3, 66)).toEqual({ kind: 'unpredictable', cause: 'respawn' });
    expect(prediction.stats).toMatchObject({
      mispredictions: 0,
      unpredictable: 2,
      unpredictableCauses: { death: 1, respawn: 1, teleport: 0 },
    });
    expect(prediction.stats.maxUnpredictableUnits).toBeGreaterThan(900);
    // A new life is drawn where the server says at once, not slid to across the map.
    const replayed = step(spawn, EAST, DT, ARENA_RULES);
    expect(prediction.renderPosition(66)).toEqual({ x: replayed.x, y: replayed.y });
    expect(drawnBefore.x).not.toBe(replayed.x);
  });

  it('after restart (a resume) the first snapshot somewhere else is unpredictable with that cause', () => {
    const prediction = new Prediction(DT, ARENA_RULES, POSITION_SCALE);
    prediction.state = START;
    prediction.predict(1, EAST);
    prediction.reconcile(step(START, EAST, DT, ARENA_RULES), 1, 0, { droppedInputs: 3, starvedInputs: 9 });
    prediction.restart('resume');
    expect(prediction.pendingCount).toBe(0);
    // The new session's seq and queue figures start again: nothing acknowledged yet, counters at 0.
    const resumedAt: PlayerState = { ...START, x: START.x + 50 };
    expect(prediction.reconcile(resumedAt, 0, 500, { droppedInputs: 0, starvedInputs: 0 })).toEqual({
      kind: 'unpredictable',
      cause: 'resume',
    });
    expect(prediction.state).toEqual(resumedAt);
    expect(prediction.renderPosition(500)).toEqual({ x: resumedAt.x, y: resumedAt.y });
    // Counted once: the next snapshot at the same place is no correction.
    expect(prediction.reconcile(resumedAt, 0, 533, { droppedInputs: 0, starvedInputs: 0 })).toBeUndefined();
    expect(prediction.stats).toMatchObject({ unpredictable: 1, unpredictableCauses: { resume: 1 }, mispredictions: 0 });
  });
});
