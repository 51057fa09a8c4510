// A player's bounded input queue: filled per received INPUT, drained one per tick by the room's
// input feed (room/inputFeed.ts), which writes it into the player's PlayerControl. When full, the oldest input is dropped and counted, so memory stays bounded.
// The inputs' numbers are copied into one ring of doubles: a push allocates nothing, and the input
// feed reads one small block per player instead of an object per input (profiles showed the
// per-input objects as garbage and as cache misses in the input system). The ring is a plain array
// of doubles, not a Float64Array: it then lives on V8's heap next to this object, where a typed
// array this size keeps its bytes in a separate allocation (another cache miss per push and shift).
// A subclass may reserve doubles of its own at the front of that array (Session keeps its per-frame
// numbers there), so they share its cache lines instead of needing a block of their own.

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

/** Numbers per queued input, in the order below. */
const LANES = 6;
const SEQ = 0;
const MOVE_X = 1;
const MOVE_Y = 2;
const BUTTONS = 3;
const AIM_ANGLE = 4;
const VIEW_TICK = 5;

export class InputQueue {
  /** `reserved` doubles for a subclass, then the ring: `capacity` inputs of LANES numbers each. */
  protected readonly items: number[];
  /** Where the ring starts in items. */
  private readonly ringStart: number;
  /** Index (in inputs) of the oldest queued input. */
  private head = 0;
  private count = 0;
  /** Inputs dropped because the queue was full. */
  dropped = 0;
  /** seq of the newest input taken out (the input feed applies what it takes), 0 before the first. */
  lastTakenSeq = 0;
  /**
   * Takes that found the queue empty after the first input. The input feed takes once per tick and
   * the input system repeats the latest input when there is none, so these are the player's starved ticks.
   */
  starved = 0;

  /** `reserved`: doubles kept at the front of `items` for a subclass's own use, 0.5 until it sets them. */
  constructor(
    readonly capacity: number,
    reserved = 0,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('input queue capacity must be ≥ 1');
    // Filled with a non-integer so the array holds unboxed doubles from the start.
    this.items = Array.from({ length: reserved + capacity * LANES }, () => 0.5);
    this.ringStart = reserved;
  }

  get length(): number {
    return this.count;
  }

  /** Copy `input`'s numbers in; the queue keeps no reference to it. */
  push(input: QueuedInput): void {
    if (this.count === this.capacity) {
      // Full: the oldest makes room.
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      this.dropped++;
    }
    const at = this.ringStart + ((this.head + this.count) % this.capacity) * LANES;
    const items = this.items;
    items[at + SEQ] = input.seq;
    items[at + MOVE_X] = input.moveX;
    items[at + MOVE_Y] = input.moveY;
    items[at + BUTTONS] = input.buttons;
    items[at + AIM_ANGLE] = input.aimAngle;
    items[at + VIEW_TICK] = input.viewTick;
    this.count++;
  }

  /** Move the oldest input into `out` and return true; false (out untouched) when empty. */
  shiftInto(out: QueuedInput): boolean {
    if (this.count === 0) {
      if (this.lastTakenSeq !== 0) this.starved++;
      return false;
    }
    const at = this.ringStart + this.head * LANES;
    const items = this.items;
    out.seq = items[at + SEQ]!;
    out.moveX = items[at + MOVE_X]!;
    out.moveY = items[at + MOVE_Y]!;
    out.buttons = items[at + BUTTONS]!;
    out.aimAngle = items[at + AIM_ANGLE]!;
    out.viewTick = items[at + VIEW_TICK]!;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.lastTakenSeq = out.seq;
    return true;
  }
}
