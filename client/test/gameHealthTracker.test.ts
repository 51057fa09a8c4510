// Health between frames: a drop is a hit (flash), 0 is a death (marker), back up from 0 a respawn;
// a player not seen for a frame is forgotten so a rejoin with a reused id starts fresh.
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
});
