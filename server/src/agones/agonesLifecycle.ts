// Drives the Agones SDK from the process's lifecycle: connect at start, Ready once listening, Health
// every 2 s, a self-Allocate at the first player, the capacity label on change, Shutdown after the
// drain. Fed once a second (observe) and at start and drain; never throws into the process.
//
// Its states, from the process's side (Agones' GameServer states of the same names):
//
//   starting ──ready()──▶ ready ──first player or seat──▶ allocated ──drained()──▶ shutdown
//       └───────────────────┴──────────drained()─────────────────────────────────────▲
//
// Allocated is one-way: a process never sends Ready again after it, so a Fleet scale-down (which takes
// Ready game servers only) can never pick a process with players; one that empties out stays allocated
// until it is drained. The label is separate from the state: many rooms per game server ("high
// density"), so an allocated process keeps saying whether it can take more.
import type { Logger } from '../log.js';
import type { AgonesSdk } from './agonesSdk.js';
import { hasFreeCapacity, type ProcessLoad } from './processLoad.js';

export type AgonesPhase = 'starting' | 'ready' | 'allocated' | 'shutdown';

/** The SDK calls this driver makes; failures are counted and logged per kind. */
export type AgonesCall = 'connect' | 'ready' | 'health' | 'allocate' | 'setLabel' | 'shutdown';

/** Set to "true" / "false"; the sidecar stores it as the label `agones.dev/sdk-gs-session-ready`. */
export const SESSION_READY_LABEL = 'gs-session-ready';
/** Between two Health pings. Agones' default health period is 5 s: two pings in each. @default 2000 ms */
export const HEALTH_INTERVAL_MS = 2000;
/**
 * How long drained() waits for the sidecar to answer Shutdown before the process exits anyway: the
 * sidecar is on loopback, and a pod's grace period must cover the drain and this. @default 2000 ms
 */
export const SHUTDOWN_WAIT_MS = 2000;

export interface AgonesTimers {
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface AgonesLifecycleOptions {
  sdk: AgonesSdk;
  log: Logger;
  timers: AgonesTimers;
  /** @default HEALTH_INTERVAL_MS */
  healthIntervalMs?: number;
  /** @default SHUTDOWN_WAIT_MS */
  shutdownWaitMs?: number;
}

export class AgonesLifecycle {
  phase: AgonesPhase = 'starting';
  /** Failed SDK calls by kind, over the process's life. */
  readonly failures: Record<AgonesCall, number> = {
    connect: 0,
    ready: 0,
    health: 0,
    allocate: 0,
    setLabel: 0,
    shutdown: 0,
  };
  /** Kinds whose failure has been logged and that have not succeeded since: each outage logs once. */
  private readonly logged = new Set<AgonesCall>();
  /** SDK calls run one after another, so the sidecar sees them in the order the process made them. */
  private queue: Promise<void> = Promise.resolve();
  private isDraining = false;
  private closed = false;
  private lastLoad: ProcessLoad | undefined;
  /** The label last asked for; undefined before the first and after a failed set (so it is retried). */
  private label: boolean | undefined;
  private healthTimer: unknown;
  private readonly healthIntervalMs: number;
  private readonly shutdownWaitMs: number;

  constructor(private readonly options: AgonesLifecycleOptions) {
    this.healthIntervalMs = options.healthIntervalMs ?? HEALTH_INTERVAL_MS;
    this.shutdownWaitMs = options.shutdownWaitMs ?? SHUTDOWN_WAIT_MS;
    // A failed connect is logged and the calls still go out: the sidecar may come up later, and each
    // call fails on its own (UNAVAILABLE) until then.
    this.call('connect', () => options.sdk.connect());
  }

  /** The HTTP server listens: tell Agones the game server is Ready, and start the health pings. */
  ready(): void {
    if (this.phase !== 'starting') return;
    // Draining before listening: never offer the process for allocation (but stay healthy).
    if (!this.isDraining) {
      this.phase = 'ready';
      this.options.log.info('agones: ready');
      this.call('ready', () => this.options.sdk.ready());
    }
    // The first ping right after Ready (queued behind connect and Ready, however slow they are), then
    // one every healthIntervalMs.
    this.queue = this.queue.then(() => {
      if (this.closed || this.phase === 'shutdown') return;
      this.guard('health', () => this.ping());
      this.startHealth();
    });
  }

  /** Once a second: allocate at the first player or seat, and keep the capacity label true to the load. */
  observe(load: ProcessLoad): void {
    if (this.phase === 'shutdown') return;
    this.lastLoad = load;
    // A seat handed out is a player on the way: a scale-down between the seat and its HELLO would cut it.
    if (load.totalPlayers > 0 || load.players > 0) this.allocate();
    this.relabel();
  }

  /** The process stops taking rooms and seats: the label turns false now, not at the next second. */
  draining(): void {
    this.isDraining = true;
    if (this.phase !== 'shutdown') this.relabel();
  }

  /**
   * The drain is done: send Shutdown, stop the health pings. Resolves once the sidecar answered (or
   * failed), or after shutdownWaitMs, so the process can exit; never rejects.
   */
  drained(): Promise<void> {
    if (this.phase === 'shutdown') return this.queue;
    this.isDraining = true;
    this.phase = 'shutdown';
    this.stopHealth();
    this.options.log.info('agones: shutdown');
    const answered = this.call('shutdown', () => this.options.sdk.shutdown());
    return new Promise<void>((resolve) => {
      const timer = this.options.timers.setTimer(resolve, this.shutdownWaitMs);
      void answered.then(() => {
        this.options.timers.clearTimer(timer);
        resolve();
      });
    });
  }

  /** Stop the pings and close the channel; the last thing the process does with the SDK. */
  close(): void {
    this.closed = true;
    this.stopHealth();
    this.guard('shutdown', () => this.options.sdk.close());
  }

  private allocate(): void {
    if (this.phase !== 'starting' && this.phase !== 'ready') return;
    this.phase = 'allocated';
    this.options.log.info('agones: allocated (the process hosts players)');
    this.call('allocate', () => this.options.sdk.allocate());
  }

  private relabel(): void {
    const free = this.lastLoad !== undefined && !this.isDraining && hasFreeCapacity(this.lastLoad);
    if (free === this.label) return;
    this.label = free;
    this.call('setLabel', async () => {
      try {
        await this.options.sdk.setLabel(SESSION_READY_LABEL, String(free));
      } catch (error) {
        // Not set: forget it, so the next observe() asks again.
        if (this.label === free) this.label = undefined;
        throw error;
      }
    });
  }

  private startHealth(): void {
    const tick = () => {
      this.healthTimer = this.options.timers.setTimer(tick, this.healthIntervalMs);
      this.guard('health', () => this.ping());
    };
    this.healthTimer = this.options.timers.setTimer(tick, this.healthIntervalMs);
  }

  private stopHealth(): void {
    if (this.healthTimer !== undefined) this.options.timers.clearTimer(this.healthTimer);
    this.healthTimer = undefined;
  }

  /** One message on the Health stream; a failed write comes back through the callback, never as a throw. */
  private ping(): void {
    this.options.sdk.health((error) => this.failed('health', error));
  }

  /** Queue one SDK call after the previous ones; the returned promise settles when it did, and never rejects. */
  private call(kind: AgonesCall, run: () => unknown): Promise<void> {
    this.queue = this.queue.then(async () => {
      try {
        await run();
        this.logged.delete(kind);
      } catch (error) {
        this.failed(kind, error);
      }
    });
    return this.queue;
  }

  /** Run a synchronous SDK call now; a throw is counted and logged like a rejection. */
  private guard(kind: AgonesCall, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.failed(kind, error);
    }
  }

  private failed(kind: AgonesCall, error: unknown): void {
    this.failures[kind]++;
    if (this.logged.has(kind)) return;
    this.logged.add(kind);
    this.options.log.warn('agones: SDK call failed (logged once until it succeeds again)', {
      call: kind,
      error: String(error),
    });
  }
}
