// What a room asks of its snapshot sender, whichever it has: SnapshotSender (every client gets the
// whole room: one shared body per baseline) or InterestSender (viewRadius > 0: each client gets what
// is near it, gathered from shared pieces). Chosen once per room (roomState.ts).
import type { StateRing, WorldState } from '@tickwire/protocol';
import type { SendTiming, SnapshotCounters } from './snapshotSender.js';

export interface RoomSnapshots<C> {
  /** The states of the last second of snapshot ticks: the baselines clients may hold. */
  readonly ring: StateRing;
  readonly counters: SnapshotCounters;
  /** How the last send() spent its time (filled only with a timing clock). */
  readonly lastTiming: SendTiming;
  readonly maxEntityId: number;
  /** The ring slot to capture tick `tick` into. Once per snapshot tick, then send(). */
  beginSnapshot(tick: number): WorldState;
  send(current: WorldState, clients: Iterable<C>, nowMs: number, sendTickNow: () => number): void;
  /** The ids in `client`'s view as of its last snapshot, sorted; undefined when the room sends everything. */
  interestOf(client: C): number[] | undefined;
}
