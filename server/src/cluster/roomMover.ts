// Moves a draining process's rooms to other processes, and takes the rooms other processes move
// here (issue: deploys nobody notices). Made once per process with --redis-url; moveAll runs once per
// drain, take once per offer heard. Every step acts only on what roomMoves.ts's scripts answer, so a
// room is never live in two places:
//
//   source: pause at a tick boundary ─► capture + encode ─► begin
//             'handing-over' ─► wait for the claim (moveOf, until the handover's deadline)
//                 claimed ─► close its players with 4019 MOVED, its reason the room's socket on the
//                            target (they resume there)
//                 not claimed ─► abort: 'aborted' ─► tick again (the room drains as without Redis)
//                                       'claimed' ─► as claimed
//             anything else ─► tick again
//   target: offer ─► read the state and decode it (a version it cannot read: refuse, claim nothing)
//             ─► claim: 'claimed' ─► restore, run from the next tick, report it hosted here
import { roomSocketUrl } from '@tickwire/protocol';
import type { Faults } from '../faults.js';
import type { Logger } from '../log.js';
import { settleRoomOptions } from '../room/roomOptions.js';
import { decodeRoomState, encodeRoomState, type RoomStateV1 } from '../room/roomStateFormat.js';
import type { RoomHost } from '../rooms/roomHost.js';
import type { ClusterRooms } from './clusterRooms.js';
import { followHandovers, type HandoverInbox } from './handoverInbox.js';
import type { RedisDirectory } from './redisDirectory.js';
import { KEYS } from './redisKeys.js';
import type { RedisLink } from './redisLink.js';
import type { Offer } from './roomMoves.js';

/** How long an offered room may stay unclaimed before its source takes it back. @default 3000 ms */
export const HANDOVER_TTL_MS = 3000;
/** Between two looks at whether the target claimed. @default 25 ms */
const CLAIM_POLL_MS = 25;

export interface RoomMoverOptions {
  link: RedisLink;
  directory: RedisDirectory;
  host: RoomHost;
  cluster: ClusterRooms;
  processId: string;
  /** The rooms' clock (monotonic ms). */
  now: () => number;
  log: Logger;
  faults: Faults;
}

export class RoomMover {
  private inbox: HandoverInbox | undefined;
  /** Rooms moved out and in since start. */
  readonly totals = { movedOut: 0, movedIn: 0, kept: 0, refused: 0 };

  constructor(private readonly options: RoomMoverOptions) {}

  /** Hear offers on this process's channel (one SUBSCRIBE for the process's life). */
  start(): void {
    const { link, directory, processId, log } = this.options;
    this.inbox = followHandovers(link, directory.moves, processId, (offer) => void this.take(offer), log);
  }

  stop(): void {
    this.inbox?.stop();
  }

  /** The drain began: offer every room with a player (away players too) to another process, at once. */
  async moveAll(drainStartedAt: number): Promise<void> {
    this.stop(); // a draining process takes no room
    const rooms = [...this.options.host.hosted()].filter((h) => h.room.playerCount > 0).map((h) => h.id);
    await Promise.all(rooms.map((roomId) => this.moveOut(roomId, drainStartedAt)));
  }

  private async moveOut(roomId: string, drainStartedAt: number): Promise<void> {
    const { host, directory, processId, now, log, faults } = this.options;
    const room = host.pause(roomId);
    if (room === undefined) return;
    let moved = false;
    /** The public URL of the process that took it, when known. */
    let takenBy: string | undefined;
    try {
      const state = Buffer.from(encodeRoomState(room.captureState(now())));
      const begun = await directory.moves.begin({
        roomId,
        source: processId,
        state,
        ttlMs: HANDOVER_TTL_MS,
        drainStartedAt,
      });
      if (begun.status !== 'handing-over') {
        log.info('room not moved; it drains here', { roomId, why: begun.status });
      } else {
        moved = await this.claimedBy(roomId, begun.target, performance.now() + HANDOVER_TTL_MS);
        if (moved) takenBy = begun.url;
        else {
          const aborted = await directory.moves.abort({
            roomId,
            source: processId,
            target: begun.target,
            epoch: begun.epoch,
          });
          moved = aborted.status === 'claimed';
          if (aborted.status === 'claimed') takenBy = aborted.url;
          // 'stale' or 'gone': it is not ours to run any more either way.
          if (aborted.status === 'stale' || aborted.status === 'gone') moved = true;
        }
        if (moved) log.info('room moved out', { roomId, to: begun.target, tick: room.tick });
      }
    } catch (error) {
      faults.record('timer', error, { roomId, step: 'move out' });
    }
    if (moved) {
      this.totals.movedOut++;
      host.moveOut(roomId, takenBy === undefined || takenBy === '' ? undefined : roomSocketUrl(takenBy, roomId));
    } else {
      this.totals.kept++;
      host.unpause(roomId);
    }
  }

  /** Whether the target claimed the room before `untilMs` (performance.now()). */
  private async claimedBy(roomId: string, target: string, untilMs: number): Promise<boolean> {
    while (performance.now() < untilMs) {
      const record = await this.options.directory.moves.moveOf(roomId).catch(() => undefined);
      if (record !== undefined && record.owner === target && record.move !== 'handing-over') return true;
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
    }
    return false;
  }

  /** An offer: read and check the state before claiming, so a state this process cannot read stays where it is. */
  private async take(offer: Offer): Promise<void> {
    const { link, directory, host, cluster, processId, log, faults } = this.options;
    try {
      const bytes = await link.call<Buffer | null>(['GET', KEYS.roomState(offer.roomId)], 'buffers');
      if (bytes === null) return;
      let state: RoomStateV1;
      try {
        state = decodeRoomState(bytes);
      } catch (error) {
        this.totals.refused++;
        log.warn('refused a room move: its state cannot be read here', { roomId: offer.roomId, error: String(error) });
        return;
      }
      const claimed = await directory.moves.claim(offer, processId);
      if (claimed.status !== 'claimed') return;
      const record = await directory.placedRoom(offer.roomId);
      const settings = {
        id: offer.roomId,
        scenario: state.options.scenario,
        maxPlayers: state.options.maxPlayers,
        tickRate: state.options.tickRate,
        snapshotRate: state.options.snapshotRate,
        viewRadius: settleRoomOptions(state.options).viewRadius,
        private: record?.private ?? false,
      };
      cluster.bookMovedIn(offer.roomId);
      const hosted = host.hostRestored(state, settings, {
        createdAt: record?.createdAt ?? Date.now(),
        code: record?.code,
      });
      cluster.occupancy(hosted);
      this.totals.movedIn++;
    } catch (error) {
      faults.record('timer', error, { roomId: offer.roomId, step: 'move in' });
    }
  }
}
