// A player's bounded input queue: filled per received INPUT, drained one per tick by the input
// system. When full, the oldest input is dropped and counted, so memory stays bounded.

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
  private readonly items: QueuedInput[] = [];
  /** Inputs dropped because the queue was full. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('input queue capacity must be ≥ 1');
  }

  get length(): number {
    return this.items.length;
  }

  push(input: QueuedInput): void {
    if (this.items.length >= this.capacity) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push(input);
  }

  shift(): QueuedInput | undefined {
    return this.items.shift();
  }
}
