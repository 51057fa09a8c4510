// One scheduler for every room of the process: one timer per wake-up, aimed at the next due slot,
// never one timer per room. Runs once per wake-up (K × tick rate times a second per distinct rate).
//
// Rooms of one tick rate (period P) are spread over K phase slots, slot k due at k·P/K into each period:
//
//   P = 33.3 ms at 30 Hz, K = 8:   slot 0   1    2    3    4    5    6    7  │ 0 ...
//                                  |----|----|----|----|----|----|----|----|──► time
//                                  4.17 ms apart; a wake-up runs one slot's rooms, one after another
//
// A room joins the slot of its rate with the fewest rooms. The rooms of one slot share one
// FixedStepClock (same rate, same phase), so a wake-up asks one clock per slot, not one per room; a
// room's own tick number is the slot's tick minus the slot tick it joined at (plus where it left off,
// for a room restored from elsewhere). After a stall the slot's clock catches up or drops ticks
// (fixedStepClock.ts), the same for all its rooms.
//
// Why K = 8: all rooms in one slot run back to back, so the last one starts late by the sum of the
// others' ticks. With K = 1 (every room at one instant) 256 rooms × 50 µs start up to 12.8 ms late;
// K = 8 cuts that burst to 32 rooms (1.6 ms, under the 2 ms lateness target) for 8 × 30 = 240
// wake-ups a second, against 256 × 30 = 7,680 with one timer per room. K = 16 would halve the burst
// again for 480 wake-ups a second; at the room counts a process holds (rooms-32×8: 4 rooms a slot)
// that buys nothing. bench/room-scheduler.ts measures K = 1, 8, 16 against one timer per room.
//
// A room's tick that throws is caught and reported through onError, and every other room still
// ticks; the process decides what to do with the room (fail it, remove it).
import { FixedStepClock } from '../fixedStepClock.js';
import type { TickCounts } from '../metrics/roomFigureSource.js';

/** Phase slots per tick period. @default 8 */
export const DEFAULT_PHASE_SLOTS = 8;
/**
 * How early a wake-up may run a slot. Node's timers count whole ms from the event loop's cached
 * time, so a timer can fire up to 1 ms before the time asked; a slot due within this margin runs
 * now (its lateness reads slightly negative) instead of costing a second wake-up 1 ms later, which
 * measured 1.7 wake-ups per due slot instead of 1. @default 1 ms
 */
export const DEFAULT_EARLY_MS = 1;

export interface SchedulerTimers {
  /** Monotonic ms. */
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface TickTarget {
  readonly id: string;
  /** Run one tick. `startMs` is when this room's tick starts, `dueMs` when it was due (lateness = the difference). */
  tick(tick: number, startMs: number, dueMs: number): void;
}

export interface RoomSchedulerOptions {
  timers: SchedulerTimers;
  /** A room's tick threw; that room is not removed (the caller decides). */
  onError(roomId: string, error: unknown): void;
  slots?: number;
  /** Steps run at once after a stall before ticks are dropped. @default 5 */
  maxCatchUp?: number;
  /** See DEFAULT_EARLY_MS; 0 on a clock whose timers never fire early (a test's). @default 1 ms */
  earlyMs?: number;
}

interface Member {
  target: TickTarget;
  /** Slot tick minus this room's tick (constant while it stays in the slot). */
  offset: number;
  /** The slot's tick when the room joined; it ticks from the slot's next tick on. */
  joinedAt: number;
}

interface Slot {
  readonly rateHz: number;
  readonly index: number;
  readonly clock: FixedStepClock;
  readonly members: Map<string, Member>;
}

export class RoomScheduler {
  readonly slotCount: number;
  /** Timer callbacks run so far: the scheduler's wake-ups. */
  wakeUps = 0;
  /** Room ticks run so far, over every room (a room's tick that threw counts too). */
  roomTicks = 0;
  /** Slot ticks dropped after stalls by slots that no longer exist (see droppedTicks). */
  private retiredDrops = 0;
  private readonly timers: SchedulerTimers;
  private readonly onError: (roomId: string, error: unknown) => void;
  private readonly maxCatchUp: number;
  /** How early a due slot may run (DEFAULT_EARLY_MS); rooms run their tick clock this far ahead. */
  readonly earlyMs: number;
  /** Per tick rate, its K slots (undefined until a room of that rate uses one). */
  private readonly slotsByRate = new Map<number, (Slot | undefined)[]>();
  /** Slots with at least one room: the only ones a wake-up looks at. */
  private readonly live = new Set<Slot>();
  private readonly slotOf = new Map<string, Slot>();
  /** Phases are measured from here, so slots of one rate keep their spacing whenever they are made. */
  private readonly epochMs: number;
  private timer: unknown;
  private timerDueMs = Number.POSITIVE_INFINITY;
  /** The counters as telemetry reads them: room ticks run, ticks dropped, wake-ups. */
  readonly counts: TickCounts = new SchedulerCounts(this);
  private running = false;

  constructor(options: RoomSchedulerOptions) {
    this.timers = options.timers;
    this.onError = options.onError;
    this.slotCount = options.slots ?? DEFAULT_PHASE_SLOTS;
    this.maxCatchUp = options.maxCatchUp ?? 5;
    this.earlyMs = options.earlyMs ?? DEFAULT_EARLY_MS;
    if (!Number.isInteger(this.slotCount) || this.slotCount < 1) throw new RangeError('slots must be an integer ≥ 1');
    this.epochMs = this.timers.now();
  }

  get rooms(): number {
    return this.slotOf.size;
  }

  /** Ticks dropped after stalls (fixedStepClock.ts), summed over slots: each drop skipped every room of its slot. */
  get droppedTicks(): number {
    let dropped = this.retiredDrops;
    for (const slot of this.live) dropped += slot.clock.droppedTicks;
    return dropped;
  }

  /** Rooms in each slot of a rate, slot 0 first. */
  slotLoads(rateHz: number): number[] {
    return (this.slotsByRate.get(rateHz) ?? Array.from({ length: this.slotCount })).map((s) => s?.members.size ?? 0);
  }

  /**
   * Tick `target` at `rateHz` from the next due tick of the least-loaded slot of that rate; its
   * ticks are numbered from `lastTick + 1`. Returns the slot chosen. A room id may be added once.
   */
  add(target: TickTarget, rateHz: number, lastTick = 0): number {
    if (this.slotOf.has(target.id)) throw new Error(`room ${target.id} is already scheduled`);
    const slot = this.leastLoadedSlot(rateHz);
    slot.members.set(target.id, { target, offset: slot.clock.tick - lastTick, joinedAt: slot.clock.tick });
    this.slotOf.set(target.id, slot);
    this.live.add(slot);
    this.schedule();
    return slot.index;
  }

  /** Stop ticking a room (safe from inside any room's tick). False if it was not scheduled. */
  remove(roomId: string): boolean {
    const slot = this.slotOf.get(roomId);
    if (slot === undefined) return false;
    slot.members.delete(roomId);
    this.slotOf.delete(roomId);
    if (slot.members.size === 0) {
      this.retiredDrops += slot.clock.droppedTicks;
      this.live.delete(slot);
      this.slotsByRate.get(slot.rateHz)![slot.index] = undefined;
    }
    return true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.cancelTimer();
  }

  /** Run every slot that is due at the clock's now. Called by the timer; public so tests can step. */
  runDue(): void {
    const now = this.timers.now() + this.earlyMs;
    for (const slot of this.live) {
      if (slot.clock.nextDueMs() > now) continue;
      let steps = slot.clock.due(now);
      while (steps-- > 0 && slot.members.size > 0) this.runSlotTick(slot);
    }
  }

  private runSlotTick(slot: Slot): void {
    const { tick } = slot.clock.beginTick(this.timers.now());
    const dueMs = slot.clock.dueMs(tick);
    for (const member of slot.members.values()) {
      if (tick <= member.joinedAt) continue; // joined during this very tick
      const startMs = this.timers.now();
      this.roomTicks++;
      try {
        member.target.tick(tick - member.offset, startMs, dueMs);
      } catch (error) {
        this.report(member.target.id, error);
      }
    }
  }

  private report(roomId: string, error: unknown): void {
    try {
      this.onError(roomId, error);
    } catch {
      // A failing reporter must not stop the other rooms either.
    }
  }

  private readonly wake = (): void => {
    this.timer = undefined;
    this.timerDueMs = Number.POSITIVE_INFINITY;
    if (!this.running) return;
    this.wakeUps++;
    this.runDue();
    this.schedule();
  };

  private leastLoadedSlot(rateHz: number): Slot {
    let slots = this.slotsByRate.get(rateHz);
    if (slots === undefined) {
      slots = Array.from({ length: this.slotCount });
      this.slotsByRate.set(rateHz, slots);
    }
    let best = 0;
    for (let i = 1; i < this.slotCount; i++) {
      if ((slots[i]?.members.size ?? 0) < (slots[best]?.members.size ?? 0)) best = i;
    }
    const existing = slots[best];
    if (existing !== undefined) return existing;
    const slot: Slot = { rateHz, index: best, clock: this.alignedClock(rateHz, best), members: new Map() };
    slots[best] = slot;
    return slot;
  }

  /** A clock whose due times fall on this slot's phase: origin = the last such instant at or before now. */
  private alignedClock(rateHz: number, index: number): FixedStepClock {
    const periodMs = 1000 / rateHz;
    const phaseMs = this.epochMs + (index * periodMs) / this.slotCount;
    const now = this.timers.now();
    const origin = phaseMs + Math.floor((now - phaseMs) / periodMs) * periodMs;
    return new FixedStepClock(rateHz, this.maxCatchUp, origin);
  }

  /** Aim the one timer at the earliest due slot, if that is earlier than where it is aimed now. */
  private schedule(): void {
    if (!this.running) return;
    let next = Number.POSITIVE_INFINITY;
    for (const slot of this.live) next = Math.min(next, slot.clock.nextDueMs());
    if (next === Number.POSITIVE_INFINITY) return this.cancelTimer();
    if (this.timer !== undefined && this.timerDueMs <= next) return;
    this.cancelTimer();
    this.timerDueMs = next;
    // Timers fire at or after their delay, so aim at the due time itself; lateness is measured.
    this.timer = this.timers.setTimer(this.wake, Math.max(0, next - this.timers.now()));
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimer(this.timer);
    this.timer = undefined;
    this.timerDueMs = Number.POSITIVE_INFINITY;
  }
}

/** A scheduler's counters under the names telemetry reads (metrics/roomFigureSource.ts). */
class SchedulerCounts implements TickCounts {
  constructor(private readonly scheduler: RoomScheduler) {}
  get tick(): number {
    return this.scheduler.roomTicks;
  }
  get droppedTicks(): number {
    return this.scheduler.droppedTicks;
  }
  get wakeUps(): number {
    return this.scheduler.wakeUps;
  }
}
