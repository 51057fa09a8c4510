// A room's lifecycle, written down once: its phases and what moves it between them. `next` runs on
// every occupancy change and on each periodic check (once a second is plenty; it is pure and O(1)).
//
//                 occupancy: players > 0                      occupancy: players > 0
//   ┌─────────┐ ─────────────────────────► ┌─────────┐ ◄──────────────────────────── ┌───────┐
//   │ created │                            │ running │  occupancy: players = 0       │ empty │
//   └─────────┘                            └─────────┘ ────────────────────────────► └───────┘
//        │  check: idle ≥ roomIdleMs            │ fail                                   │ check: idle ≥ roomIdleMs
//        │                                      ▼                                        │
//        │                                 ┌────────┐  check (its players were closed    │
//        │                                 │ failed │  with 1011 by Room.fail())         │
//        │                                 └────────┘ ──────────┐                        │
//        └─────────────────────────────────────────────────────►▼◄───────────────────────┘
//                                                          ┌──────────┐
//                              shutdown (from any phase) ─►│ disposed │ (final: no event leaves it)
//                                                          └──────────┘
//
// "Idle" means no players AND no seat outstanding: a pending seat keeps a room alive, since its holder
// is on the way. The idle clock starts when the room becomes idle (for a created room: at creation,
// so a room nobody ever joins is disposed too) and stops whenever a player or a seat appears.
// `fail` is allowed from created, running and empty (a tick can throw in any of them).

/** Default time an idle room lives before it is disposed. @default 15 000 ms */
export const ROOM_IDLE_MS = 15_000;

export const ROOM_PHASES = ['created', 'running', 'empty', 'failed', 'disposed'] as const;
export type RoomPhase = (typeof ROOM_PHASES)[number];

export interface RoomLife {
  phase: RoomPhase;
  /** Since when the room has had no players and no seat outstanding; undefined while it has either. */
  idleSinceMs: number | undefined;
}

export type RoomEvent =
  /** Players in the room and seats outstanding changed (absolute values). */
  | { type: 'occupancy'; players: number; pending: number }
  /** Periodic: dispose the room if it has been idle long enough (or has failed). */
  | { type: 'check' }
  /** A tick threw. */
  | { type: 'fail' }
  /** The process ends the room (shutdown, drain deadline). */
  | { type: 'shutdown' };

/** A room just made on demand: nobody in it yet, idle from now. */
export function createdRoom(nowMs: number): RoomLife {
  return { phase: 'created', idleSinceMs: nowMs };
}

/** The phase after `event` at `nowMs`. Returns the same object when nothing changes. */
export function nextRoomLife(life: RoomLife, event: RoomEvent, nowMs: number, roomIdleMs = ROOM_IDLE_MS): RoomLife {
  if (life.phase === 'disposed') return life;
  switch (event.type) {
    case 'shutdown':
      return { phase: 'disposed', idleSinceMs: undefined };
    case 'fail':
      return life.phase === 'failed' ? life : { phase: 'failed', idleSinceMs: undefined };
    case 'check':
      if (life.phase === 'failed') return { phase: 'disposed', idleSinceMs: undefined };
      if (life.idleSinceMs !== undefined && nowMs - life.idleSinceMs >= roomIdleMs) {
        return { phase: 'disposed', idleSinceMs: undefined };
      }
      return life;
    case 'occupancy': {
      if (life.phase === 'failed') return life;
      if (event.players > 0) {
        return life.phase === 'running' ? life : { phase: 'running', idleSinceMs: undefined };
      }
      const phase = life.phase === 'created' ? 'created' : 'empty';
      const idleSinceMs = event.pending > 0 ? undefined : (life.idleSinceMs ?? nowMs);
      return phase === life.phase && idleSinceMs === life.idleSinceMs ? life : { phase, idleSinceMs };
    }
  }
}
