// Hands out small player ids (the lowest free one, so they stay 1-byte on the wire); per join and leave.

export class IdAllocator {
  private readonly used = new Set<number>();

  constructor(private readonly max: number) {}

  /** The lowest free id in [1, max], or undefined when all are taken. */
  take(): number | undefined {
    for (let id = 1; id <= this.max; id++) {
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    return undefined;
  }

  release(id: number): void {
    this.used.delete(id);
  }

  /** The ids taken, ascending: the allocator's whole state (a room moving carries it). */
  get taken(): number[] {
    return [...this.used].sort((a, b) => a - b);
  }

  set taken(ids: readonly number[]) {
    if (ids.some((id) => !Number.isInteger(id) || id < 1 || id > this.max))
      throw new RangeError('player id out of range');
    this.used.clear();
    for (const id of ids) this.used.add(id);
  }
}
