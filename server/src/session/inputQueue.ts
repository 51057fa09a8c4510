// A player's bounded input queue: filled per received INPUT, drained one per tick by the input
// system. When full, the oldest input is dropped and counted, so memory stays bounded.
// A fixed ring, not Array.shift(): shifting left-trims the array's backing store on every tick,
// which profiles showed as a per-player cost of the input system.

export interface QueuedInput {
  seq: number;
  moveX: number;
  moveY: number;
  buttons: number;
  /** Radians, [-π, π]. */
  aimAngle: number;
  /** The client's render tick when it sampled the input; 0 = none. */
  viewTick: number;
}

export class InputQueue {
  private readonly items: (QueuedInput | undefined)[];
  /** Index of the oldest queued input. */
  private head = 0;
  private count = 0;
  /** Inputs dropped because the queue was full. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('input queue capacity must be ≥ 1');
    this.items = new Array<QueuedInput | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  push(input: QueuedInput): void {
    if (this.count === this.capacity) {
      // Full: the oldest makes room.
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      this.dropped++;
    }
    this.items[(this.head + this.count) % this.capacity] = input;
    this.count++;
  }

  shift(): QueuedInput | undefined {
    if (this.count === 0) return undefined;
    const input = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return input;
  }
}
