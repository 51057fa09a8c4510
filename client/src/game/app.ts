// What the scenes share for one page: the screen state (lobby/screen.ts), the live lobby, and the
// current game session. play() runs once per join (a click on the join screen, or a link at load);
// the session's end runs once per game. The scenes follow `screen`: join shows the lobby, game plays.
import { LOBBY_PATH } from '@tickwire/protocol';
import { matchmake } from '../net/matchmake.js';
import type { SocketLike } from '../net/socketLike.js';
import { GameSession } from './gameSession.js';
import { type JoinAction, matchmakeBodyOf, matchmakeErrorText, roomLink } from './lobby/joinAction.js';
import { LobbyClient, type Schedule, type TextSocketLike } from './lobby/lobbyClient.js';
import type { PageStart } from './lobby/pageStart.js';
import { type NameStorage, saveName } from './lobby/savedName.js';
import { LOBBY, next, type Screen, type ScreenEvent } from './lobby/screen.js';

/** How long a POST /matchmake may take before the join screen says the server did not answer. @default 10 000 ms */
export const MATCHMAKE_TIMEOUT_MS = 10_000;

export interface AppDeps {
  /** The server that served the page, http(s)://host[:port]. */
  origin: string;
  fetch: typeof globalThis.fetch;
  /** The game socket at a matchmaking answer's wsUrl (with the ?latency= link under it, if any). */
  openGameSocket(url: string): SocketLike;
  openLobbySocket(url: string): TextSocketLike;
  schedule: Schedule;
  storage: NameStorage | undefined;
  start: PageStart;
}

export class GameApp {
  screen: Screen;
  /** The session of the current (or last) game; undefined before the first. */
  session: GameSession | undefined;
  /** The name last joined with (or to prefill), and the Join by code field's text. */
  name: string;
  code: string;
  readonly lobby: LobbyClient;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: AppDeps) {
    this.name = deps.start.name;
    this.code = deps.start.code;
    this.screen = deps.start.error === undefined ? LOBBY : { kind: 'lobby', error: deps.start.error };
    this.lobby = new LobbyClient({
      url: `${deps.origin.replace(/^http/, 'ws')}${LOBBY_PATH}`,
      open: deps.openLobbySocket,
      schedule: deps.schedule,
      onChange: () => this.changed(),
    });
  }

  /** The join to make at load instead of showing the join screen, if any. */
  get autoJoin(): JoinAction | undefined {
    return this.deps.start.autoJoin;
  }

  /** Call `listener` on every change of the screen or the room list; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ask the matchmaker for a seat as `name`, then open that room's game socket. */
  async play(action: JoinAction, name: string): Promise<void> {
    const before = this.screen;
    const joining = this.dispatch({ type: 'join', action });
    // Not from the lobby (a second click while a join is out): ignored.
    if (joining === before) return;
    this.name = name;
    saveName(this.deps.storage, name);
    const outcome = await matchmake(this.deps.origin, matchmakeBodyOf(action), this.timedFetch);
    if (this.screen !== joining) return;
    if (!outcome.ok) {
      this.dispatch({ type: 'refused', error: matchmakeErrorText(outcome) });
      return;
    }
    let socket: SocketLike;
    try {
      socket = this.deps.openGameSocket(outcome.wsUrl);
    } catch (error) {
      this.dispatch({
        type: 'refused',
        error: `The server sent a game address this page cannot open (${String(error)}).`,
      });
      return;
    }
    // The lobby is not shown while playing: its socket would only cost a connection.
    this.lobby.stop();
    const wsUrl = outcome.wsUrl;
    // After a drop the game stays on screen and the session reconnects to the same room by itself.
    const session = new GameSession(socket, name, outcome.seat, () => this.ended(session), {
      reconnect: {
        openSocket: (movedTo) => this.deps.openGameSocket(movedTo ?? wsUrl),
        schedule: this.deps.schedule,
        // After 4019 MOVED: where the room is now, from the matchmaker.
        locate: async (resumeToken) => {
          const answer = await matchmake(this.deps.origin, { mode: 'resume', resumeToken }, this.timedFetch);
          return answer.ok ? answer.wsUrl : undefined;
        },
      },
    });
    this.session = session;
    // The link's room is joined: back on the join screen, Enter is Quick play again.
    if (action.kind === 'code' && action.code === this.code) this.code = '';
    this.dispatch(
      outcome.code === undefined
        ? { type: 'seated', roomId: outcome.roomId }
        : { type: 'seated', roomId: outcome.roomId, code: outcome.code },
    );
  }

  /** The link that joins `codeOrId` directly (shown with a private room's code). */
  shareLink(codeOrId: string): string {
    return roomLink(this.deps.origin, codeOrId);
  }

  /** Show the join screen's live list (the join scene calls this each time it is shown). */
  openLobby(): void {
    this.lobby.start();
  }

  /** A game connection ended for any reason: say why on the join screen, with the lobby live again. */
  private ended(session: GameSession): void {
    if (session !== this.session || session.disconnect === undefined) return;
    this.dispatch({ type: 'closed', reason: session.disconnect });
    this.dispatch({ type: 'back' });
    this.lobby.start();
  }

  private dispatch(event: ScreenEvent): Screen {
    const screen = next(this.screen, event);
    if (screen !== this.screen) {
      this.screen = screen;
      this.changed();
    }
    return screen;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** The page's fetch, given up on after MATCHMAKE_TIMEOUT_MS (matchmake() then reports a network error). */
  private readonly timedFetch: typeof globalThis.fetch = (input, init) =>
    this.deps.fetch(input, { ...init, signal: AbortSignal.timeout(MATCHMAKE_TIMEOUT_MS) });
}
