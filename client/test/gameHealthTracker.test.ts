// Health between frames: a drop is a hit (flash), 0 is a death (marker), back up from 0 a respawn;
// a player not seen for a frame is forgotten so a rejoin with a reused id starts fresh, and so is a
// new life of an id seen in the frame before (it left the view and came back between two frames).
import { describe, expect, it } from 'vitest';
import { HealthTracker } from '../src/game/model/healthTracker.js';

describe('HealthTracker', () => {
  it('reports nothing on first sight or no change', () => {
    const tracker = new HealthTracker();
    expect(tracker.observe(1, 100)).toBeUndefined();
    expect(tracker.observe(1, 100)).toBeUndefined();
  });

  it('reports hit, died and respawned in order', () => {
    const tracker = new HealthTracker();
    tracker.observe(1, 100);
    expect(tracker.observe(1, 80)).toBe('hit');
    expect(tracker.observe(1, 0)).toBe('died');
    expect(tracker.observe(1, 0)).toBeUndefined();
    expect(tracker.observe(1, 100)).toBe('respawned');
  });

  it('forgets players not observed since the last sweep', () => {
    const tracker = new HealthTracker();
    tracker.observe(1, 50);
    tracker.sweep();
    tracker.sweep();
    expect(tracker.observe(1, 100)).toBeUndefined();
  });

  it('starts a new life of an id fresh, even with no frame between: no hit, death or respawn', () => {
    const tracker = new HealthTracker();
    tracker.observe(1, 100, 5);
    expect(tracker.observe(1, 40, 9)).toBeUndefined();
    expect(tracker.observe(1, 0, 12)).toBeUndefined();
    expect(tracker.observe(1, 100, 15)).toBeUndefined();
    expect(tracker.observe(1, 70, 15)).toBe('hit');
  });

  it('remembers only the players of the last frame, however many came and went', () => {
    const tracker = new HealthTracker();
    for (let frame = 0; frame < 10_000; frame++) {
      // 40 players in view each frame, 4 of them new: ids churn through 0 … 40,003.
      for (let k = 0; k < 40; k++) tracker.observe(frame * 4 + k, 100, frame);
      tracker.sweep();
      expect(tracker.size).toBeLessThanOrEqual(40);
    }
  });
});
