// What the scenes share for one page: the screen state (lobby/screen.ts), the live lobby, and the
// current game session. play() runs once per join (a click on the join screen, or a link at load),
// resumeAtLoad() once per page load (a reload takes the tab's player back with its saved token); the
// session's end runs once per game. The scenes follow `screen`: join shows the lobby, game plays.
import { CloseCode, LOBBY_PATH, type WelcomeMessage, worldOfMapHash } from '@tickwire/protocol';
import { matchmake } from '../net/matchmake.js';
import type { SocketLike } from '../net/socketLike.js';
import { GameSession } from './gameSession.js';
import { type JoinAction, matchmakeBodyOf, matchmakeErrorText, roomLink } from './lobby/joinAction.js';
import { LobbyClient, type Schedule, type TextSocketLike } from './lobby/lobbyClient.js';
import type { PageStart } from './lobby/pageStart.js';
import { type NameStorage, saveName } from './lobby/savedName.js';
import { clearResume, loadResume, type ResumeStorage, saveResume } from './lobby/savedResume.js';
import { LOBBY, next, type Screen, type ScreenEvent } from './lobby/screen.js';

/** How long a POST /matchmake may take before the join screen says the server did not answer. @default 10 000 ms */
export const MATCHMAKE_TIMEOUT_MS = 10_000;

/** The chat line of a game joined afresh because the last one's place had expired (4017). */
export const REJOINED_NOTICE = 'Your place in the last game expired while the connection was down: joined a new game.';

/** What a game socket is opened to and joined as; saved with each WELCOME's token for a reload. */
interface GameTarget {
  roomId: string;
  wsUrl: string;
  name: string;
  /** The matchmaker's seat for a first join; '' for a resume (the token names the player). */
  seat: string;
  token?: string;
  scenario?: string;
  code?: string;
}

/** Options of one play() beyond the action: the scenario to ask for and a line to show once in. */
export interface PlayOptions {
  scenario?: string;
  notice?: string;
}

export interface AppDeps {
  /** The server that served the page, http(s)://host[:port]. */
  origin: string;
  fetch: typeof globalThis.fetch;
  /** The game socket at a matchmaking answer's wsUrl (with the ?latency= link under it, if any). */
  openGameSocket(url: string): SocketLike;
  openLobbySocket(url: string): TextSocketLike;
  schedule: Schedule;
  storage: NameStorage | undefined;
  /** sessionStorage (one per tab): the resume token of this tab's game, so a reload takes the player back. */
  resumeStorage: ResumeStorage | undefined;
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

  /**
   * At load: take back the player whose token this tab saved (a reload within the grace) instead of
   * showing the join screen. Returns whether it did (the screen is then 'playing'). A ?room= link wins:
   * the player asked for that room. A token the server no longer honours ends the game with 4017
   * (a fresh Quick play follows, see ended()) or 4020 (the join screen says why).
   */
  resumeAtLoad(): boolean {
    const saved = loadResume(this.deps.resumeStorage);
    if (saved === undefined || this.screen.kind !== 'lobby' || this.autoJoin?.kind === 'code') return false;
    this.name = saved.name;
    let socket: SocketLike;
    try {
      socket = this.deps.openGameSocket(saved.wsUrl);
    } catch {
      clearResume(this.deps.resumeStorage);
      return false;
    }
    this.startSession(socket, { ...saved, seat: '' });
    this.dispatch(
      saved.code === undefined
        ? { type: 'resume', roomId: saved.roomId }
        : { type: 'resume', roomId: saved.roomId, code: saved.code },
    );
    return true;
  }

  /** Ask the matchmaker for a seat as `name`, then open that room's game socket. */
  async play(action: JoinAction, name: string, options: PlayOptions = {}): Promise<void> {
    const before = this.screen;
    const joining = this.dispatch({ type: 'join', action });
    // Not from the lobby (a second click while a join is out): ignored.
    if (joining === before) return;
    this.name = name;
    saveName(this.deps.storage, name);
    const outcome = await matchmake(this.deps.origin, matchmakeBodyOf(action, options.scenario), this.timedFetch);
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
    const session = this.startSession(socket, {
      roomId: outcome.roomId,
      wsUrl: outcome.wsUrl,
      name,
      seat: outcome.seat,
      ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
      ...(outcome.code === undefined ? {} : { code: outcome.code }),
    });
    if (options.notice !== undefined) session.notice(options.notice);
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

  /** The game session on `socket`: it reconnects to the same room by itself after a drop and saves each token. */
  private startSession(socket: SocketLike, target: GameTarget): GameSession {
    // The lobby is not shown while playing: its socket would only cost a connection.
    this.lobby.stop();
    const storage = this.deps.resumeStorage;
    // The room's socket address: the matchmaker's, until the room moves to another process.
    let wsUrl = target.wsUrl;
    const session: GameSession = new GameSession(socket, target.name, target.seat, () => this.ended(session, target), {
      reconnect: {
        openSocket: (movedTo) => {
          if (movedTo !== undefined) wsUrl = movedTo;
          return this.deps.openGameSocket(wsUrl);
        },
        schedule: this.deps.schedule,
        // After 4019 MOVED: where the room is now, from the matchmaker.
        locate: async (resumeToken) => {
          const answer = await matchmake(this.deps.origin, { mode: 'resume', resumeToken }, this.timedFetch);
          return answer.ok ? answer.wsUrl : undefined;
        },
      },
      ...(target.token === undefined ? {} : { token: target.token }),
      onToken: (token) => {
        const scenario = scenarioOf(session.welcome) ?? target.scenario;
        saveResume(storage, {
          roomId: target.roomId,
          // Where the room is now, so a reload after a move resumes on the right process.
          wsUrl,
          token,
          name: target.name,
          ...(scenario === undefined ? {} : { scenario }),
          ...(target.code === undefined ? {} : { code: target.code }),
        });
      },
    });
    this.session = session;
    return session;
  }

  /**
   * A game connection ended for good (any reconnect has given up): the token is forgotten. After
   * 4017 SESSION_EXPIRED (the grace ran out before the resume) the page joins afresh by Quick play
   * in the same scenario and says so in the new game; after anything else (4018 REPLACED and 4020
   * RESUME_REFUSED included) the join screen says why, with the lobby live again.
   */
  private ended(session: GameSession, target: GameTarget): void {
    if (session !== this.session || session.disconnect === undefined) return;
    clearResume(this.deps.resumeStorage);
    this.dispatch({ type: 'closed', reason: session.disconnect });
    this.dispatch({ type: 'back' });
    if (session.closeCode === CloseCode.SESSION_EXPIRED) {
      const scenario = scenarioOf(session.welcome) ?? target.scenario;
      void this.play({ kind: 'quick' }, session.name, {
        ...(scenario === undefined ? {} : { scenario }),
        notice: REJOINED_NOTICE,
      }).then(() => {
        if (this.screen.kind === 'lobby') this.lobby.start();
      });
      return;
    }
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

/** The scenario of the world a WELCOME names ('game', 'arena'), undefined for a world this build lacks. */
function scenarioOf(welcome: WelcomeMessage | undefined): string | undefined {
  return welcome === undefined ? undefined : worldOfMapHash(welcome.mapHash)?.scenario;
}
