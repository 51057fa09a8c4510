// Seeded PRNG shared by the server (spawns) and the bots (arena schedule); called per draw.

/**
 * mulberry32, as docs/scenarios.md names it: floats in [0, 1) from a 32-bit seed. Its whole state is
 * one 32-bit integer, `state`, readable and settable, so a room that moves to another process takes
 * its generators with it (server/src/room/roomStateFormat.ts).
 */
export class Mulberry32 {
  /** The generator's state: the only thing the next draws depend on. */
  state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    const a = this.state;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** mulberry32 as a plain function of draws, for callers that never need its state. */
export function mulberry32(seed: number): () => number {
  const generator = new Mulberry32(seed);
  return () => generator.next();
}

/** A spawner's state: its generator's, and (the game's) the spawn points left in the current round. */
export interface SpawnerState {
  random: number;
  round: number[];
}
