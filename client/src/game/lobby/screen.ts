// The page's one state machine, from the join screen to a game and back; next() runs once per
// player action, matchmaking answer and game connection end.
//
//   lobby ──join──► joining ──seated──► playing ──closed(reason)──► ended(reason) ──back──► lobby(notice)
//     ▲ │              │                    ▲
//     └─┼refused(error)┘                    │   (matchmaking failed: the lobby shows the server's message)
//       └──────────────resume───────────────┘   (a reloaded page takes its player back: no matchmaking)
//
// Events that do not fit the current state are ignored (a second click while joining, a late
// answer after the game ended): next() returns the same object, so a caller can tell.
import type { DisconnectMessage } from '../model/closeMessage.js';
import type { JoinAction } from './joinAction.js';

export type Screen =
  /** The join screen. `notice`: why the last game ended; `error`: why the last join failed. */
  | { kind: 'lobby'; notice?: DisconnectMessage; error?: string }
  /** A POST /matchmake is out. */
  | { kind: 'joining'; action: JoinAction }
  /** The game socket of `roomId` is open or opening; `code` when the room is private. */
  | { kind: 'playing'; roomId: string; code?: string }
  /** The game connection ended; the join screen comes back with the reason. */
  | { kind: 'ended'; roomId: string; reason: DisconnectMessage };

export type ScreenEvent =
  | { type: 'join'; action: JoinAction }
  | { type: 'refused'; error: string }
  | { type: 'seated'; roomId: string; code?: string }
  | { type: 'resume'; roomId: string; code?: string }
  | { type: 'closed'; reason: DisconnectMessage }
  | { type: 'back' };

export const LOBBY: Screen = { kind: 'lobby' };

export function next(screen: Screen, event: ScreenEvent): Screen {
  switch (event.type) {
    case 'join':
      return screen.kind === 'lobby' ? { kind: 'joining', action: event.action } : screen;
    case 'refused':
      return screen.kind === 'joining' ? { kind: 'lobby', error: event.error } : screen;
    case 'seated':
      if (screen.kind !== 'joining') return screen;
      return event.code === undefined
        ? { kind: 'playing', roomId: event.roomId }
        : { kind: 'playing', roomId: event.roomId, code: event.code };
    case 'resume':
      if (screen.kind !== 'lobby') return screen;
      return event.code === undefined
        ? { kind: 'playing', roomId: event.roomId }
        : { kind: 'playing', roomId: event.roomId, code: event.code };
    case 'closed':
      return screen.kind === 'playing' ? { kind: 'ended', roomId: screen.roomId, reason: event.reason } : screen;
    case 'back':
      return screen.kind === 'ended' ? { kind: 'lobby', notice: screen.reason } : screen;
  }
}
