// Watches each player's health between frames to trigger the hit flash and the death marker;
// observe() runs per player per frame, sweep() once per frame.

export type HealthChange = 'hit' | 'died' | 'respawned';

export class HealthTracker {
  private readonly hp = new Map<number, number>();
  private readonly seen = new Set<number>();

  /** Record `id`'s health now; answers what changed since the last frame (undefined: nothing). */
  observe(id: number, hp: number): HealthChange | undefined {
    this.seen.add(id);
    const before = this.hp.get(id);
    this.hp.set(id, hp);
    if (before === undefined || before === hp) return undefined;
    if (hp === 0) return 'died';
    if (before === 0) return 'respawned';
    return hp < before ? 'hit' : undefined;
  }

  /** Forget players not observed since the last sweep (they left); call once per frame. */
  sweep(): void {
    for (const id of this.hp.keys()) if (!this.seen.has(id)) this.hp.delete(id);
    this.seen.clear();
  }
}
