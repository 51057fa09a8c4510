// Turns an unexpected exception at an entry point from the network or the clock into one log line
// and one count, so that it ends what it was working for (a connection, a request, a room's
// players) and never the process. Runs only when something has already gone wrong.
//
// Every way into the server's code goes through one of these entry points: an HTTP request, a
// WebSocket upgrade, a frame (or a TCP chunk) from a client, a socket closing, a timer working for
// connections (heartbeat, handshake and idle expiry), and the tick. Each catches what it calls,
// reports it here, then closes only what it was working for: 500 for a request, 1011 for a socket,
// 1011 to every player of a room whose tick threw.
import type { Logger } from './log.js';

export const ENTRY_POINTS = ['http', 'upgrade', 'frame', 'close', 'timer', 'tick'] as const;
export type EntryPoint = (typeof ENTRY_POINTS)[number];

/** Most characters of an error's stack kept in its log line. */
const MAX_STACK_CHARS = 2000;

export class Faults {
  /** Unexpected exceptions caught, by entry point (/healthz `faults`, /metrics `tickwire_faults_total`). */
  readonly counts: Record<EntryPoint, number> = { http: 0, upgrade: 0, frame: 0, close: 0, timer: 0, tick: 0 };

  constructor(private readonly log: Logger) {}

  /** One unexpected exception at `entry`: counted, and logged as one line with its stack. */
  record(entry: EntryPoint, error: unknown, fields?: Record<string, unknown>): void {
    this.counts[entry]++;
    this.log.error('unexpected error', { entry, ...fields, error: describe(error) });
  }

  get total(): number {
    let sum = 0;
    for (const entry of ENTRY_POINTS) sum += this.counts[entry];
    return sum;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return (error.stack ?? `${error.name}: ${error.message}`).slice(0, MAX_STACK_CHARS);
  try {
    return String(error).slice(0, MAX_STACK_CHARS);
  } catch {
    return 'an unprintable value';
  }
}
