// Per-address limits: concurrent connections (checked per upgrade) and joins per minute (checked per
// HELLO), keyed by clientAddress.ts's key. Time is passed in. Memory is bounded by the open
// connections and by MAX_TRACKED_ADDRESSES, however many addresses an attacker holds.

/** Most addresses whose join rate is remembered; past it the least recently seen may be forgotten. @default 10 000 */
export const MAX_TRACKED_ADDRESSES = 10_000;
/** The join rate's window. @default 60 000 ms */
const MINUTE_MS = 60_000;

export interface AddressLimitSettings {
  /** Concurrent WebSocket connections (game and dashboard) per address; 0 for no limit. */
  maxConnectionsPerIp: number;
  /** HELLOs per address per minute; 0 for no limit. */
  joinsPerMinutePerIp: number;
}

/** A join bucket: tokens left when last seen, and when that was. */
interface JoinBucket {
  tokens: number;
  atMs: number;
}

export class AddressLimits {
  /** Open connections per key; a key leaves when its last connection closes. */
  private readonly connections = new Map<string, number>();
  /**
   * Join buckets in two generations: an address seen is (re)written into `current`; when `current`
   * holds half the cap, or is a minute old, it becomes `previous` and the old `previous` is dropped
   * whole. So the table holds at most the cap, and every step is O(1): a Map used as an LRU queue
   * (delete the oldest key) is not, since V8 skips the deleted slots from the front on each scan.
   */
  private current = new Map<string, JoinBucket>();
  private previous = new Map<string, JoinBucket>();
  private currentSinceMs = 0;
  private lastJoinAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly settings: AddressLimitSettings,
    private readonly maxTracked = MAX_TRACKED_ADDRESSES,
  ) {}

  /** Addresses with a connection open, and addresses whose join rate is remembered. */
  get tracked(): { connections: number; joins: number } {
    return { connections: this.connections.size, joins: this.current.size + this.previous.size };
  }

  /** Count one more connection from `key`, or return false (nothing counted) if it has its maximum. */
  openConnection(key: string): boolean {
    const open = this.connections.get(key) ?? 0;
    const max = this.settings.maxConnectionsPerIp;
    if (max > 0 && open >= max) return false;
    this.connections.set(key, open + 1);
    return true;
  }

  /** One connection that openConnection counted has closed. */
  closeConnection(key: string): void {
    const open = this.connections.get(key);
    if (open === undefined) return;
    if (open <= 1) this.connections.delete(key);
    else this.connections.set(key, open - 1);
  }

  /**
   * Whether a HELLO from `key` at `nowMs` may join. A token bucket: `joinsPerMinutePerIp` joins at
   * once, refilling at that many per minute, so a steady rate above it is refused and one below it
   * never is. Each call that returns true spends a token.
   */
  admitJoin(key: string, nowMs: number): boolean {
    const perMinute = this.settings.joinsPerMinutePerIp;
    if (perMinute === 0) return true;
    this.rotate(nowMs);
    const bucket = this.current.get(key) ?? this.previous.get(key);
    const tokens =
      bucket === undefined
        ? perMinute
        : Math.min(perMinute, bucket.tokens + ((nowMs - bucket.atMs) * perMinute) / MINUTE_MS);
    const admitted = tokens >= 1;
    this.current.set(key, { tokens: admitted ? tokens - 1 : tokens, atMs: nowMs });
    return admitted;
  }

  /**
   * Start a new generation when `current` is full (half the cap) or a minute old. A bucket not seen
   * for a minute has refilled, and a full bucket is the same as none: so after a quiet minute both
   * generations go. Past the cap an address may be forgotten sooner and get a full bucket back,
   * which only an attacker with more addresses than the cap can arrange, and such a one can join anyway.
   */
  private rotate(nowMs: number): void {
    if (nowMs - this.lastJoinAtMs >= MINUTE_MS) {
      this.current = new Map();
      this.previous = new Map();
      this.currentSinceMs = nowMs;
    } else if (this.current.size >= this.maxTracked / 2 || nowMs - this.currentSinceMs >= MINUTE_MS) {
      this.previous = this.current;
      this.current = new Map();
      this.currentSinceMs = nowMs;
    }
    this.lastJoinAtMs = nowMs;
  }
}
