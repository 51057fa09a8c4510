// The client's silence timeout: a link with nothing arriving for SILENCE_TIMEOUT_MS counts as dead.
import { describe, expect, it } from 'vitest';
import { SILENCE_TIMEOUT_MS } from '../src/net/reconnectPolicy.js';
import { SilenceWatch } from '../src/net/silenceWatch.js';

describe('SilenceWatch', () => {
  it('is silent after 4 s without a frame, not before', () => {
    const watch = new SilenceWatch(1000);
    expect(SILENCE_TIMEOUT_MS).toBe(4000);
    expect(watch.silent(4999)).toBe(false);
    expect(watch.silent(5000)).toBe(true);
  });

  it('restarts the wait at each frame heard', () => {
    const watch = new SilenceWatch(0, 4000);
    watch.heard(3000);
    expect(watch.silent(6000)).toBe(false);
    expect(watch.remainingMs(6000)).toBe(1000);
    expect(watch.silent(7000)).toBe(true);
    expect(watch.remainingMs(8000)).toBe(0);
  });

  it('ignores a reading from the past', () => {
    const watch = new SilenceWatch(5000, 4000);
    watch.heard(1000);
    expect(watch.remainingMs(5000)).toBe(4000);
  });
});
