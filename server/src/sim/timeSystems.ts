// Wraps each ecsy system's execute with a high-resolution clock, once per world at creation; the
// wrapper then runs once per system per tick. ecsy's own system.executeTime uses Date.now() in
// Node, so it is whole milliseconds: useless for systems that take microseconds.

import type { System, World } from 'ecsy';
import type { MsHistogram } from '../stats/histogram.js';

/** What timeSystems returns: call flush() once per tick, after world.execute has been timed. */
export interface SystemTimer {
  /** Record the durations measured in the last world.execute into each system's histogram. */
  flush(): void;
}

/**
 * Time every registered system for `histogramFor(<system class name>)`, two clock reads per system
 * per tick. Call after every system is registered. A system's time runs from ecsy's canExecute check
 * for it to the end of ecsy's clearEvents for it, which ecsy calls right after execute
 * (SystemManager.executeSystem; neither method is in ecsy's typings), so ecsy's per-system
 * bookkeeping (its own Date.now() timing, clearing the query event lists) is counted with the
 * system. The durations are recorded by flush(), outside world.execute, so the histogram
 * bookkeeping is not counted as world time that no system accounts for.
 */
export function timeSystems(
  world: World,
  clock: () => number,
  histogramFor: (name: string) => MsHistogram,
): SystemTimer {
  const systems = world.getSystems() as (System & { canExecute(): boolean; clearEvents(): void })[];
  const histograms = systems.map((system) => histogramFor(system.constructor.name));
  /** When each system's turn began this tick, and its duration; NaN for one that did not run. */
  const starts = new Float64Array(systems.length).fill(Number.NaN);
  const durations = new Float64Array(systems.length).fill(Number.NaN);
  systems.forEach((system, index) => {
    const canExecute = system.canExecute.bind(system);
    const clearEvents = system.clearEvents.bind(system);
    system.canExecute = (): boolean => {
      starts[index] = clock();
      return canExecute();
    };
    system.clearEvents = (): void => {
      clearEvents();
      const start = starts[index]!;
      if (Number.isNaN(start)) return;
      durations[index] = clock() - start;
      starts[index] = Number.NaN;
    };
  });
  return {
    flush(): void {
      for (let i = 0; i < durations.length; i++) {
        const duration = durations[i]!;
        if (Number.isNaN(duration)) continue;
        histograms[i]!.record(duration);
        durations[i] = Number.NaN;
      }
    },
  };
}
