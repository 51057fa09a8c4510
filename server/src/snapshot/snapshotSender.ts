// Sends one snapshot tick to every client of a room: captures the world into the history ring,
// encodes one body per distinct baseline (one in the steady state; entities and the shots and kills
// since that baseline), and gives each client one frame: its header written just before the shared
// body, in one staging buffer per body, sent from there. Runs once per snapshot tick; the per-client
// loop copies only its header and allocates nothing while the sockets keep up.
import {
  type EventHistory,
  MsgpackWriter,
  type Pong,
  SNAPSHOT_HEADER_MAX_BYTES,
  type SnapshotClientPart,
  SnapshotEncoder,
  type SnapshotHeaderState,
  StateRing,
  type WorldBounds,
  type WorldState,
  writeSnapshotHeaderBefore,
} from '@tickwire/protocol';

/** What the sender needs of a client; Session implements it. */
export interface SnapshotClient {
  /** Tick of the last snapshot sent to this client (its baseline), 0 for none yet. */
  baselineTick: number;
  /**
   * The newest snapshot tick the client acknowledged (INPUT or ACK), or the tick it joined at before
   * its first ack: baselineTick minus this is how far behind the client is in applying snapshots.
   */
  readonly ackTick: number;
  /** When the client first went over a backpressure threshold (bytes or ack lag), or undefined. */
  backedUpSinceMs: number | undefined;
  /** The pong to send with this client's next snapshot; the sender clears it once sent. */
  pendingPong: Pong | undefined;
  /** The client's input queue, for its header: queued and dropped inputs, the seq applied last, starved ticks. */
  readonly inputs: {
    readonly length: number;
    readonly dropped: number;
    readonly lastTakenSeq: number;
    readonly starved: number;
  };
  /**
   * What this connection's last SNAPSHOT header said (newSnapshotHeaderState() when it opens): the
   * next header sends only what changed since (snapshotFrame.ts). The sender updates it per frame sent.
   */
  readonly headerSent: SnapshotHeaderState;
  /** Bytes queued in the socket and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  /**
   * Send `buffer[start, end)` as one message. The `start` bytes before it are free: a transport may
   * write its own framing there instead of copying (see server/src/transport/rawFrame.ts).
   * `buffer` is shared: the next client's frame is written into it after this returns. A transport
   * that keeps a reference must either copy, or count the bytes in bufferedAmount (a queued socket
   * write does), which makes the sender stop reusing that buffer.
   */
  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void;
}

/** Bytes left free before each frame for the transport's own header (a WebSocket header is at most 10). */
export const FRAME_HEADROOM = 10;

export interface SnapshotSenderOptions {
  /** Entities a state can hold, and the largest entity id. */
  capacity: number;
  maxEntityId: number;
  /** States kept for baselines: about one second of snapshots. */
  ringSize: number;
  bounds: WorldBounds;
  /** Skip a client whose socket has more than this many bytes queued. */
  backpressureBytes: number;
  /**
   * Skip a client whose newest ack is more than this many ticks behind the newest snapshot sent to it
   * (see ackLag.ts): it is not applying snapshots, however few bytes the kernel leaves queued in Node.
   */
  ackLagLimitTicks: number;
  /** A client that stays above either threshold this long is handed to onSlowClient. */
  backpressureTimeoutMs: number;
  /**
   * A high-resolution clock (ms) to split each send() into body encodes and the rest (see
   * `lastTiming`); none, and nothing is timed.
   */
  timingClock?: () => number;
  /** The room's shots and kills; none: every body's event lists are empty. */
  events?: EventHistory;
}

/** How the last send() spent its time, when the sender has a timing clock. */
export interface SendTiming {
  /** Body encodes: one per distinct baseline (with interest: the shared entity pieces). */
  encodeMs: number;
  /** Everything else in send(): backpressure checks, per-client headers and socket writes. */
  sendMs: number;
  /** Interest only: keeping the spatial grid in step with the captured state. 0 without interest. */
  gridMs: number;
  /** Interest only: choosing each client's view and sorting it into entered, kept and left. */
  viewsMs: number;
  /**
   * Byte budget only: the longest any entity sent this snapshot had waited to be sent (to enter a
   * view, or with a change), ms; 0 without a budget.
   */
  budgetWaitMs: number;
}

/** A fresh part for a sender to fill per client (fillClientPart). */
export function newClientPart(): SnapshotClientPart {
  return { lastInputSeq: 0, inputBuffer: 0, starvedInputs: 0, droppedInputs: 0, pong: undefined, hasDeferred: false };
}

/**
 * `part` filled with `client`'s input figures and pending pong, the pong stamped with the tick clock
 * now (`sendTickNow`): the per-client part of its SNAPSHOT header. Returns `part`.
 */
export function fillClientPart(
  part: SnapshotClientPart,
  client: SnapshotClient,
  sendTickNow: () => number,
): SnapshotClientPart {
  const inputs = client.inputs;
  part.lastInputSeq = inputs.lastTakenSeq;
  part.inputBuffer = inputs.length;
  part.starvedInputs = inputs.starved;
  part.droppedInputs = inputs.dropped;
  part.pong = client.pendingPong;
  if (part.pong !== undefined) part.pong.serverSendTick = sendTickNow();
  return part;
}

/**
 * Whether `client` is sent this snapshot. Two signs of a client that is not keeping up: bytes its
 * socket could not hand to the kernel, and acks that lag what was sent. The kernel takes megabytes
 * before the first shows, so a reader that stopped is caught by the second. A skipped client's
 * baseline stays put, so its lag stays too, until its acks catch up with the last snapshot it was sent.
 */
export function keepsUp<C extends SnapshotClient>(
  client: C,
  nowMs: number,
  options: Pick<SnapshotSenderOptions, 'backpressureBytes' | 'ackLagLimitTicks' | 'backpressureTimeoutMs'> &
    SnapshotSenderHooks<C>,
  counters: SnapshotCounters,
): boolean {
  if (
    client.bufferedAmount > options.backpressureBytes ||
    client.baselineTick - client.ackTick > options.ackLagLimitTicks
  ) {
    counters.backpressureSkips++;
    client.backedUpSinceMs ??= nowMs;
    if (nowMs - client.backedUpSinceMs > options.backpressureTimeoutMs) options.onSlowClient(client);
    return false;
  }
  client.backedUpSinceMs = undefined;
  return true;
}

export interface SnapshotSenderHooks<C> {
  /** Close the client (SLOW_CLIENT) and take it out of the room. */
  onSlowClient(client: C): void;
}

/** Cumulative counters, read by /healthz and the benches. */
export interface SnapshotCounters {
  snapshotTicks: number;
  framesSent: number;
  bytesSent: number;
  /**
   * Of bytesSent, the entities' share: the created, changed and removed arrays with their headers.
   * The rest is the header, baseAge, the shots and kills lists and the deferred list.
   */
  entityBytesSent: number;
  /** Bodies encoded: one per distinct baseline per snapshot tick. */
  bodyEncodes: number;
  /** Full snapshots for clients with no baseline yet (their first). */
  fullOnJoin: number;
  /** Full snapshots because the client's baseline had left the ring. */
  fullFallbacks: number;
  /** Snapshots not sent to a client that was backed up: bytes queued in its socket, or acks lagging. */
  backpressureSkips: number;
  /** Entity pieces written for interest-managed clients (interest/entityPieces.ts); 0 without interest. */
  piecesEncoded: number;
  /** Bytes of those pieces (entities, shots, kills lists). */
  pieceBytesEncoded: number;
  /** Pieces written against a baseline older than the previous snapshot: a lagging client's own encode. */
  laggingPieces: number;
  /**
   * Staging buffers allocated: one per distinct body per snapshot tick, plus one more each time a
   * socket kept a frame queued (it then still references the buffer, so the next client needs another).
   */
  frameBufferAllocations: number;
}

/** Every counter at zero: a sender's start, and the process's sums over rooms (rooms/processFigures.ts). */
export function newSnapshotCounters(): SnapshotCounters {
  return {
    snapshotTicks: 0,
    framesSent: 0,
    bytesSent: 0,
    entityBytesSent: 0,
    bodyEncodes: 0,
    fullOnJoin: 0,
    fullFallbacks: 0,
    backpressureSkips: 0,
    piecesEncoded: 0,
    pieceBytesEncoded: 0,
    laggingPieces: 0,
    frameBufferAllocations: 0,
  };
}

interface CachedBody {
  body: Uint8Array;
  /** A full snapshot: the baseline was missing (a join, or one that left the ring). */
  full: boolean;
  /** Bytes of the body's created, changed and removed arrays (SnapshotBodyStats.entityBytes). */
  entityBytes: number;
  /**
   * The body at STAGED_BODY_START in a buffer every client of this body shares: each client's header
   * is written just before it, then the frame is sent from there. Dropped once a socket keeps a frame
   * queued (it still references the bytes); undefined until the first client of the tick needs it.
   */
  staging: Uint8Array | undefined;
}

/** Where a staged body starts: room for the largest client header and the transport's header before it. */
export const STAGED_BODY_START = FRAME_HEADROOM + SNAPSHOT_HEADER_MAX_BYTES;

export class SnapshotSender<C extends SnapshotClient> {
  readonly ring: StateRing;
  readonly counters: SnapshotCounters = newSnapshotCounters();
  private readonly encoder: SnapshotEncoder;
  private readonly writer = new MsgpackWriter();
  /** Each client's header is written here first, to learn its length (writeSnapshotHeaderBefore). */
  private readonly headerScratch = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES);
  /** Reused for every client's part of the frame. */
  private readonly part = newClientPart();
  /** Bodies of the current snapshot tick, by the baseline tick clients asked for (0 = none). */
  private readonly bodies = new Map<number, CachedBody>();
  /** The split of the last send(), filled only with a timing clock. */
  readonly lastTiming: SendTiming = { encodeMs: 0, sendMs: 0, gridMs: 0, viewsMs: 0, budgetWaitMs: 0 };

  constructor(private readonly options: SnapshotSenderOptions & SnapshotSenderHooks<C>) {
    this.ring = new StateRing(options.ringSize, options.capacity, options.maxEntityId);
    this.encoder = new SnapshotEncoder(options.capacity, options.bounds);
  }

  /** Every client is sent the whole room: there is no view to report. */
  interestOf(_client: C): undefined {
    return undefined;
  }

  /** The ring slot to capture tick `tick` into. Call once per snapshot tick, then send(). */
  beginSnapshot(tick: number): WorldState {
    this.bodies.clear();
    return this.ring.next(tick);
  }

  /** Send the state from beginSnapshot() to every client. */
  get maxEntityId(): number {
    return this.options.maxEntityId;
  }

  /** `sendTickNow`: the server's tick clock read at the moment a pong's frame is written. */
  send(current: WorldState, clients: Iterable<C>, nowMs: number, sendTickNow: () => number): void {
    const clock = this.options.timingClock;
    const started = clock?.() ?? 0;
    this.lastTiming.encodeMs = 0;
    this.counters.snapshotTicks++;
    for (const client of clients) {
      if (!keepsUp(client, nowMs, this.options, this.counters)) continue;
      const cached = this.bodyFor(client, current);
      const staging = cached.staging ?? this.stage(cached);
      const part = fillClientPart(this.part, client, sendTickNow);
      const start = writeSnapshotHeaderBefore(
        staging,
        STAGED_BODY_START,
        current.tick,
        part,
        client.headerSent,
        this.headerScratch,
      );
      const end = STAGED_BODY_START + cached.body.length;
      const length = end - start;
      client.pendingPong = undefined;
      client.sendWithHeadroom(staging, start, end);
      // A socket that could not hand the whole frame to the kernel keeps a reference to these bytes:
      // the next client's header must not overwrite them, so it gets a fresh staging buffer.
      if (client.bufferedAmount > 0) cached.staging = undefined;
      client.baselineTick = current.tick;
      this.counters.framesSent++;
      this.counters.bytesSent += length;
      this.counters.entityBytesSent += cached.entityBytes;
    }
    if (clock !== undefined) this.lastTiming.sendMs = Math.max(0, clock() - started - this.lastTiming.encodeMs);
  }

  /**
   * The body for a client whose baseline is `client.baselineTick`. Bodies are cached by that tick,
   * so the ring is searched once per distinct baseline per snapshot, not once per client.
   */
  private bodyFor(client: C, current: WorldState): CachedBody {
    const wanted = client.baselineTick;
    let cached = this.bodies.get(wanted);
    if (cached === undefined) {
      const baseline = wanted > 0 ? this.ring.get(wanted) : undefined;
      cached =
        baseline === undefined
          ? this.fullBody(current)
          : { ...this.encode(baseline, current), full: false, staging: undefined };
      this.bodies.set(wanted, cached);
    }
    if (cached.full) {
      if (wanted > 0) this.counters.fullFallbacks++;
      else this.counters.fullOnJoin++;
    }
    return cached;
  }

  /** A staging buffer holding `cached.body` at STAGED_BODY_START, for the clients that share it. */
  private stage(cached: CachedBody): Uint8Array {
    const staging = new Uint8Array(STAGED_BODY_START + cached.body.length);
    staging.set(cached.body, STAGED_BODY_START);
    cached.staging = staging;
    this.counters.frameBufferAllocations++;
    return staging;
  }

  /** The full body of this snapshot (no baseline), shared by every client that needs one. */
  private fullBody(current: WorldState): CachedBody {
    let full = this.bodies.get(0);
    if (full === undefined) {
      full = { ...this.encode(undefined, current), full: true, staging: undefined };
      this.bodies.set(0, full);
    }
    return full;
  }

  private encode(baseline: WorldState | undefined, current: WorldState): { body: Uint8Array; entityBytes: number } {
    const clock = this.options.timingClock;
    const started = clock?.() ?? 0;
    const { entityBytes } = this.encoder.encode(baseline, current, this.writer, this.options.events);
    this.counters.bodyEncodes++;
    const body = this.writer.toBytes();
    if (clock !== undefined) this.lastTiming.encodeMs += clock() - started;
    return { body, entityBytes };
  }
}
