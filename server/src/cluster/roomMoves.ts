// A room's move from a draining process to another one, as one state machine per room in Redis with
// an epoch: each step is one Lua script (lua/handover-*.lua) and both sides act only on what a
// script answers, so a room is never live in two places. Made once per process with --redis-url;
// begin/abort run once per room a draining process moves, claim once per offer a process hears of,
// sweep once per heartbeat.
//
//   owned ──begin──► handing-over(target, epoch + 1) ──claim──► claimed (owner = target; a room it
//     ▲                     │                                   may begin to move again, as owned)
//     │   abort (the source gives up)
//     │   target dead / deadline passed (the sweep)
//     └─────────────────────┘
//
// The source (draining):   stop the room at a tick boundary → serialize → begin
//   'handing-over' → close its players with "moved"; wait for the claim (its own inbox is not told:
//                    it asks abort at its deadline, or when the room is claimed its report answers
//                    'other'); abort → 'aborted' runs the room again; 'claimed'/'stale'/'gone' never do.
//   'no-target' / anything else → the room drains as without Redis (it never left 'owned').
// The target: hears an Offer on its channel (tw:proc-channel:<pid>, or the inbox's resync) → claim
//   'claimed' → restore the blob and run from the next tick; any other answer → do nothing.
//
// The epoch only grows (begin adds one; abort and the sweep keep it), so a claim or abort of an
// earlier handover never matches a later one.
import type { Logger } from '../log.js';
import { loadScripts, type ScriptName } from './luaScripts.js';
import { KEYS } from './redisKeys.js';
import type { RedisArgument, RedisLink } from './redisLink.js';

/** A room's place in its move (the `move` field of tw:room:<rid>); 'claimed' is owned by the target. */
export type MoveState = 'owned' | 'handing-over' | 'claimed';

/** A handover offered to a process: its channel's message, or found by the inbox's resync. */
export interface Offer {
  roomId: string;
  epoch: number;
  /** The source process's id. */
  from: string;
}

export interface BeginAsk {
  roomId: string;
  /** The source: the process that owns the room and asks. */
  source: string;
  /** The room's serialized state: opaque bytes, handed to the target's claim unchanged. */
  state: Buffer;
  /** How long the handover may stay unclaimed (and the blob lives), ms; the sweep returns it after. */
  ttlMs: number;
  /** When the source's drain began, epoch ms: processes that started at or after it are preferred. */
  drainStartedAt: number;
}

export type BeginAnswer =
  | { status: 'handing-over'; target: string; url: string; epoch: number; untilMs: number }
  | { status: 'no-target' }
  | { status: 'not-owner'; owner: string | undefined }
  | { status: 'busy'; epoch: number }
  | { status: 'not-alive' };

export type ClaimAnswer =
  | { status: 'claimed'; epoch: number; state: Buffer }
  | { status: 'refused' | 'not-alive' | 'no-state' | 'gone'; epoch: number };

/** What begin's answer told the source, for its abort. */
export interface Handover {
  roomId: string;
  source: string;
  target: string;
  epoch: number;
}

export type AbortAnswer =
  | { status: 'aborted' }
  | { status: 'claimed'; owner: string; url: string }
  | { status: 'stale'; epoch: number }
  | { status: 'gone' };

/** A room's move as its record says (tests, diagnostics). */
export interface MoveRecord {
  owner: string;
  move: MoveState;
  epoch: number;
  target: string | undefined;
}

/** Handovers the sweep reads per call; more wait for the next heartbeat. @default 100 */
const SWEEP_BATCH = 100;

export class RoomMoves {
  private readonly scripts = loadScripts();

  constructor(
    private readonly link: RedisLink,
    private readonly log: Logger,
  ) {}

  private run<T>(
    name: ScriptName,
    keys: readonly string[],
    args: readonly RedisArgument[],
    replyAs: 'strings' | 'buffers' = 'strings',
  ): Promise<T> {
    return this.link.run<T>(this.scripts[name], keys, args, replyAs);
  }

  /** owned → handing-over: pick a target and offer it the room. Two round trips (the process list, the script). */
  async begin(ask: BeginAsk): Promise<BeginAnswer> {
    const pids = await this.link.call<string[]>(['ZRANGE', KEYS.procs, 0, -1]);
    const { roomId: rid } = ask;
    const keys = [KEYS.procs, KEYS.draining, KEYS.handovers, KEYS.room(rid), KEYS.roomState(rid)];
    const args: RedisArgument[] = [rid, ask.source, ask.state, ask.ttlMs, ask.drainStartedAt];
    for (const pid of pids) {
      keys.push(KEYS.proc(pid), KEYS.procRooms(pid), KEYS.procIncoming(pid));
      args.push(pid, KEYS.procChannel(pid));
    }
    const answer = JSON.parse(await this.run<string>('handover-begin', keys, args)) as {
      status: string;
      target?: string;
      url?: string;
      epoch?: number;
      until?: number;
      pid?: string;
    };
    switch (answer.status) {
      case 'ok':
        this.log.info('room handing over', { roomId: rid, target: answer.target, epoch: answer.epoch });
        return {
          status: 'handing-over',
          target: answer.target!,
          url: answer.url!,
          epoch: answer.epoch!,
          untilMs: answer.until!,
        };
      case 'no-target':
      case 'not-alive':
        return { status: answer.status };
      case 'busy':
        return { status: 'busy', epoch: answer.epoch ?? 0 };
      default:
        return { status: 'not-owner', owner: answer.pid === '' ? undefined : answer.pid };
    }
  }

  /** handing-over → claimed, by the target named in the offer; the answer carries the state blob. One round trip. */
  async claim(offer: Offer, target: string): Promise<ClaimAnswer> {
    const { roomId: rid, epoch, from } = offer;
    const keys = [
      KEYS.procs,
      KEYS.handovers,
      KEYS.room(rid),
      KEYS.roomState(rid),
      KEYS.procRooms(from),
      KEYS.procRooms(target),
      KEYS.procIncoming(target),
    ];
    const [status, current, state] = await this.run<[Buffer, number, Buffer?]>(
      'handover-claim-7',
      keys,
      [rid, target, epoch, from],
      'buffers',
    );
    const named = status.toString();
    if (named === 'ok' && state !== undefined) {
      this.log.info('room claimed', { roomId: rid, from, epoch: current });
      return { status: 'claimed', epoch: current, state };
    }
    const refusal = named === 'not-alive' || named === 'no-state' || named === 'gone' ? named : 'refused';
    return { status: refusal, epoch: current };
  }

  /** handing-over → owned, by the source; only 'aborted' lets it run the room again. One round trip. */
  async abort(handover: Handover): Promise<AbortAnswer> {
    const { roomId: rid, source, epoch, target } = handover;
    const keys = [KEYS.handovers, KEYS.room(rid), KEYS.roomState(rid), KEYS.procIncoming(target)];
    const answer = JSON.parse(await this.run<string>('handover-abort-4', keys, [rid, source, epoch, target])) as {
      status: string;
      pid?: string;
      url?: string;
      epoch?: number;
    };
    switch (answer.status) {
      case 'aborted':
        return { status: 'aborted' };
      case 'claimed':
        return { status: 'claimed', owner: answer.pid ?? '', url: answer.url ?? '' };
      case 'stale':
        return { status: 'stale', epoch: answer.epoch ?? 0 };
      default:
        return { status: 'gone' };
    }
  }

  /**
   * The sweep's handover step: handovers whose target died or whose deadline passed return to their
   * source; entries of removed rooms are forgotten. One round trip when none is in flight, two otherwise.
   */
  async sweep(): Promise<{ returned: number; forgotten: number }> {
    // Handovers in flight are at most the rooms of the draining processes: one read of them all.
    const flat = await this.link.call<string[]>(['HGETALL', KEYS.handovers]);
    if (flat.length === 0) return { returned: 0, forgotten: 0 };
    const keys: string[] = [KEYS.procs, KEYS.handovers];
    const args: string[] = [];
    for (let i = 0; i + 1 < flat.length && args.length < 2 * SWEEP_BATCH; i += 2) {
      const rid = flat[i]!;
      const target = flat[i + 1]!;
      keys.push(KEYS.room(rid), KEYS.roomState(rid), KEYS.procIncoming(target));
      args.push(rid, target);
    }
    const result = JSON.parse(await this.run<string>('handover-expire', keys, args)) as {
      returned: number;
      forgotten: number;
    };
    if (result.returned > 0 || result.forgotten > 0) this.log.info('swept room handovers', result);
    return result;
  }

  /** The handovers offered to `pid` and not yet claimed, aborted or expired: its inbox's resync. */
  async incoming(pid: string): Promise<Offer[]> {
    const rids = await this.link.call<string[]>(['SMEMBERS', KEYS.procIncoming(pid)]);
    const rows = await Promise.all(
      rids.map((rid) =>
        this.link.call<(string | null)[]>(['HMGET', KEYS.room(rid), 'move', 'target', 'epoch', 'from']),
      ),
    );
    const offers: Offer[] = [];
    rows.forEach((row, i) => {
      const [move, target, epoch, from] = row;
      if (move === 'handing-over' && target === pid && epoch != null && typeof from === 'string') {
        offers.push({ roomId: rids[i]!, epoch: Number(epoch), from });
      }
    });
    return offers;
  }

  /** A room's move as its record says; undefined when there is no record. */
  async moveOf(roomId: string): Promise<MoveRecord | undefined> {
    const [owner, move, epoch, target] = await this.link.call<(string | null)[]>([
      'HMGET',
      KEYS.room(roomId),
      'proc',
      'move',
      'epoch',
      'target',
    ]);
    if (owner === null || owner === undefined) return undefined;
    return {
      owner,
      move: move === 'handing-over' || move === 'claimed' ? move : 'owned',
      epoch: Number(epoch ?? 0),
      target: target ?? undefined,
    };
  }
}

/** An Offer from a channel message, or undefined when the message is not one (hostile or foreign). */
export function offerOf(message: string): Offer | undefined {
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  const { type, room, epoch, from } = event as Record<string, unknown>;
  if (type !== 'handover' || typeof room !== 'string' || typeof from !== 'string') return undefined;
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 1) return undefined;
  return { roomId: room, epoch, from };
}
