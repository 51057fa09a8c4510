// Integration: clients written only with fetch, ws and @msgpack/msgpack (as a bot in another language
// would be) get a seat with POST /matchmake, open the room's socket, complete the handshake, apply every delta snapshot themselves, move, ping, get nudged, chat,
// keep the roster from its pages and deltas, shoot one another, and hold exactly the server's world
// as DEBUG_STATE reports it.
//
// Deliberately no import from @tickwire/protocol or client/: the matchmaking call, the ids, field
// orders, close codes, the delta rules below (applySnapshot) and the clock formulas (DocClock) are
// written from PROTOCOL.md alone ("Matchmaking", "Rooms", "Message ids", "Messages", "Delta
// snapshots", "Clock sync", "Combat", "Chat", "Roster", "Close codes"), the document a
// bot author in another language works from. If this test fails after a protocol change, PROTOCOL.md (and PROTOCOL_VERSION) must change with it.
import { decode, encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EventLog, withTimeout } from './support/events.js';
import { getHealth, type ServerProcess, startServer } from './support/serverProcess.js';

// Message ids: client → server 1..63, server → client 64..127.
const HELLO = 1; // [1, protocolVersion, name, seat]
const INPUT = 2; // [2, seq, ackTick, tick, moveX, moveY, buttons, aimAngle, viewTick]
const DEBUG_STATE_REQUEST = 3; // [3]
const PING = 4; // [4, pingId, clientTimeMs]
const DEBUG_NUDGE = 5; // [5, dx, dy]
const CHAT_UP = 6; // [6, text]
const ACK = 7; // [7, ackTick]: from the code that reads snapshots, at least every 250 ms ("ACK")
/** The longest a bot goes without acknowledging while snapshots arrive, in its time or in server ticks ("ACK"). */
const ACK_INTERVAL_MS = 250;
const WELCOME = 64; // [64, protocolVersion, playerId, tick, tickRate, snapshotRate, worldWidth, worldHeight, positionScale, angleSteps, speed, maxEntityId, mapHash, resumeToken, reconnectGraceMs, viewRadius, budgetBytesPerSecond]
// On the wire [65, head, …present, baseAge, created, changed, removed, shots, kills, deferred?]; read
// against the connection's previous SNAPSHOT into [65, tick, lastInputSeq, inputBuffer, starvedInputs,
// droppedInputs, pong, baseAge, created, changed, removed, shots, kills, deferred] ("SNAPSHOT header").
const SNAPSHOT = 65;
const DEBUG_STATE = 66; // [66, tick, page, pages, entities, interest]
const PLAYERS = 67; // [67, version, page, pages, players]
const CHAT = 68; // [68, fromId, text]
const ROSTER_CHANGES = 69; // [69, version, joined, left, renamed, scores]
const KNOWN_SERVER_IDS = new Set([WELCOME, SNAPSHOT, DEBUG_STATE, PLAYERS, CHAT, ROSTER_CHANGES]);
const PROTOCOL_VERSION = 9;
/** [64, 12 integers, resumeToken (a string), reconnectGraceMs, viewRadius, budgetBytesPerSecond]. */
const WELCOME_LENGTH = 17;
/** The body after a SNAPSHOT's header: baseAge, created, changed, removed, shots, kills. */
const SNAPSHOT_BODY_LENGTH = 6;
const DEBUG_STATE_LENGTH = 6;
/** Most entities (and interest ids) of one DEBUG_STATE page. */
const MAX_DEBUG_STATE_ITEMS = 1024;
const PLAYERS_LENGTH = 5;
const ROSTER_CHANGES_LENGTH = 6;
/** Most players of one PLAYERS page, and most items of each ROSTER_CHANGES list ("Roster"). */
const MAX_ROSTER_ITEMS = 64;
const CHAT_LENGTH = 3;
/** [id, vx, vy, x, y, angle, hp, kind]: SNAPSHOT `created` items and DEBUG_STATE `entities` items. */
const ENTITY_TUPLE_LENGTH = 8;
/** [pingId, clientTimeMs, serverReceiveTick, serverSendTick]: the item of SNAPSHOT `pong`, if any. */
const PONG_TUPLE_LENGTH = 4;
/** [tick, shooterId, weapon, x0, y0, x1, y1, hitId] and [tick, killerId, victimId, weapon]. */
const SHOT_TUPLE_LENGTH = 8;
const KILL_TUPLE_LENGTH = 4;
/** [id, name, kills, deaths, reconnecting]: the item of PLAYERS `players` and ROSTER_CHANGES `joined`. */
const ROSTER_TUPLE_LENGTH = 5;
/** [id, name] of ROSTER_CHANGES `renamed`, [id, kills, deaths] of its `scores`. */
const RENAME_TUPLE_LENGTH = 2;
const SCORE_TUPLE_LENGTH = 3;
/** INPUT `buttons` bit 0: primary fire ("Buttons and aim"); its damage and cooldown ("Weapons"). */
const PRIMARY_FIRE = 1;
const PRIMARY_DAMAGE = 20;
/** Close code the server sends on SIGTERM ("going away"). */
const SERVER_SHUTDOWN = 1001;
/** HELLO's seat missing, forged or not this room's; or used before ("Close codes", "Seats"). */
const SEAT_REFUSED = 4013;
const SEAT_USED = 4015;

/** Field f of an entity is bit f of a change mask: vx, vy, x, y, angle, hp, kind ("Field order and change mask"). */
const FIELD_COUNT = 7;
const VX = 0;
const VY = 1;
const X = 2;
const Y = 3;
const HP = 5;
const KIND = 6;

const EVENT_TIMEOUT_MS = 5000;
/** Inputs the mover sends, one per snapshot received. */
const INPUT_COUNT = 30;
/** PINGs the mover sends in the clock test. */
const PINGS = 12;

/** What a client keeps: the tick of the last snapshot applied and each entity's six fields by id. */
interface World {
  tick: number;
  entities: Map<number, number[]>;
  /** "Deferred entities": id → the tick its fields are from, for each entity held deferred. */
  deferredSince: Map<number, number>;
}

interface Bounds {
  maxX: number;
  maxY: number;
}

const clamp = (value: number, lo: number, hi: number) => Math.min(Math.max(value, lo), hi);

/** SNAPSHOT as received, position by position ("SNAPSHOT — id 65"). */
type SnapshotArray = [
  id: number,
  tick: number,
  lastInputSeq: number,
  inputBuffer: number,
  starvedInputs: number,
  droppedInputs: number,
  pong: number[][],
  baseAge: number,
  created: number[][],
  changed: number[],
  removed: number[],
  shots: number[][],
  kills: number[][],
  deferred: number[],
];

/** What a connection's SNAPSHOT headers leave ("SNAPSHOT header"): all 0 when the socket opens. */
interface HeaderHeld {
  tick: number;
  lastInputSeq: number;
  inputBuffer: number;
  starvedInputs: number;
  droppedInputs: number;
}

const isInt = (value: unknown): value is number => Number.isInteger(value);

const newHeld = (): HeaderHeld => ({ tick: 0, lastInputSeq: 0, inputBuffer: 0, starvedInputs: 0, droppedInputs: 0 });

/**
 * PROTOCOL.md "SNAPSHOT header": a SNAPSHOT as received → the values position by position, from what
 * `held` says the previous SNAPSHOT of this connection left; `held` then holds this one's. Head bits,
 * lowest first: 1 tick (only in a full snapshot; a delta's is held tick + baseAge), 2 the seq's
 * advance, 4 inputBuffer, 8 the starved count's advance, 16 the dropped count's advance, 32 the pong
 * tuple. Throws on anything the section calls malformed.
 */
function readSnapshot(wire: unknown[], held: HeaderHeld): SnapshotArray {
  const head = wire[1];
  if (!isInt(head) || head < 0 || head > 127) throw new Error(`SNAPSHOT head ${String(head)}`);
  let bits = 0;
  for (let bit = 1; bit <= 32; bit *= 2) if ((head & bit) !== 0) bits++;
  // Bit 64: a deferred list after the body.
  const withDeferred = (head & 64) !== 0;
  if (wire.length !== 2 + bits + SNAPSHOT_BODY_LENGTH + (withDeferred ? 1 : 0))
    throw new Error(`SNAPSHOT of ${wire.length} elements, head ${head}`);
  const present = wire.slice(2, 2 + bits);
  const body = wire.slice(2 + bits, 2 + bits + SNAPSHOT_BODY_LENGTH) as [
    number,
    number[][],
    number[],
    number[],
    number[][],
    number[][],
  ];
  const deferred = withDeferred ? (wire[2 + bits + SNAPSHOT_BODY_LENGTH] as number[]) : [];
  const take = (): number => {
    const value = present.shift();
    if (!isInt(value)) throw new Error('SNAPSHOT header value not an integer');
    return value;
  };
  const advance = (): number => {
    const value = take();
    if (value < 1) throw new Error('SNAPSHOT advance below 1');
    return value;
  };
  const baseAge = body[0];
  if (!isInt(baseAge)) throw new Error('SNAPSHOT baseAge not an integer');
  if (((head & 1) !== 0) !== (baseAge === 0))
    throw new Error('SNAPSHOT tick sent unless full, or missing from a full one');
  const tick = (head & 1) !== 0 ? take() : held.tick + baseAge;
  const lastInputSeq = (head & 2) !== 0 ? held.lastInputSeq + advance() : held.lastInputSeq;
  const inputBuffer = (head & 4) !== 0 ? take() : held.inputBuffer;
  const starvedInputs = (head & 8) !== 0 ? held.starvedInputs + advance() : held.starvedInputs;
  const droppedInputs = (head & 16) !== 0 ? held.droppedInputs + advance() : held.droppedInputs;
  const pong = (head & 32) !== 0 ? [present.shift() as number[]] : [];
  Object.assign(held, { tick, lastInputSeq, inputBuffer, starvedInputs, droppedInputs });
  return [SNAPSHOT, tick, lastInputSeq, inputBuffer, starvedInputs, droppedInputs, pong, ...body, deferred];
}

/** PLAYERS and ROSTER_CHANGES as received ("PLAYERS — id 67", "ROSTER_CHANGES — id 69"). */
type RosterTuple = [id: number, name: string, kills: number, deaths: number];
type PlayersArray = [id: number, version: number, page: number, pages: number, players: RosterTuple[]];
type DebugStateArray = [
  id: number,
  tick: number,
  page: number,
  pages: number,
  entities: number[][],
  interest: number[],
];
type RosterChangesArray = [
  id: number,
  version: number,
  joined: RosterTuple[],
  left: number[],
  renamed: [id: number, name: string][],
  scores: [id: number, kills: number, deaths: number][],
];

/** A pong tuple [pingId, t0, r, s] with the client's clock t3 when its SNAPSHOT arrived. */
interface PongArrival {
  pingId: number;
  t0: number;
  r: number;
  s: number;
  t3: number;
  /** The tick of the SNAPSHOT that carried it, and of the one this client received before it. */
  snapshotTick: number;
  previousTick: number;
}

/**
 * PROTOCOL.md "Clock sync", Measuring, with P = 1000 / tickRate ms:
 * rtt = (t3 − t0) − (s − r) × P, θ = (r + s) / 2 − (t0 + t3) / (2P); server tick at t ≈ t / P + θ.
 * Each pong also brackets the true θ: at most r − t0 / P (the PING took ≥ 0 ms up), at least
 * s − t3 / P (the SNAPSHOT took ≥ 0 ms down).
 */
function measure(pong: PongArrival, periodMs: number) {
  const { t0, r, s, t3 } = pong;
  return {
    rttMs: t3 - t0 - (s - r) * periodMs,
    offsetTicks: (r + s) / 2 - (t0 + t3) / (2 * periodMs),
    upperTicks: r - t0 / periodMs,
    lowerTicks: s - t3 / periodMs,
  };
}

/**
 * PROTOCOL.md "Applying a snapshot", steps 1–5, on a SNAPSHOT array. Returns the new world (the
 * baseline is not changed) or throws on anything the document says a correct server never sends.
 */
function applySnapshot(held: World | undefined, snapshot: unknown[], bounds: Bounds): World {
  const [, tick, , , , , , baseAge, created, changed, removed, shots, kills, deferred] = snapshot as SnapshotArray;
  if (baseAge > 0 && held?.tick !== tick - baseAge) {
    throw new Error(`snapshot ${tick} is a delta from ${tick - baseAge}, but the world held is ${held?.tick}`);
  }
  const base = baseAge === 0 ? new Map<number, number[]>() : held!.entities;
  // "Deferred entities": a full snapshot ends every deferral.
  const deferredSince = new Map(baseAge === 0 ? [] : held!.deferredSince);
  if (baseAge === 0 && (changed.length > 0 || removed.length > 0 || deferred.length > 0))
    throw new Error('full snapshot with changes');
  // "Shots and kills": every event of a tick in (tick − baseAge, tick]; a full snapshot's of its tick.
  const after = baseAge === 0 ? tick - 1 : tick - baseAge;
  for (const event of [...shots, ...kills]) {
    if (!(event[0]! > after && event[0]! <= tick)) throw new Error(`event of tick ${event[0]} in snapshot ${tick}`);
  }
  // 1. Drop: removed ids, and ids sent whole in created, are not carried over.
  const dropped = new Set([...removed, ...created.map((tuple) => tuple[0]!)]);
  for (const id of removed) if (!base.has(id)) throw new Error(`removed ${id} is not in the baseline`);
  // 2. Index changed: id, mask, then one value per set bit, lowest bit first.
  const sent = new Map<number, Map<number, number>>();
  for (let i = 0; i < changed.length; ) {
    const id = changed[i++]!;
    const mask = changed[i++]!;
    if (!base.has(id) || sent.has(id) || dropped.has(id)) throw new Error(`bad changed entry for ${id}`);
    if (!(mask >= 1 && mask <= 127)) throw new Error(`entity ${id}: mask ${mask}`);
    const fields = new Map<number, number>();
    for (let f = 0; f < FIELD_COUNT; f++) {
      if ((mask & (1 << f)) === 0) continue;
      if (i >= changed.length) throw new Error('changed ends inside an entry');
      fields.set(f, changed[i++]!);
    }
    sent.set(id, fields);
  }
  for (const id of deferred) {
    if (!base.has(id) || sent.has(id) || dropped.has(id) || deferredSince.has(id))
      throw new Error(`bad deferred entry for ${id}`);
    deferredSince.set(id, held!.tick);
  }
  // 3. Carry over and predict, field by field in order: x and y use the vx and vy just filled in. An
  //    entity held deferred and not in changed is copied as it is; one in changed is predicted over
  //    the ticks since the tick its fields are from, and is no longer deferred.
  const entities = new Map<number, number[]>();
  for (const [id, old] of base) {
    if (dropped.has(id)) {
      deferredSince.delete(id);
      continue;
    }
    const since = deferredSince.get(id);
    if (since !== undefined && !sent.has(id)) {
      entities.set(id, old);
      continue;
    }
    const t = since === undefined ? baseAge : tick - since;
    deferredSince.delete(id);
    const now: number[] = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const value = sent.get(id)?.get(f);
      if (value !== undefined) now.push(value);
      else if (f === X) now.push(clamp(old[X]! + t * now[VX]!, 0, bounds.maxX));
      else if (f === Y) now.push(clamp(old[Y]! + t * now[VY]!, 0, bounds.maxY));
      else now.push(old[f]!);
    }
    entities.set(id, now);
  }
  // 4. Create: tuples whole.
  for (const [id, ...fields] of created) {
    entities.set(id!, fields);
    deferredSince.delete(id!);
  }
  return { tick, entities, deferredSince };
}

/** A world as { id: [vx, vy, x, y, angle, hp, kind] }, for toEqual. */
function plain(entities: Map<number, number[]> | number[][]): Record<number, number[]> {
  const pairs = entities instanceof Map ? [...entities] : entities.map(([id, ...fields]) => [id!, fields] as const);
  return Object.fromEntries(pairs);
}

/** One decoded frame, or why it is not a well-formed server message. */
type Frame = { ok: true; value: unknown[] } | { ok: false; problem: string };

function decodeFrame(data: Buffer, isBinary: boolean): Frame {
  if (!isBinary) return { ok: false, problem: 'text frame' };
  let value: unknown;
  try {
    value = decode(data);
  } catch (error) {
    return { ok: false, problem: `not MessagePack: ${String(error)}` };
  }
  if (!Array.isArray(value)) return { ok: false, problem: `not an array: ${JSON.stringify(value)}` };
  if (!KNOWN_SERVER_IDS.has(value[0] as number)) return { ok: false, problem: `unknown id ${String(value[0])}` };
  return { ok: true, value };
}

interface Welcome {
  playerId: number;
  tickRate: number;
  positionScale: number;
  speed: number;
  bounds: Bounds;
}

interface Applied {
  tick: number;
  lastInputSeq: number;
  inputBuffer: number;
  baseAge: number;
  /** Counts of the body's lists, to show what the decoding went through. */
  created: number;
  changed: number;
  removed: number;
  world: World;
}

interface DebugCheck {
  /** DEBUG_STATE's tick, entities and interest ids (all pages), and the world the client held when it arrived. */
  tick: number;
  entities: Record<number, number[]>;
  interest: number[];
  held: World | undefined;
}

/** The 200 answer of POST /matchmake ("Matchmaking"): the room's socket and the seat for HELLO. */
interface Seat {
  roomId: string;
  wsUrl: string;
  seat: string;
  expiresAt: number;
}

/**
 * "Matchmaking": POST /matchmake with a JSON body on the server's http URL; 200 answers the seat,
 * anything else is {"error", "message"}.
 */
async function matchmake(httpUrl: string, body: Record<string, unknown> = { mode: 'joinOrCreate' }): Promise<Seat> {
  const response = await fetch(`${httpUrl}/matchmake`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`POST /matchmake: ${response.status} ${JSON.stringify(answer)}`);
  const { roomId, wsUrl, seat, expiresAt } = answer;
  if (typeof roomId !== 'string' || typeof wsUrl !== 'string' || typeof seat !== 'string') {
    throw new Error(`POST /matchmake answered ${JSON.stringify(answer)}`);
  }
  if (typeof expiresAt !== 'number') throw new Error('POST /matchmake answered no expiresAt');
  return { roomId, wsUrl, seat, expiresAt };
}

/** A bot as another language would write it: a socket, MessagePack, and applySnapshot. */
class DocBot {
  readonly ws: WebSocket;
  readonly frames = new EventLog<Frame>();
  readonly applied = new EventLog<Applied>();
  readonly debugChecks = new EventLog<DebugCheck>();
  readonly pongs = new EventLog<PongArrival>();
  /** Snapshots that did not apply (a server or document bug if ever non-empty). */
  readonly errors: string[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  welcome: Welcome | undefined;
  world: World | undefined;
  /** Called after each snapshot is applied. */
  onSnapshot: (applied: Applied) => void = () => {};
  /** The pingId of the newest PING sent, 0 before the first. */
  lastPingId = 0;
  /** The roster ("Roster"): id → [name, kills, deaths], at `rosterVersion` (undefined before the whole PLAYERS list). */
  roster = new Map<number, [string, number, number]>();
  rosterVersion: number | undefined;
  /** A PLAYERS list still arriving: its version and the players of its pages so far. */
  private debugPages: { tick: number; next: number; entities: number[][]; interest: number[] } | undefined;
  private rosterPages: { version: number; next: number; players: Map<number, [string, number, number]> } | undefined;
  /** Every CHAT [68, fromId, text] received, and every shot and kill of the snapshots, as tuples. */
  readonly chats = new EventLog<{ fromId: number; text: string }>();
  readonly shots = new EventLog<number[]>();
  readonly kills = new EventLog<number[]>();
  private seq = 0;
  /** The newest ackTick sent (INPUT or ACK), and when ("ACK": no ACK needed while INPUTs carry it). */
  private ackedTick = 0;
  /** What this connection's SNAPSHOT headers left ("SNAPSHOT header"). */
  private readonly headerHeld = newHeld();
  private ackedAtMs = Number.NEGATIVE_INFINITY;

  constructor(url: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('error', () => {});
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve()));
    this.closed = new Promise((resolve) => this.ws.once('close', resolve));
    this.ws.on('message', (data, isBinary) => this.receive(decodeFrame(data as Buffer, isBinary)));
  }

  /** "Writing a bot" steps 1–3: a seat from POST /matchmake, the room's socket, HELLO with the seat, WELCOME. */
  static async join(httpUrl: string, name: string): Promise<DocBot> {
    const { wsUrl, seat } = await matchmake(httpUrl);
    const bot = new DocBot(wsUrl);
    await withTimeout(bot.opened, EVENT_TIMEOUT_MS, 'the socket to open');
    bot.send([HELLO, PROTOCOL_VERSION, name, seat]);
    await bot.frames.find('WELCOME', EVENT_TIMEOUT_MS, (frame) => frame.ok && frame.value[0] === WELCOME);
    await bot.applied.find('the first snapshot', EVENT_TIMEOUT_MS);
    return bot;
  }

  private receive(frame: Frame): void {
    if (frame.ok && frame.value[0] === WELCOME && frame.value.length === WELCOME_LENGTH) {
      const [, , playerId, , tickRate, , worldWidth, worldHeight, positionScale, , speed] = frame.value as number[];
      const bounds = { maxX: worldWidth! * positionScale!, maxY: worldHeight! * positionScale! };
      this.welcome = { playerId: playerId!, tickRate: tickRate!, positionScale: positionScale!, speed: speed!, bounds };
    } else if (frame.ok && frame.value[0] === SNAPSHOT && this.welcome) {
      const t3 = performance.now();
      const previousTick = this.world?.tick ?? 0;
      let snapshot: SnapshotArray;
      try {
        snapshot = readSnapshot(frame.value, this.headerHeld);
        this.world = applySnapshot(this.world, snapshot, this.welcome.bounds);
      } catch (error) {
        this.errors.push(String(error));
        this.frames.push(frame);
        return;
      }
      const [, tick, lastInputSeq, inputBuffer, , , pong, baseAge, created, changed, removed, shots, kills] = snapshot;
      for (const [pingId, t0, r, s] of pong) {
        this.pongs.push({ pingId: pingId!, t0: t0!, r: r!, s: s!, t3, snapshotTick: tick, previousTick });
      }
      for (const shot of shots) this.shots.push(shot);
      for (const kill of kills) this.kills.push(kill);
      const applied = {
        tick,
        lastInputSeq,
        inputBuffer,
        baseAge,
        created: created.length,
        changed: changed.length,
        removed: removed.length,
        world: this.world!,
      };
      this.applied.push(applied);
      // ACK from the reader, not from a loop of our own: a bot that sends no INPUT still acks.
      const ackTicks = Math.ceil((this.welcome.tickRate * ACK_INTERVAL_MS) / 1000);
      if (tick > this.ackedTick && (t3 - this.ackedAtMs >= ACK_INTERVAL_MS || tick - this.ackedTick >= ackTicks)) {
        this.acked(tick);
        this.send([ACK, tick]);
      }
      this.onSnapshot(applied);
    } else if (frame.ok && frame.value[0] === DEBUG_STATE && frame.value.length === DEBUG_STATE_LENGTH) {
      this.debugPage(frame.value as DebugStateArray);
    } else if (frame.ok && frame.value[0] === PLAYERS && frame.value.length === PLAYERS_LENGTH) {
      this.rosterPage(frame.value as PlayersArray);
    } else if (frame.ok && frame.value[0] === ROSTER_CHANGES && frame.value.length === ROSTER_CHANGES_LENGTH) {
      this.rosterChanges(frame.value as RosterChangesArray);
    } else if (frame.ok && frame.value[0] === CHAT && frame.value.length === CHAT_LENGTH) {
      const [, fromId, text] = frame.value as [number, number, string];
      this.chats.push({ fromId, text });
    }
    this.frames.push(frame);
  }

  /** "DEBUG_STATE": pages 0 … pages − 1 back to back; the last completes the reply. */
  private debugPage([, tick, page, pages, entities, interest]: DebugStateArray): void {
    if (page === 0) this.debugPages = { tick, next: 0, entities: [], interest: [] };
    const pending = this.debugPages;
    if (pending === undefined || pending.tick !== tick || pending.next !== page || page >= pages) {
      this.errors.push(`DEBUG_STATE page ${page}/${pages} of tick ${tick} out of order`);
      return;
    }
    if (entities.length > MAX_DEBUG_STATE_ITEMS || interest.length > MAX_DEBUG_STATE_ITEMS) {
      this.errors.push(`DEBUG_STATE page of ${entities.length} entities, ${interest.length} ids`);
    }
    pending.entities.push(...entities);
    pending.interest.push(...interest);
    pending.next++;
    if (pending.next === pages) {
      this.debugChecks.push({ tick, entities: plain(pending.entities), interest: pending.interest, held: this.world });
      this.debugPages = undefined;
    }
  }

  /** "Roster", applying them, step 1: pages 0 … pages − 1 of one version; the last completes the list. */
  private rosterPage([, version, page, pages, players]: PlayersArray): void {
    if (page === 0) this.rosterPages = { version, next: 0, players: new Map() };
    const pending = this.rosterPages;
    if (pending === undefined || pending.version !== version || pending.next !== page || page >= pages) {
      this.errors.push(`PLAYERS page ${page}/${pages} of version ${version} out of order`);
      return;
    }
    if (players.length > MAX_ROSTER_ITEMS) this.errors.push(`PLAYERS page of ${players.length} players`);
    for (const [id, name, kills, deaths] of players) pending.players.set(id, [name, kills, deaths]);
    pending.next++;
    if (pending.next === pages) {
      this.roster = pending.players;
      this.rosterVersion = version;
      this.rosterPages = undefined;
    }
  }

  /** Step 2: only on top of version − 1; left, then joined (replacing), renamed, scores. */
  private rosterChanges([, version, joined, left, renamed, scores]: RosterChangesArray): void {
    if (this.rosterVersion === undefined || this.rosterPages !== undefined || version !== this.rosterVersion + 1) {
      this.errors.push(`ROSTER_CHANGES ${version} does not follow version ${this.rosterVersion}`);
      return;
    }
    for (const id of left) {
      if (!this.roster.delete(id)) this.errors.push(`ROSTER_CHANGES ${version}: ${id} left but was not listed`);
    }
    for (const [id, name, kills, deaths] of joined) this.roster.set(id, [name, kills, deaths]);
    for (const [id, name] of renamed) this.roster.get(id)![0] = name;
    for (const [id, kills, deaths] of scores) {
      const entry = this.roster.get(id)!;
      entry[1] = kills;
      entry[2] = deaths;
    }
    this.rosterVersion = version;
  }

  send(message: unknown[]): void {
    this.ws.send(encode(message));
  }

  /**
   * INPUT with the next seq, acking the newest snapshot applied, for `tick` (0: no estimate), with
   * `buttons` held and aimed at `aimAngle` radians; returns the seq. Its viewTick is the newest
   * snapshot's tick: this bot sees the world as of its newest snapshot ("Buttons and aim").
   */
  input(moveX: number, moveY: number, tick = 0, buttons = 0, aimAngle = 0): number {
    const held = this.world?.tick ?? 0;
    this.acked(held);
    this.send([INPUT, ++this.seq, held, tick, moveX, moveY, buttons, aimAngle, held]);
    return this.seq;
  }

  private acked(tick: number): void {
    if (tick <= this.ackedTick) return;
    this.ackedTick = tick;
    this.ackedAtMs = performance.now();
  }

  /** PING [4, pingId, t0] with the next pingId and t0 = performance.now(); returns the pingId. */
  ping(): number {
    this.send([PING, ++this.lastPingId, performance.now()]);
    return this.lastPingId;
  }

  /**
   * INPUT `tick` as "Input timing" advises: the server tick at `t` (t / P + θ of the pong with the
   * lowest round trip), plus the one-way trip rtt / 2 / P and the inputs queued ahead, rounded up.
   */
  inputTick(t: number): number {
    const periodMs = 1000 / this.welcome!.tickRate;
    const samples = this.pongs.items.map((pong) => measure(pong, periodMs));
    const best = samples.sort((a, b) => a.rttMs - b.rttMs)[0];
    if (best === undefined) return 0;
    const queued = this.applied.last?.inputBuffer ?? 0;
    return Math.ceil(t / periodMs + best.offsetTicks + best.rttMs / 2 / periodMs + queued);
  }

  /** Ask for DEBUG_STATE and check it against the world held when it arrives. */
  async debugCheck(): Promise<DebugCheck> {
    const reply = this.debugChecks.next('DEBUG_STATE', EVENT_TIMEOUT_MS);
    this.send([DEBUG_STATE_REQUEST]);
    return reply;
  }

  async close(): Promise<void> {
    this.ws.close(1000);
    await withTimeout(this.closed, EVENT_TIMEOUT_MS, 'the close');
  }
}

describe('clients that only know MessagePack and PROTOCOL.md', () => {
  let server: ServerProcess;
  let mover: DocBot;
  /** The mover's seat, sent by the first test's HELLO. */
  let moverSeat: Seat;
  /** Other document-only bots: they turn, leave and join, so the mover's deltas carry every kind of change. */
  const others: DocBot[] = [];

  beforeAll(async () => {
    server = await startServer(['--seed', '1', '--debug-state', 'true']);
    moverSeat = await matchmake(server.url);
    expect(moverSeat.wsUrl).toBe(`ws://127.0.0.1:${server.port}/ws/${moverSeat.roomId}`);
    mover = new DocBot(moverSeat.wsUrl);
    await withTimeout(mover.opened, EVENT_TIMEOUT_MS, 'the socket to open');
  });

  afterAll(async () => {
    await Promise.all(others.map((bot) => bot.close().catch(() => {})));
    await server?.stop();
  });

  it('HELLO [1, 9, "py-bot", seat] is answered by a WELCOME of 12 integer fields, a resume token, the grace, the view radius and the budget, the roster, then a full snapshot', async () => {
    mover.send([HELLO, PROTOCOL_VERSION, 'py-bot', moverSeat.seat]);
    const first = await mover.frames.find('the first frame', EVENT_TIMEOUT_MS);
    expect(first.ok).toBe(true);
    const fields = (first as { value: unknown[] }).value;
    expect(fields[0]).toBe(WELCOME);
    expect(fields).toHaveLength(WELCOME_LENGTH);
    expect(fields[1]).toBe(PROTOCOL_VERSION);
    expect(fields.slice(0, 13).every((field) => Number.isInteger(field))).toBe(true);
    // "Resuming": a token to send back after a drop, and the grace the server keeps the player for.
    expect(typeof fields[13]).toBe('string');
    expect(Number.isInteger(fields[14])).toBe(true);
    // "Interest management", "Deferred entities": an arena room sees everything, with no budget.
    expect(fields.slice(15)).toEqual([0, 0]);
    expect(mover.welcome!.playerId).toBeGreaterThan(0);
    // maxEntityId bounds every id.
    expect(fields[11]).toBeGreaterThanOrEqual(mover.welcome!.playerId);
    // mapHash (field 12): FNV-1a 32 of the canonical world, computed here from PROTOCOL.md's
    // "Map hash" alone (UTF-16 code units, low byte first).
    const canonical = JSON.stringify(['arena', fields[6], fields[7], fields[10], fields[8], fields[9]]);
    let hash = 0x811c9dc5;
    for (let i = 0; i < canonical.length; i++) {
      const unit = canonical.charCodeAt(i);
      hash = Math.imul(hash ^ (unit & 0xff), 0x01000193);
      hash = Math.imul(hash ^ (unit >>> 8), 0x01000193);
    }
    expect(fields[12]).toBe(hash >>> 0);

    // "Roster": PLAYERS right after WELCOME, before the first SNAPSHOT: the list of the last tick,
    // one page in a small room; this bot's own join comes in the ROSTER_CHANGES before that SNAPSHOT.
    const second = (await mover.frames.find('the second frame', EVENT_TIMEOUT_MS, (frame) => frame !== first)) as {
      value: unknown[];
    };
    expect(second.value[0]).toBe(PLAYERS);
    expect(second.value.slice(2, 4)).toEqual([0, 1]);

    const full = await mover.applied.find('the first snapshot', EVENT_TIMEOUT_MS);
    expect(mover.roster.get(mover.welcome!.playerId)).toEqual(['py-bot', 0, 0]);
    expect(mover.rosterVersion).toBe((second.value[1] as number) + 1);
    expect(full.baseAge).toBe(0);
    expect([...full.world.entities.keys()]).toContain(mover.welcome!.playerId);
  });

  it('applies deltas while others turn, leave and join, and sees its own x increase as it moves east', async () => {
    // Each room spawns from a seed of its own: the mover starts from the middle of the arena, far from
    // the east edge, put there by DEBUG_NUDGE.
    const id = mover.welcome!.playerId;
    const spawned = mover.world!.entities.get(id)!;
    const middle = { x: Math.round(mover.welcome!.bounds.maxX / 2), y: Math.round(mover.welcome!.bounds.maxY / 2) };
    mover.send([DEBUG_NUDGE, middle.x - spawned[X]!, middle.y - spawned[Y]!]);
    const inTheMiddle = (a: Applied) => a.world.entities.get(id)?.[X] === middle.x;
    await mover.applied.find('the mover in the middle', EVENT_TIMEOUT_MS, inTheMiddle);
    const wanderer = await DocBot.join(server.url, 'wanderer');
    const leaver = await DocBot.join(server.url, 'leaver');
    others.push(wanderer);
    // The wanderer turns every 5 snapshots (non-whole directions travel as float 64); the leaver heads south.
    const turns = [
      [0.6, -0.8],
      [-1, 0],
      [0, 0],
      [-0.28, 0.96],
      [1, 1],
    ] as const;
    let snapshotsSeen = 0;
    wanderer.onSnapshot = () => {
      const [moveX, moveY] = turns[Math.floor(snapshotsSeen++ / 5) % turns.length]!;
      wanderer.input(moveX, moveY);
    };
    leaver.onSnapshot = () => leaver.input(0, 1);

    let sent = 0;
    const caughtUp = new Promise<Applied>((resolve) => {
      // One INPUT per snapshot received, acknowledging that snapshot's tick.
      mover.onSnapshot = (applied) => {
        if (sent < INPUT_COUNT) {
          sent++;
          // 0.75 travels as a float 64, as a float from Python's msgpack would.
          mover.input(0.75, 0);
        } else if (applied.lastInputSeq === INPUT_COUNT) {
          resolve(applied);
        }
      };
    });
    const from = mover.applied.items.length;
    await withTimeout(caughtUp, 10_000, `lastInputSeq ${INPUT_COUNT}`);
    mover.onSnapshot = () => {};

    // The leaver goes: the mover's world loses it; a newcomer comes (perhaps with the same id): it gains it.
    const leaverId = leaver.welcome!.playerId;
    let mark = mover.applied.items.length;
    await leaver.close();
    const gone = (a: Applied) => !a.world.entities.has(leaverId);
    await mover.applied.findFrom(mark, 'the leaver gone', EVENT_TIMEOUT_MS, gone);
    mark = mover.applied.items.length;
    const newcomer = await DocBot.join(server.url, 'newcomer');
    others.push(newcomer);
    const newcomerId = newcomer.welcome!.playerId;
    const arrived = (a: Applied) => a.world.entities.has(newcomerId);
    await mover.applied.findFrom(mark, 'the newcomer', EVENT_TIMEOUT_MS, arrived);

    const mine = mover.applied.items.slice(from).filter((a) => a.world.entities.has(mover.welcome!.playerId));
    const xs = mine.map((a) => a.world.entities.get(mover.welcome!.playerId)![X]!);
    for (let i = 1; i < mine.length; i++) {
      expect(mine[i]!.tick).toBeGreaterThan(mine[i - 1]!.tick);
      expect(mine[i]!.lastInputSeq).toBeGreaterThanOrEqual(mine[i - 1]!.lastInputSeq);
      expect(xs[i]!).toBeGreaterThanOrEqual(xs[i - 1]!);
    }
    // Each of the INPUT_COUNT inputs was applied for at least one tick at 0.75 of top speed.
    const { speed, positionScale, tickRate } = mover.welcome!;
    const quantaPerTick = Math.round((0.75 * speed * positionScale) / tickRate);
    expect(xs[xs.length - 1]! - xs[0]!).toBeGreaterThanOrEqual(quantaPerTick * INPUT_COUNT);
    expect(mine[0]!.lastInputSeq).toBe(0);

    // Its decoding went through every kind of change, and never failed.
    const deltas = mover.applied.items.filter((a) => a.baseAge > 0);
    expect(deltas.length).toBeGreaterThan(INPUT_COUNT);
    expect(deltas.some((a) => a.changed > 0)).toBe(true);
    expect(deltas.some((a) => a.created > 0)).toBe(true);
    // The newcomer joined only after the leaver was gone from the mover's world: that took a `removed`.
    expect(deltas.some((a) => a.removed > 0)).toBe(true);
    for (const bot of [mover, ...others]) expect(bot.errors).toEqual([]);
  });

  it('its reconstructed world equals the authoritative DEBUG_STATE, field for field', async () => {
    for (let i = 0; i < 3; i++) {
      await mover.applied.next('a snapshot', EVENT_TIMEOUT_MS);
      for (const bot of [mover, ...others]) {
        const check = await bot.debugCheck();
        // The server sent the snapshot of DEBUG_STATE's tick before the reply: the world held is from that tick.
        expect(check.held?.tick).toBe(check.tick);
        expect(plain(check.held!.entities)).toEqual(check.entities);
        expect(Object.keys(check.entities)).toHaveLength(3);
        // No view radius in this room: the view is the whole room, every id ("DEBUG_STATE").
        expect(check.interest).toEqual(Object.keys(check.entities).map(Number));
      }
    }
    for (const bot of [mover, ...others]) expect(bot.errors).toEqual([]);
  });

  it('PING [4, id, t0] is answered in a later SNAPSHOT pong [id, t0, r, s] that the "Clock sync" formulas can use', async () => {
    const periodMs = 1000 / mover.welcome!.tickRate;
    // One PING every third snapshot (about 10 per second), as "Clock sync" advises for a start.
    let snapshots = 0;
    mover.onSnapshot = () => {
      if (snapshots++ % 3 === 0 && mover.lastPingId < PINGS) mover.ping();
    };
    // Only the newest PING since a snapshot is answered, so the last one always is.
    await mover.pongs.find(`the pong of PING ${PINGS}`, 10_000, (pong) => pong.pingId === PINGS);
    mover.onSnapshot = () => {};
    const pongs = mover.pongs.items;
    const ids = pongs.map((pong) => pong.pingId);
    expect(ids.every((id, i) => id >= 1 && id <= PINGS && (i === 0 || id > ids[i - 1]!))).toBe(true);
    for (const pong of pongs) {
      // t0 is echoed exactly (a float 64); the PING arrived after this client's previous snapshot was
      // written (else that one would have answered it), and this one was written after both.
      expect(pong.t0).toBeGreaterThan(0);
      expect(pong.r).toBeGreaterThanOrEqual(pong.previousTick);
      expect(pong.s).toBeGreaterThanOrEqual(pong.r);
      expect(pong.s).toBeGreaterThanOrEqual(pong.snapshotTick);
      // The server held the PING for (s − r) × P ms of the t3 − t0 the client waited: rtt ≥ 0.
      expect(measure(pong, periodMs).rttMs).toBeGreaterThanOrEqual(0);
    }
    // Both clocks run at the machine's rate, so every pong brackets the same true offset: the
    // brackets intersect (the server's tick clock is linear, with P ms per tick, as documented).
    // That holds while the server drops no tick ("The tick clock"), so check that too.
    expect(((await getHealth(server)).ticks as { dropped: number }).dropped).toBe(0);
    const brackets = pongs.map((pong) => measure(pong, periodMs));
    const lowest = Math.max(...brackets.map((b) => b.lowerTicks));
    const highest = Math.min(...brackets.map((b) => b.upperTicks));
    expect(lowest, `offset brackets ${JSON.stringify(brackets)}`).toBeLessThanOrEqual(highest + 1e-6);

    // Inputs stamped as "Input timing" advises are accepted and applied; the stamp is never before the
    // server tick at sending (it adds the one-way trip to the estimate), so never before a tick received.
    let lastSeq = 0;
    for (let i = 0; i < 5; i++) {
      const held = (await mover.applied.next('a snapshot', EVENT_TIMEOUT_MS)).tick;
      const tick = mover.inputTick(performance.now());
      expect(tick).toBeGreaterThanOrEqual(held);
      lastSeq = mover.input(0, 0, tick);
    }
    const idle = await mover.applied.find(
      `lastInputSeq ${lastSeq}`,
      EVENT_TIMEOUT_MS,
      (a) => a.lastInputSeq >= lastSeq,
    );
    expect(idle.world.entities.get(mover.welcome!.playerId)![VX]).toBe(0);
    expect(mover.errors).toEqual([]);
  });

  it('DEBUG_NUDGE [5, -32, 0] moves it 2 units west at once, and its world still equals DEBUG_STATE', async () => {
    const id = mover.welcome!.playerId;
    // Idle since the previous test: x holds still, so the only move is the nudge.
    const before = (await mover.applied.next('a snapshot', EVENT_TIMEOUT_MS)).world.entities.get(id)!;
    expect(before[VX]).toBe(0);
    expect(before[X]).toBeGreaterThan(32);
    mover.send([DEBUG_NUDGE, -32, 0]);
    const moved = (a: Applied) => a.world.entities.get(id)![X] !== before[X];
    const after = (await mover.applied.next('the nudge', EVENT_TIMEOUT_MS, moved)).world.entities.get(id)!;
    expect(after).toEqual([before[VX], before[VY], before[X]! - 32, before[Y], before[4], before[HP], before[KIND]]);
    const check = await mover.debugCheck();
    expect(check.held?.tick).toBe(check.tick);
    expect(plain(check.held!.entities)).toEqual(check.entities);
    expect(mover.errors).toEqual([]);
  });

  it('every frame it received is a MessagePack array of a known server id, laid out as documented', () => {
    expect(mover.frames.items.filter((frame) => !frame.ok)).toEqual([]);
    const values = mover.frames.items.map((frame) => (frame as { value: unknown[] }).value);
    expect(values[0]![0]).toBe(WELCOME);
    const held = newHeld();
    for (const value of values.slice(1)) {
      if (value[0] === DEBUG_STATE) {
        expect(value).toHaveLength(DEBUG_STATE_LENGTH);
        expect(isInt(value[2]) && isInt(value[3]) && (value[2] as number) < (value[3] as number)).toBe(true);
        expect((value[5] as unknown[]).every(isInt)).toBe(true);
        for (const tuple of value[4] as unknown[][]) {
          expect(tuple).toHaveLength(ENTITY_TUPLE_LENGTH);
          expect(tuple.every(isInt)).toBe(true);
        }
        continue;
      }
      const isRosterTuple = (tuple: unknown[]) =>
        tuple.length === ROSTER_TUPLE_LENGTH &&
        isInt(tuple[0]) &&
        typeof tuple[1] === 'string' &&
        isInt(tuple[2]) &&
        isInt(tuple[3]);
      if (value[0] === PLAYERS) {
        expect(value).toHaveLength(PLAYERS_LENGTH);
        expect(value.slice(1, 4).every(isInt)).toBe(true);
        expect((value[4] as unknown[][]).every(isRosterTuple)).toBe(true);
        continue;
      }
      if (value[0] === ROSTER_CHANGES) {
        expect(value).toHaveLength(ROSTER_CHANGES_LENGTH);
        const [, version, joined, left, renamed, scores] = value as [number, unknown, ...unknown[][]];
        expect(isInt(version)).toBe(true);
        expect(joined!.every((tuple) => isRosterTuple(tuple as unknown[]))).toBe(true);
        expect(left!.every(isInt)).toBe(true);
        for (const tuple of renamed as unknown[][]) {
          expect(tuple.length === RENAME_TUPLE_LENGTH && isInt(tuple[0]) && typeof tuple[1] === 'string').toBe(true);
        }
        for (const tuple of scores as unknown[][])
          expect(tuple.length === SCORE_TUPLE_LENGTH && tuple.every(isInt)).toBe(true);
        for (const list of [joined, left, renamed, scores]) expect(list!.length).toBeLessThanOrEqual(MAX_ROSTER_ITEMS);
        continue;
      }
      if (value[0] === CHAT) {
        expect(value).toHaveLength(CHAT_LENGTH);
        expect(isInt(value[1]) && typeof value[2] === 'string').toBe(true);
        continue;
      }
      expect(value[0]).toBe(SNAPSHOT);
      const [
        ,
        tick,
        lastInputSeq,
        inputBuffer,
        starvedInputs,
        droppedInputs,
        pong,
        baseAge,
        created,
        changed,
        removed,
        shots,
        kills,
      ] = readSnapshot(value, held);
      expect([tick, lastInputSeq, inputBuffer, starvedInputs, droppedInputs, baseAge].every(isInt)).toBe(true);
      // [] or one [pingId, t0, r, s]: pingId an integer, the three times numbers (floats, or whole ones as integers).
      expect(pong.length).toBeLessThanOrEqual(1);
      for (const tuple of pong) {
        expect(tuple).toHaveLength(PONG_TUPLE_LENGTH);
        expect(isInt(tuple[0]) && tuple.every((field) => typeof field === 'number')).toBe(true);
      }
      for (const tuple of created) {
        expect(tuple).toHaveLength(ENTITY_TUPLE_LENGTH);
        expect(tuple.every(isInt)).toBe(true);
      }
      expect(changed.every(isInt) && removed.every(isInt)).toBe(true);
      for (const tuple of shots) expect(tuple.length === SHOT_TUPLE_LENGTH && tuple.every(isInt)).toBe(true);
      for (const tuple of kills) expect(tuple.length === KILL_TUPLE_LENGTH && tuple.every(isInt)).toBe(true);
    }
  });

  it('a HELLO whose protocolVersion is written as uint 64 (0xcf 00 … 09) is accepted like 9', async () => {
    const { wsUrl, seat } = await matchmake(server.url);
    const other = new WebSocket(wsUrl, { perMessageDeflate: false });
    other.on('error', () => {});
    const first = new Promise<Frame>((resolve) =>
      other.once('message', (data, isBinary) => resolve(decodeFrame(data as Buffer, isBinary))),
    );
    await withTimeout(new Promise((resolve) => other.once('open', resolve)), EVENT_TIMEOUT_MS, 'the socket to open');
    // [1, 9, "x", seat] with 9 as a uint 64: PROTOCOL.md, "A receiver accepts any integer width".
    other.send(
      Uint8Array.from([0x94, HELLO, 0xcf, 0, 0, 0, 0, 0, 0, 0, PROTOCOL_VERSION, 0xa1, 0x78, ...encode(seat)]),
    );
    const frame = await withTimeout(first, EVENT_TIMEOUT_MS, 'WELCOME');
    expect(frame.ok && frame.value[0]).toBe(WELCOME);
    const closed = new Promise((resolve) => other.once('close', resolve));
    other.close(1000);
    await withTimeout(closed, EVENT_TIMEOUT_MS, 'the close');
  });

  it('a HELLO without a seat, or with one already used, is closed with 4013 SEAT_REFUSED or 4015 SEAT_USED ("Seats")', async () => {
    const { wsUrl } = await matchmake(server.url);
    for (const [seat, code] of [
      ['', SEAT_REFUSED],
      [moverSeat.seat, SEAT_USED],
    ] as const) {
      const bot = new DocBot(wsUrl);
      await withTimeout(bot.opened, EVENT_TIMEOUT_MS, 'the socket to open');
      bot.send([HELLO, PROTOCOL_VERSION, 'seatless', seat]);
      expect(await withTimeout(bot.closed, EVENT_TIMEOUT_MS, 'the close')).toBe(code);
      expect(bot.welcome).toBeUndefined();
    }
  });

  it('CHAT [6, text] reaches every bot, the sender too, as [68, fromId, text], and the roster names them all', async () => {
    const [wanderer] = others;
    const from = mover.chats.items.length;
    mover.send([CHAT_UP, '  hello <b>world</b>  ']);
    for (const bot of [mover, wanderer!]) {
      const line = await bot.chats.findFrom(from, 'the chat line', EVENT_TIMEOUT_MS);
      // "Chat": spaces trimmed, the text otherwise as sent; markup is just text.
      expect(line).toEqual({ fromId: mover.welcome!.playerId, text: 'hello <b>world</b>' });
    }
    // The bot of the uint 64 HELLO has left: the roster follows within a tick ("Roster").
    const names = () => [...mover.roster.values()].map(([name]) => name).sort();
    const expected = ['newcomer', 'py-bot', 'wanderer'];
    await mover.applied.find('the roster of three', EVENT_TIMEOUT_MS, () => names().join() === expected.join());
    expect(names()).toEqual(expected);
    // Every ROSTER_CHANGES followed the version before it, and a bot joining now gets the same list.
    expect(mover.errors).toEqual([]);
    const late = await DocBot.join(server.url, 'late');
    await late.applied.find('a snapshot after its join', EVENT_TIMEOUT_MS, () => late.rosterVersion !== undefined);
    await mover.applied.find('the late join', EVENT_TIMEOUT_MS, () => mover.roster.has(late.welcome!.playerId));
    expect(late.rosterVersion).toBe(mover.rosterVersion);
    expect([...late.roster].sort(([a], [b]) => a - b)).toEqual([...mover.roster].sort(([a], [b]) => a - b));
    late.ws.close(1000);
  });

  it('a primary shot at a standing bot is a SNAPSHOT shot [tick, shooter, 0, x0, y0, x1, y1, target] and takes 20 hp', async () => {
    const shooter = await DocBot.join(server.url, 'shooter');
    const target = await DocBot.join(server.url, 'target');
    others.push(shooter, target);
    const shooterId = shooter.welcome!.playerId;
    const targetId = target.welcome!.playerId;
    // Both stand still; the target is nudged 200 units east of the shooter (west when too near the edge).
    const s = shooter.world!.entities.get(shooterId)!;
    const t = target.world!.entities.get(targetId)!;
    const side = s[X]! + 3200 <= shooter.welcome!.bounds.maxX ? 3200 : -3200;
    target.send([DEBUG_NUDGE, s[X]! + side - t[X]!, s[Y]! - t[Y]!]);
    const placed = (a: Applied) => a.world.entities.get(targetId)?.[X] === s[X]! + side;
    await shooter.applied.find('the target placed', EVENT_TIMEOUT_MS, placed);
    expect(shooter.world!.entities.get(targetId)![KIND]).toBe(0); // kind 0: a player
    const aim = side > 0 ? 0 : Math.PI;
    const from = shooter.shots.items.length;
    shooter.input(0, 0, 0, PRIMARY_FIRE, aim);
    shooter.input(0, 0, 0, 0, aim);
    const shot = await shooter.shots.findFrom(from, 'the shot', EVENT_TIMEOUT_MS, (tuple) => tuple[1] === shooterId);
    const [tick, , weapon, x0, y0, x1, y1, hitId] = shot;
    expect([weapon, x0, y0, hitId]).toEqual([0, s[X], s[Y], targetId]);
    // It stopped where it entered the target's 14-unit hit circle ("Weapons").
    expect([x1, y1]).toEqual([s[X]! + side - Math.sign(side) * 14 * 16, s[Y]]);
    const hurt = await target.applied.find('the hit', EVENT_TIMEOUT_MS, (a) => a.tick >= tick!);
    expect(hurt.world.entities.get(targetId)![HP]).toBe(100 - PRIMARY_DAMAGE);
    // The target saw the same shot in its own snapshots: events are part of everyone's body.
    expect(target.shots.items.some((tuple) => tuple[0] === tick && tuple[7] === targetId)).toBe(true);
    for (const bot of [shooter, target]) expect(bot.errors).toEqual([]);
  });

  it('a bot that sends no INPUT but ACKs [7, tick] from its reader is sent every snapshot past the ack-lag limit ("Backpressure")', async () => {
    const reader = await DocBot.join(server.url, 'reader');
    others.push(reader);
    const tickRate = reader.welcome!.tickRate;
    const first = reader.applied.items[0]!.tick;
    // Acks more than 2 × tickRate ticks behind would stop its snapshots: wait for 3 × tickRate of them.
    await reader.applied.find('snapshots three seconds after joining', 20_000, (a) => a.tick >= first + 3 * tickRate);
    const ticks = reader.applied.items.map((a) => a.tick);
    const baseAges = reader.applied.items.slice(1).map((a) => a.baseAge);
    // One snapshot per tick (30 per second), none skipped: each a delta from the one before.
    expect(baseAges.every((baseAge, i) => baseAge === ticks[i + 1]! - ticks[i]!)).toBe(true);
    expect(Math.max(...baseAges)).toBe(1);
    expect(reader.errors).toEqual([]);
    const health = await getHealth(server);
    expect((health.snapshots as { backpressureSkips: number }).backpressureSkips).toBe(0);
    await reader.close();
  });

  it('is closed with 1001 when the server shuts down', async () => {
    const exit = await server.stop();
    expect(await withTimeout(mover.closed, EVENT_TIMEOUT_MS, 'the close')).toBe(SERVER_SHUTDOWN);
    expect(exit.code).toBe(0);
  });
});
