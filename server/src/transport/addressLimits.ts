// Per-address limits: concurrent connections (checked per upgrade) and joins per minute (checked per
// HELLO), keyed by clientAddress.ts's key. Time is passed in. Memory is bounded by the open
// connections and by MAX_TRACKED_ADDRESSES, however many addresses an attacker holds.

/** Most addresses whose join rate is remembered; past it the least recently seen is forgotten. @default 10 000 */
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
  /** Join buckets in least-recently-seen order (a key is re-inserted each time it is seen). */
  private readonly joins = new Map<string, JoinBucket>();

  constructor(
    private readonly settings: AddressLimitSettings,
    private readonly maxTracked = MAX_TRACKED_ADDRESSES,
  ) {}

  /** Addresses with a connection open, and addresses whose join rate is remembered. */
  get tracked(): { connections: number; joins: number } {
    return { connections: this.connections.size, joins: this.joins.size };
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
    this.forgetIdle(nowMs);
    const bucket = this.joins.get(key);
    const tokens =
      bucket === undefined
        ? perMinute
        : Math.min(perMinute, bucket.tokens + ((nowMs - bucket.atMs) * perMinute) / MINUTE_MS);
    this.joins.delete(key);
    if (tokens < 1) {
      this.joins.set(key, { tokens, atMs: nowMs });
      return false;
    }
    this.joins.set(key, { tokens: tokens - 1, atMs: nowMs });
    // Over the cap the least recently seen address is forgotten: it gets a full bucket back, which
    // only an attacker with more addresses than the cap can arrange, and such a one can join anyway.
    if (this.joins.size > this.maxTracked) this.joins.delete(this.joins.keys().next().value!);
    return true;
  }

  /**
   * Drop buckets at the old end that have refilled: a full bucket is the same as none. Stops at the
   * first that has not, so each call costs O(1) amortized (each key is dropped at most once per insert).
   */
  private forgetIdle(nowMs: number): void {
    for (const [key, bucket] of this.joins) {
      if (nowMs - bucket.atMs < MINUTE_MS) return;
      this.joins.delete(key);
    }
  }
}
