// A fault-injecting TCP proxy for integration tests (node:net only): created once per test file or
// test, its relay runs per chunk. It sits between clients and the real server and, on command,
// resets connections, blackholes them, delays each direction, each for all or only some connections.
// Use: `const proxy = await startFaultProxy({ targetPort: server.port })`; clients go through it by URL:
// POST /matchmake on `proxy.url` answers a wsUrl on the proxy's port (the server builds it from the
// Host header), so `joinSeat(proxy.url)` and the bot CLI's `--url <proxy.url>` need nothing else;
// a seat taken from the server directly goes through with `proxy.via(ticket.wsUrl)`. Then
// `proxy.reset()`, `await proxy.blackhole(ms)` (or a long one ended by `proxy.heal()`: a half-open
// link the server times out while the client's socket stays open), `proxy.setDelay({ toServer,
// toClient })`, with a filter over `index` / `label` / `clientPort` to hit only some connections;
// `await proxy.close()` in afterAll.
//
// Each accepted connection is relayed to target host:port in both directions through a queue per
// direction, so one pump gives delay, blackhole and ordering:
//
//   client ──data──► [queue toServer: chunk due at arrival + delay] ──pump──► server
//   client ◄──pump── [queue toClient: chunk due at arrival + delay] ◄──data── server
//
// A blackhole HOLDS data, it does not drop it: the proxy relays a TCP byte stream, and a real
// blackhole (a dead Wi-Fi, a NAT that forgot the flow) loses packets below TCP, which retransmits
// them, so the application sees a stall and then every byte in order, or a dead connection, never a
// live stream with bytes missing. Dropping bytes here would cut WebSocket frames in half and test
// the decoder's answer to garbage instead of the client's answer to silence. Ends (FIN) and resets
// from either side are held the same way: nothing is closed while blackholed. A queue that holds more
// than HIGH_WATER_BYTES stops reading its source, so the sender's buffers fill as they would behind
// a real stalled link (the server's backpressure rules then apply).
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Queued bytes per direction above which the source is no longer read. @default 1 MiB */
const HIGH_WATER_BYTES = 1024 * 1024;

export interface FaultProxyOptions {
  /** Port every accepted connection is relayed to. */
  targetPort: number;
  /** @default '127.0.0.1' */
  targetHost?: string;
}

/** One relayed connection, as filters and tests see it. */
export interface ProxyConnection {
  /** Ordinal: 0 for the first connection this proxy accepted, 1 for the next, ... */
  readonly index: number;
  /**
   * The request target of the client's first bytes when they are an HTTP request line
   * ("/ws/<roomId>", "/matchmake"), else "" (also before the client sent anything).
   */
  readonly label: string;
  /** The client's source port (a test finds its own socket's connection by its local port). */
  readonly clientPort: number;
  /** Bytes delivered to the server / to the client (not counting bytes still queued). */
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  /** Bytes read but not yet delivered (delayed or blackholed), both directions. */
  readonly heldBytes: number;
}

/** Picks the connections a fault applies to. */
export type ConnectionFilter = (connection: ProxyConnection) => boolean;

export interface ProxyCounts {
  /** Connections accepted since start. */
  accepted: number;
  /** Connections with either side still open. */
  open: number;
  /** Bytes delivered to the server / to clients, over every connection since start. */
  bytesToServer: number;
  bytesToClient: number;
  /** Connections ended by reset(). */
  resets: number;
}

export interface Delay {
  /** Added to every chunk from clients to the server, ms. @default 0 */
  toServer?: number;
  /** Added to every chunk from the server to clients, ms. @default 0 */
  toClient?: number;
}

export interface FaultProxy {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** `url` (http(s):// or ws(s)://) with its host and port replaced by the proxy's. */
  via(url: string): string;
  counts(): ProxyCounts;
  /** Connections with either side still open, oldest first. */
  connections(): ProxyConnection[];
  /** RST both sides of every open connection `which` picks (all by default) at once; returns those reset. */
  reset(which?: ConnectionFilter): ProxyConnection[];
  /**
   * Forward nothing either way for `ms` on the connections `which` picks, closing nothing; held data
   * follows in order afterwards. Without `which`, connections accepted meanwhile are blackholed too.
   * Resolves when the blackhole ends or heal() is called; after a timed end, the held data moves
   * only once the awaiting code has run (it sees the counters as they were during the blackhole).
   */
  blackhole(ms: number, which?: ConnectionFilter): Promise<void>;
  /** End every blackhole now: the link comes back when the test says so (a long blackhole, then heal()). */
  heal(): void;
  /** Delay every chunk relayed from now on, per direction (0 for none). */
  setDelay(delay: Delay): void;
  /** Stop listening and destroy every connection; resolves once the listener is closed. Safe to call twice. */
  close(): Promise<void>;
}

type Item = Buffer | 'end' | 'reset';

interface Settings {
  delay: Required<Delay>;
  totals: ProxyCounts;
}

/** One direction of a relayed connection: reads `from`, queues, writes `to` when due and not blackholed. */
class Pipe {
  private readonly queue: { item: Item; dueMs: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  queuedBytes = 0;
  delivered = 0;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly link: Relay,
    private readonly onDelivered: (bytes: number) => void,
  ) {
    to.on('drain', () => this.throttle());
  }

  push(item: Item, delayMs: number): void {
    this.queue.push({ item, dueMs: performance.now() + delayMs });
    if (typeof item !== 'string') this.queuedBytes += item.length;
    this.pump();
  }

  /** Deliver every due item unless blackholed; items are delivered in order, never before due. */
  pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.to.destroyed) return this.clear();
    const now = performance.now();
    // Blackholed: no timer of its own; the blackhole's end (or heal()) pumps again.
    if (now < this.link.blackholeUntil) return this.throttle();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.dueMs > now) {
        this.wakeIn(head.dueMs - now);
        break;
      }
      this.queue.shift();
      if (head.item === 'end') this.to.end();
      else if (head.item === 'reset') this.to.resetAndDestroy();
      else {
        this.queuedBytes -= head.item.length;
        this.delivered += head.item.length;
        this.onDelivered(head.item.length);
        this.to.write(head.item);
      }
    }
    this.throttle();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  /** Read `from` only while the queue and `to`'s write buffer have room (TCP backpressure). */
  private throttle(): void {
    if (this.from.destroyed) return;
    const full = this.queuedBytes >= HIGH_WATER_BYTES || this.to.writableNeedDrain;
    if (full && !this.from.isPaused()) this.from.pause();
    else if (!full && this.from.isPaused()) this.from.resume();
  }

  private wakeIn(ms: number): void {
    // Timers may fire a fraction of a millisecond early against performance.now(): pump re-checks.
    this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(ms)));
  }
}

/** One accepted connection and its upstream socket. */
class Relay implements ProxyConnection {
  label = '';
  blackholeUntil: number;
  wasReset = false;
  readonly clientPort: number;
  private readonly toServer: Pipe;
  private readonly toClient: Pipe;

  constructor(
    readonly index: number,
    readonly client: Socket,
    readonly server: Socket,
    settings: Settings,
    blackholeUntil: number,
    onClosed: (relay: Relay) => void,
  ) {
    this.clientPort = client.remotePort ?? 0;
    this.blackholeUntil = blackholeUntil;
    const { totals } = settings;
    this.toServer = new Pipe(client, server, this, (bytes) => {
      totals.bytesToServer += bytes;
    });
    this.toClient = new Pipe(server, client, this, (bytes) => {
      totals.bytesToClient += bytes;
    });
    client.once('data', (chunk: Buffer) => {
      const requestLine = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r?\n/.exec(chunk.toString('latin1', 0, 2048));
      this.label = requestLine?.[1] ?? '';
    });
    const wire = (socket: Socket, pipe: Pipe, back: Pipe, direction: keyof Delay) => {
      // The delay in force when a chunk arrives applies to it (setDelay replaces settings.delay).
      socket.on('data', (chunk: Buffer) => pipe.push(chunk, settings.delay[direction]));
      socket.on('end', () => pipe.push('end', settings.delay[direction]));
      // An error (a reset, a refused connect) kills this side: the other side gets a reset once what
      // this side sent before it has been delivered; what was queued towards this side is dropped.
      socket.on('error', () => {
        back.clear();
        if (!this.wasReset) pipe.push('reset', settings.delay[direction]);
      });
    };
    wire(client, this.toServer, this.toClient, 'toServer');
    wire(server, this.toClient, this.toServer, 'toClient');
    let closedSides = 0;
    const sideClosed = () => {
      closedSides += 1;
      if (closedSides === 2) onClosed(this);
    };
    client.once('close', sideClosed);
    server.once('close', sideClosed);
  }

  get bytesToServer(): number {
    return this.toServer.delivered;
  }

  get bytesToClient(): number {
    return this.toClient.delivered;
  }

  get heldBytes(): number {
    return this.toServer.queuedBytes + this.toClient.queuedBytes;
  }

  reset(): void {
    this.wasReset = true;
    this.toServer.clear();
    this.toClient.clear();
    this.client.resetAndDestroy();
    this.server.resetAndDestroy();
  }

  /** Hold everything until `untilMs` (performance.now() time; 0 to end a blackhole now). */
  blackhole(untilMs: number): void {
    this.blackholeUntil = untilMs === 0 ? 0 : Math.max(this.blackholeUntil, untilMs);
    this.pump();
  }

  /** Deliver what is due in both directions (nothing while blackholed). */
  pump(): void {
    this.toServer.pump();
    this.toClient.pump();
  }

  destroy(): void {
    this.toServer.clear();
    this.toClient.clear();
    this.client.destroy();
    this.server.destroy();
  }
}

/** Listen on a free loopback port and relay every connection to `targetHost:targetPort`. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const settings: Settings = {
    delay: { toServer: 0, toClient: 0 },
    totals: { accepted: 0, open: 0, bytesToServer: 0, bytesToClient: 0, resets: 0 },
  };
  const open = new Set<Relay>();
  /** A blackhole over every connection also holds the ones accepted while it lasts. */
  let everyoneBlackholedUntil = 0;
  /** Blackholes not yet over: close() ends them so no test waits on a closed proxy. */
  const blackholes = new Map<NodeJS.Timeout, () => void>();

  const listener: Server = createServer({ allowHalfOpen: true }, (client) => {
    const server = connect({ host: targetHost, port: options.targetPort, allowHalfOpen: true });
    const relay = new Relay(settings.totals.accepted, client, server, settings, everyoneBlackholedUntil, (done) => {
      open.delete(done);
      settings.totals.open = open.size;
    });
    settings.totals.accepted += 1;
    open.add(relay);
    settings.totals.open = open.size;
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const address = listener.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address');
  const port = address.port;

  const endBlackholes = () => {
    for (const [timer, end] of blackholes) {
      clearTimeout(timer);
      end();
    }
    blackholes.clear();
  };

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    via(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    counts: () => ({ ...settings.totals }),
    connections: () => [...open],
    reset(which = () => true) {
      const picked = [...open].filter((relay) => !relay.wasReset && which(relay));
      for (const relay of picked) relay.reset();
      settings.totals.resets += picked.length;
      return picked;
    },
    blackhole(ms, which) {
      const until = performance.now() + ms;
      if (which === undefined) everyoneBlackholedUntil = Math.max(everyoneBlackholedUntil, until);
      for (const relay of open) if (which === undefined || which(relay)) relay.blackhole(until);
      return new Promise<void>((resolve) => {
        // Ends at `until` or later, never earlier (a timer may fire a fraction of a ms early).
        const end = () => {
          const left = until - performance.now();
          blackholes.delete(timer);
          if (left > 0) {
            timer = setTimeout(end, Math.ceil(left));
            blackholes.set(timer, resolve);
            return;
          }
          resolve();
          // Held data moves only after the awaiting caller has run, so it still sees everything held.
          setImmediate(() => {
            for (const relay of open) relay.pump();
          });
        };
        let timer = setTimeout(end, Math.ceil(ms));
        blackholes.set(timer, resolve);
      });
    },
    heal() {
      everyoneBlackholedUntil = 0;
      for (const relay of open) relay.blackhole(0);
      endBlackholes();
    },
    setDelay(delay) {
      settings.delay = { toServer: delay.toServer ?? 0, toClient: delay.toClient ?? 0 };
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        endBlackholes();
        listener.close(() => resolve());
        for (const relay of open) relay.destroy();
      });
      return closing;
    },
  };
}
