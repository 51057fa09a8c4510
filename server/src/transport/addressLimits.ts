// Per-address limits: concurrent connections (checked per upgrade) and joins per minute (checked per
// HELLO), keyed by clientAddress.ts's key. Time is passed in. Memory is bounded by the open
// connections and by MAX_TRACKED_ADDRESSES, however many addresses an attacker holds.
import { RateBuckets } from '../limits/rateBuckets.js';

/** Most addresses whose join rate is remembered; past it the least recently seen may be forgotten. @default 10 000 */
export const MAX_TRACKED_ADDRESSES = 10_000;

export interface AddressLimitSettings {
  /** Concurrent WebSocket connections (game and dashboard) per address; 0 for no limit. */
  maxConnectionsPerIp: number;
  /** HELLOs per address per minute; 0 for no limit. */
  joinsPerMinutePerIp: number;
}

export class AddressLimits {
  /** Open connections per key; a key leaves when its last connection closes. */
  private readonly connections = new Map<string, number>();
  /** HELLOs per address, as token buckets (limits/rateBuckets.ts, bounded memory). */
  private readonly joins: RateBuckets;

  constructor(
    private readonly settings: AddressLimitSettings,
    maxTracked = MAX_TRACKED_ADDRESSES,
  ) {
    this.joins = new RateBuckets(settings.joinsPerMinutePerIp, maxTracked);
  }

  /** Addresses with a connection open, and addresses whose join rate is remembered. */
  get tracked(): { connections: number; joins: number } {
    return { connections: this.connections.size, joins: this.joins.tracked };
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
    return this.joins.take(key, nowMs) === 0;
  }
}
