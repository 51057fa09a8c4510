// What the socket fuzzer does with each connection it opens, generated from the run's seed: a raw
// HTTP request, or a WebSocket upgrade (maybe with the honest opening) followed by hostile frames
// cut into TCP chunks. Plans are drawn in seeded batches, so a run is the same run for the same seed.
import fc from 'fast-check';
import { type WireFrame, wireFramesArb } from '../../server/test/support/fuzz/wsFrameArb.js';
import { httpRequestArb } from './httpArb.js';

export type Plan =
  | { kind: 'http'; request: Buffer }
  | {
      kind: 'ws';
      /** Which socket to upgrade to: a room's game socket (the opening's door says which room), or the dashboard's. */
      socket: 'game' | 'dashboard';
      /** Run the opening first, to fuzz the playing state. */
      opening: boolean;
      frames: WireFrame[];
      /** Where the frames' bytes are cut into separate writes. */
      cuts: number[];
    };

export const planArb: fc.Arbitrary<Plan> = fc.oneof(
  { weight: 2, arbitrary: httpRequestArb.map((request): Plan => ({ kind: 'http', request })) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('ws' as const),
      socket: fc.oneof(
        { weight: 19, arbitrary: fc.constant('game' as const) },
        { weight: 1, arbitrary: fc.constant('dashboard' as const) },
      ),
      opening: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 2, arbitrary: fc.constant(false) }),
      frames: fc.array(wireFramesArb, { minLength: 1, maxLength: 3 }).map((groups) => groups.flat()),
      cuts: fc.array(fc.nat({ max: 4000 }), { maxLength: 3 }),
    }),
  },
);

/** Plans drawn per batch; batch k of seed s is fast-check's sample with seed s × 100 003 + k. */
const BATCH = 256;

/** The seeded, endless sequence of plans: plan(i) is the same for the same seed. */
export class PlanSource {
  private batch: Plan[] = [];
  private batchIndex = -1;

  constructor(private readonly seed: number) {}

  plan(index: number): Plan {
    const wanted = Math.floor(index / BATCH);
    if (wanted !== this.batchIndex) {
      this.batch = fc.sample(planArb, { seed: (this.seed * 100_003 + wanted) | 0, numRuns: BATCH });
      this.batchIndex = wanted;
    }
    return this.batch[index % BATCH]!;
  }
}
