// The process's connections to Redis, configured to survive Redis going away: no offline queue and
// a deadline on every call (a call while Redis is unreachable fails at once, so POST /matchmake
// answers 503 instead of hanging), an 'error' listener (without one node-redis's errors would end
// the process), reconnection with capped exponential backoff and jitter forever, and one log line
// per outage, not one per retry. Subscriptions get their own connection (duplicate()). Made once per
// process; `call` and `run` run per Redis call.
import { createClient, type RedisClientType } from 'redis';
import type { Logger } from '../log.js';
import type { LoadedScript } from './luaScripts.js';

/** First reconnection delay; doubles per failed try up to RECONNECT_CAP_MS, with full jitter. @default 100 ms */
const RECONNECT_BASE_MS = 100;
/** @default 2000 ms */
const RECONNECT_CAP_MS = 2000;
/** Calls that miss their deadline in a row before the connection counts as stalled and is dropped. @default 3 */
const STALLED_AFTER = 3;

export type RedisArgument = string | number;

export interface RedisLinkOptions {
  url: string;
  /** The deadline of every call, ms (--redis-timeout-ms). */
  timeoutMs: number;
  log: Logger;
  /** Called each time the command connection becomes ready again after being down (not at first). */
  onReconnected?: () => void;
  /** Called once the command connection is first ready. */
  onConnected?: () => void;
}

export class RedisUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`redis unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'RedisUnavailableError';
  }
}

function backoff(retries: number): number {
  return Math.floor(Math.random() * Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.min(retries, 10))) + 10;
}

export function redisClientOf(url: string, timeoutMs: number): RedisClientType {
  return createClient({
    url,
    // RESP2: flat arrays for HGETALL and WITHSCORES, which is what this directory parses.
    RESP: 2,
    disableOfflineQueue: true,
    // rejectInFlight: a call that was sent and got no answer in time fails too (a stopped or
    // blackholed Redis); a script may then have run, which is why requests carry a requestId.
    commandOptions: { timeout: timeoutMs, rejectInFlight: true },
    socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries) => backoff(retries) },
  }) as unknown as RedisClientType;
}

export class RedisLink {
  readonly client: RedisClientType;
  private everReady = false;
  private timeoutsInARow = 0;
  private down = false;
  private closed = false;
  private readonly subscribers: RedisClientType[] = [];

  constructor(private readonly options: RedisLinkOptions) {
    this.client = redisClientOf(options.url, options.timeoutMs);
    this.client.on('error', (error: unknown) => this.wentDown(error));
    this.client.on('ready', () => this.cameUp());
  }

  /** Start connecting; never rejects (it keeps trying in the background until close()). */
  connect(): void {
    this.client.connect().catch((error: unknown) => {
      if (!this.closed) this.options.log.warn('redis connection gave up', { error: String(error) });
    });
  }

  /**
   * Whether Redis answers now: the connection is ready and no outage has been seen since the last
   * call that got an answer (a stalled Redis still accepts connections, so "ready" alone would lie).
   */
  get up(): boolean {
    return this.client.isReady && !this.down;
  }

  /** One command; rejects with RedisUnavailableError when Redis cannot answer within the deadline. */
  async call<T>(args: readonly RedisArgument[]): Promise<T> {
    try {
      const reply = (await this.client.sendCommand(args.map(String))) as T;
      this.timeoutsInARow = 0;
      if (this.down) this.answeredAgain();
      return reply;
    } catch (error) {
      if (error instanceof Error && /^(ERR|WRONGTYPE|NOSCRIPT)/.test(error.message)) throw error;
      // node-redis's timeout errors keep name 'Error'; their class says which they are.
      if (error instanceof Error && /^Timeout(Read)?Error$/.test(error.constructor.name)) {
        this.timedOut(error);
      }
      throw new RedisUnavailableError(error);
    }
  }

  /**
   * A Redis that stalls (stopped, or a blackholed link) keeps the socket open, so node-redis would
   * stay "ready" while every call times out and its replies queue up. After STALLED_AFTER deadlines
   * missed in a row the connection is dropped, which starts the ordinary outage handling: `up` is
   * false, the outage is logged once, and the reconnection loop brings it back.
   */
  private timedOut(error: Error): void {
    if (++this.timeoutsInARow < STALLED_AFTER) return;
    this.timeoutsInARow = 0;
    this.wentDown(error);
    // node-redis 6.4's way to drop a connection and reconnect (the same path as a desynced reply
    // stream); internal, so guarded: without it the next heartbeat's timeouts try again.
    const client = this.client as unknown as { _resetDesyncedConnection?: (cause: Error) => void };
    client._resetDesyncedConnection?.(new Error('redis stalled: every call missed its deadline'));
  }

  /** Run a script by SHA, sending its text once if Redis does not know it yet. */
  async run<T>(script: LoadedScript, keys: readonly string[], args: readonly RedisArgument[]): Promise<T> {
    if (script.keyCount !== undefined && keys.length !== script.keyCount) {
      throw new RangeError(`${script.name} takes ${script.keyCount} keys, got ${keys.length}`);
    }
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.call<T>(['EVALSHA', script.sha, ...tail]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.call<T>(['EVAL', script.text, ...tail]);
    }
  }

  /** A separate connection for SUBSCRIBE, with the same outage handling (its own 'error' listener). */
  subscriber(): RedisClientType {
    const sub = this.client.duplicate() as unknown as RedisClientType;
    sub.on('error', () => {
      // The command connection logs the outage once; the subscriber reconnects and resubscribes by itself.
    });
    this.subscribers.push(sub);
    return sub;
  }

  /** Close both connections, waiting at most the call deadline for a clean QUIT (a stalled Redis never answers). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [this.client, ...this.subscribers].map(async (client) => {
        if (!client.isOpen) return;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), this.options.timeoutMs);
        });
        try {
          if ((await Promise.race([client.close().then(() => 'closed' as const), deadline])) === 'late')
            client.destroy();
        } catch {
          client.destroy();
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  private wentDown(error: unknown): void {
    if (this.closed || this.down) return;
    this.down = true;
    this.options.log.warn('redis unreachable: matchmaking answers 503 and rooms play on; retrying with backoff', {
      error: String(error),
    });
  }

  /** The connection is ready (first, or after a reconnection): the first time, that is "connected". */
  private cameUp(): void {
    if (!this.everReady) {
      this.everReady = true;
      this.down = false;
      this.options.log.info('redis connected', { url: redactedUrl(this.options.url) });
      this.options.onConnected?.();
      return;
    }
    // Ready is not answering (a stalled Redis accepts connections): try at once; a call that gets
    // an answer ends the outage (answeredAgain).
    this.options.onReconnected?.();
  }

  /** A call got an answer after an outage: log once and let the process register again at once. */
  private answeredAgain(): void {
    this.down = false;
    this.options.log.info('redis is back: registering this process and its rooms again');
    this.options.onReconnected?.();
  }
}

/** The URL without its password, for logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
