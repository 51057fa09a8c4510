// The process's lifecycle, written down once: its states, what moves it between them, and what each
// state refuses. `nextProcessLife` runs on each event (listening, a signal, the once-a-second check);
// it is pure and O(1). gameServer.ts feeds it events and acts on the state it returns.
//
//   ┌──────────┐ listening ┌─────────┐ drain (SIGTERM) ┌──────────┐ check: no room occupied,   ┌─────────┐
//   │ starting │ ────────► │ running │ ──────────────► │ draining │ or the deadline passed ──► │ stopped │
//   └──────────┘           └─────────┘                 └──────────┘                            └─────────┘
//        │                      │ stop (SIGINT)             │ stop (a second SIGTERM, or SIGINT)    ▲  final
//        └──────────────────────┴───────────────────────────┴───────────────────────────────────────┘
//
// What each state refuses:
//   starting  everything (the port is not open yet).
//   running   nothing.
//   draining  new seats and new rooms (POST /matchmake answers 503 `draining`); a HELLO carrying a
//             seat issued before is still admitted, since a seat was a promise. Rooms keep ticking.
//   stopped   everything: every client is closed with 1001 SERVER_SHUTDOWN and the port closes.
//
// "Occupied" means a room with a player or a seat outstanding (RoomHost.occupiedRooms). The drain's
// deadline is judged on the same monotonic `now` as the check that reads it.

/** How long a drain lets occupied rooms run before closing them. @default 30 000 ms */
export const DRAIN_DEADLINE_MS = 30_000;

export const PROCESS_STATES = ['starting', 'running', 'draining', 'stopped'] as const;
export type ProcessState = (typeof PROCESS_STATES)[number];

/** Why a process stopped: its rooms emptied, its drain's deadline passed, or it was told to stop now. */
export type StopCause = 'drained' | 'deadline' | 'stop';

export type ProcessLife =
  | { state: 'starting' }
  | { state: 'running' }
  /** `deadlineMs`: monotonic ms at which rooms still occupied are closed. */
  | { state: 'draining'; sinceMs: number; deadlineMs: number }
  /** `occupiedRooms`: rooms that still had a player or a seat when it stopped (closed with 1001). */
  | { state: 'stopped'; cause: StopCause; occupiedRooms: number };

export type ProcessEvent =
  /** The port is open. */
  | { type: 'listening' }
  /** SIGTERM: refuse new seats and rooms; stop once no room is occupied, or after `deadlineAfterMs`. */
  | { type: 'drain'; deadlineAfterMs: number }
  /** Periodic (once a second), and at a drain's start: how many rooms have a player or a seat outstanding. */
  | { type: 'check'; occupiedRooms: number }
  /** Stop now (SIGINT, a second SIGTERM, or stop() in code). */
  | { type: 'stop'; occupiedRooms: number };

export function startingProcess(): ProcessLife {
  return { state: 'starting' };
}

/** Whether POST /matchmake may issue a seat (and so make a room) in this state. */
export function issuesSeats(state: ProcessState): boolean {
  return state === 'running';
}

/** The state after `event` at `nowMs` (monotonic). Returns the same object when nothing changes. */
export function nextProcessLife(life: ProcessLife, event: ProcessEvent, nowMs: number): ProcessLife {
  if (life.state === 'stopped') return life;
  switch (event.type) {
    case 'listening':
      return life.state === 'starting' ? { state: 'running' } : life;
    case 'stop':
      return { state: 'stopped', cause: 'stop', occupiedRooms: event.occupiedRooms };
    case 'drain':
      // Only a running process drains: a second drain changes nothing (a second signal is a 'stop').
      if (life.state !== 'running') return life;
      return { state: 'draining', sinceMs: nowMs, deadlineMs: nowMs + Math.max(0, event.deadlineAfterMs) };
    case 'check':
      if (life.state !== 'draining') return life;
      if (event.occupiedRooms === 0) return { state: 'stopped', cause: 'drained', occupiedRooms: 0 };
      if (nowMs >= life.deadlineMs) return { state: 'stopped', cause: 'deadline', occupiedRooms: event.occupiedRooms };
      return life;
  }
}
