// Wraps each ecsy system's execute with a high-resolution clock, once per world at creation; the
// wrapper then runs once per system per tick. ecsy's own system.executeTime uses Date.now() in
// Node, so it is whole milliseconds: useless for systems that take microseconds.
import type { World } from 'ecsy';
import type { MsHistogram } from '../stats/histogram.js';

/**
 * Replace every registered system's `execute` with one that records its duration into
 * `histogramFor(<system class name>)`. Call after every system is registered; two clock reads
 * and one histogram record per system per tick.
 */
export function timeSystems(world: World, clock: () => number, histogramFor: (name: string) => MsHistogram): void {
  for (const system of world.getSystems()) {
    const histogram = histogramFor(system.constructor.name);
    const execute = system.execute.bind(system);
    system.execute = (delta: number, time: number): void => {
      const start = clock();
      execute(delta, time);
      histogram.record(clock() - start);
    };
  }
}
