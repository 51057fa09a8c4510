// The view rules' hysteresis: on distance (enter within r, leave beyond r + m) and on rank at the
// cap (a newcomer displaces a member only when nearer by more than m). Without either, a view
// churns: these cases are the ones that would flicker.
import { FIELD_COUNT, WorldState } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { IdList } from '../src/interest/idList.js';
import { VIEW_MARGIN_FRACTION, ViewChooser, viewRules } from '../src/interest/viewRules.js';

const RADIUS = 1000;
const MARGIN = RADIUS * VIEW_MARGIN_FRACTION;

/** A state holding the entities at `positions` (id → [x, y]), all of life 1. */
function stateOf(positions: Record<number, [number, number]>): WorldState {
  const state = new WorldState(16, 16);
  state.reset(1);
  for (const [id, [x, y]] of Object.entries(positions)) {
    const row = state.add(Number(id), 1);
    state.values[row * FIELD_COUNT + 2] = x;
    state.values[row * FIELD_COUNT + 3] = y;
  }
  return state;
}

/** The ids chosen around (0, 0) for own player 1, given the current members. */
function choose(positions: Record<number, [number, number]>, members: number[], cap = 8): number[] {
  const state = stateOf(positions);
  const chooser = new ViewChooser(viewRules(RADIUS, cap));
  const candidates = new IdList();
  for (const id of Object.keys(positions)) candidates.push(Number(id));
  const out = new IdList();
  chooser.choose(state, 0, 0, 1, candidates, (id, life) => life === 1 && members.includes(id), out);
  return out
    .toArray()
    .map((row) => state.ids[row]!)
    .sort((a, b) => a - b);
}

describe('view hysteresis on distance', () => {
  it('lets an entity in within the radius and not beyond it', () => {
    expect(choose({ 1: [0, 0], 2: [RADIUS, 0], 3: [RADIUS + 1, 0] }, [])).toEqual([1, 2]);
  });

  it('keeps a member between the radius and radius + margin, and drops it beyond', () => {
    expect(choose({ 1: [0, 0], 2: [RADIUS + MARGIN, 0] }, [1, 2])).toEqual([1, 2]);
    expect(choose({ 1: [0, 0], 2: [RADIUS + MARGIN + 1, 0] }, [1, 2])).toEqual([1]);
  });

  it('does not flicker an entity walking along the edge, in and out of the radius', () => {
    let members = [1];
    const seen: boolean[] = [];
    for (let step = 0; step < 20; step++) {
      const x = RADIUS + (step % 2 === 0 ? -5 : 5);
      members = choose({ 1: [0, 0], 2: [x, 0] }, members);
      seen.push(members.includes(2));
    }
    expect(seen.every(Boolean)).toBe(true);
  });

  it('treats a new life of a member id as a newcomer: it must come within the radius', () => {
    const state = stateOf({ 1: [0, 0], 2: [RADIUS + 50, 0] });
    const chooser = new ViewChooser(viewRules(RADIUS));
    const candidates = new IdList();
    candidates.push(1);
    candidates.push(2);
    const out = new IdList();
    // The view holds life 7 of id 2; the state has life 1.
    chooser.choose(state, 0, 0, 1, candidates, (id, life) => id === 2 && life === 7, out);
    expect(out.toArray().map((row) => state.ids[row])).toEqual([1]);
  });
});

describe('view hysteresis on rank at the cap', () => {
  it('keeps the own player first, then the nearest K', () => {
    expect(choose({ 1: [900, 0], 2: [10, 0], 3: [20, 0], 4: [30, 0] }, [], 3)).toEqual([1, 2, 3]);
  });

  it('keeps a member against a newcomer nearer by less than the margin', () => {
    expect(choose({ 1: [0, 0], 2: [500, 0], 3: [500 - MARGIN + 1, 0] }, [1, 2], 2)).toEqual([1, 2]);
  });

  it('lets a newcomer nearer by more than the margin take the place', () => {
    expect(choose({ 1: [0, 0], 2: [500, 0], 3: [500 - MARGIN - 1, 0] }, [1, 2], 2)).toEqual([1, 3]);
  });

  it('does not churn two entities trading ranks at nearly the same distance', () => {
    let members = [1, 2];
    for (let step = 0; step < 20; step++) {
      const wobble = step % 2 === 0 ? 3 : -3;
      members = choose({ 1: [0, 0], 2: [500 + wobble, 0], 3: [500 - wobble, 0] }, members, 2);
      expect(members).toEqual([1, 2]);
    }
  });
});
