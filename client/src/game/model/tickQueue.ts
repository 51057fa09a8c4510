// Events held until the render clock reaches their tick, so a tracer appears when the shooter is
// drawn where it fired (others are drawn in the past, by the interpolation delay).
// push() per event, due() once per frame.

/** What due() answers when nothing is due: shared, so an idle frame allocates nothing. */
const NOTHING: readonly never[] = [];

export class TickQueue<T extends { tick: number }> {
  private readonly items: T[] = [];
  /** Events dropped because maxHeld were already waiting. */
  dropped = 0;

  /**
   * @param maxHeld events held at most; past it the oldest is dropped (a hidden tab runs no frames,
   * and the effects of long-gone ticks are not worth drawing late).
   */
  constructor(readonly maxHeld = 256) {}

  get size(): number {
    return this.items.length;
  }

  /** Hold `item` (events arrive in tick order, but out-of-order ones are placed correctly). */
  push(item: T): void {
    let index = this.items.length;
    while (index > 0 && this.items[index - 1]!.tick > item.tick) index--;
    this.items.splice(index, 0, item);
    if (this.items.length > this.maxHeld) {
      this.items.shift();
      this.dropped++;
    }
  }

  /** Remove and return, in tick order, every event with tick ≤ `renderTick`. */
  due(renderTick: number): readonly T[] {
    let count = 0;
    while (count < this.items.length && this.items[count]!.tick <= renderTick) count++;
    return count === 0 ? NOTHING : this.items.splice(0, count);
  }
}
