// Watches each player's health between frames to trigger the hit flash and the death marker;
// observe() runs per player per frame, sweep() once per frame.

export type HealthChange = 'hit' | 'died' | 'respawned';

interface Seen {
  hp: number;
  /** Which life of the id (SampledEntity.lifeTick): another one is another player. */
  life: number;
}

export class HealthTracker {
  private readonly last = new Map<number, Seen>();
  private readonly seen = new Set<number>();

  /**
   * Record `id`'s health now; answers what changed since the last frame (undefined: nothing). A new
   * `life` (the id left the view and came back, or was reused) starts fresh: what it holds then is no
   * hit, death or respawn, however it differs from the health the old life had.
   */
  observe(id: number, hp: number, life = 0): HealthChange | undefined {
    this.seen.add(id);
    const seen = this.last.get(id);
    if (seen === undefined) {
      this.last.set(id, { hp, life });
      return undefined;
    }
    // Updated in place: no object per player per frame.
    const before = seen.hp;
    const sameLife = seen.life === life;
    seen.hp = hp;
    seen.life = life;
    if (!sameLife || before === hp) return undefined;
    if (hp === 0) return 'died';
    if (before === 0) return 'respawned';
    return hp < before ? 'hit' : undefined;
  }

  /** Forget players not observed since the last sweep (they left); call once per frame. */
  sweep(): void {
    for (const id of this.last.keys()) if (!this.seen.has(id)) this.last.delete(id);
    this.seen.clear();
  }

  /** Players remembered: those observed since the sweep before the last, however many came and went. */
  get size(): number {
    return this.last.size;
  }
}
