// SendTimes: a send time is found exactly while its snapshot is among the last ones kept, whatever
// the spacing of snapshot ticks; never for a tick that was not sent.
import { describe, expect, it } from 'vitest';
import { SendTimes } from '../src/room/sendTimes.js';

describe('SendTimes', () => {
  it('finds the last N snapshots, at any tick spacing up to the stated one, and nothing else', () => {
    for (const spacing of [1, 2, 3]) {
      const times = new SendTimes(4, spacing);
      const sent: number[] = [];
      let tick = 0;
      for (let i = 0; i < 50; i++) {
        tick += 1 + (i % spacing); // spacing varies between 1 and `spacing`
        times.record(tick, tick * 10 + 0.5);
        sent.push(tick);
        const kept = new Set(sent.slice(-4));
        for (let t = 0; t <= tick + 2; t++) {
          expect(times.sentAt(t), `spacing ${spacing}, tick ${t} after ${tick}`).toBe(
            kept.has(t) ? t * 10 + 0.5 : undefined,
          );
        }
      }
    }
  });

  it('finds nothing before the first snapshot', () => {
    expect(new SendTimes(4, 1).sentAt(0)).toBeUndefined();
    expect(new SendTimes(4, 1).sentAt(1)).toBeUndefined();
  });
});
