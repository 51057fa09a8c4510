// The shape of window.__tickwire, the browser test hook (see testHook.ts). Types only, no imports,
// so the browser tests can share it without compiling the game.

/** Every player drawn: world position, health, name, and where it is on the page. */
export interface PlayerForTests {
  id: number;
  name: string;
  self: boolean;
  x: number;
  y: number;
  hp: number;
  /** Where the player is drawn in the page, CSS pixels from the canvas's top-left. */
  screenX: number;
  screenY: number;
}

/** The join screen's state (client/src/game/lobby/screen.ts) and the live room list. */
export interface LobbyForTests {
  /** 'lobby', 'joining', 'playing' or 'ended'. */
  screen: string;
  /** The room of the current (or just ended) game. */
  roomId: string | null;
  /** The private room's code while playing in one. */
  code: string | null;
  /** Why the last join failed (the matchmaker's message). */
  error: string | null;
  /** Why the last game ended. */
  notice: { title: string; detail: string } | null;
  /** The lobby socket: 'stopped', 'connecting', 'live' or 'reconnecting'. */
  status: string;
  rooms: { id: string; scenario: string; players: number; maxPlayers: number }[];
  counts: { badFrames: number; resyncs: number; sockets: number };
}

export interface TestHook {
  /** The game scene is running and has applied a snapshot. */
  ready(): boolean;
  state(): {
    /** The main scene on screen: 'boot', 'join' (the lobby) or 'game'. */
    scene: string;
    connectionState: string;
    playerId: number;
    tick: number;
    /** This player's health in the newest snapshot (0 before it). */
    hp: number;
    netGraphShown: boolean;
    scoreboardShown: boolean;
    chatOpen: boolean;
    /** Prediction errors of this player (not counting the unpredictable corrections: deaths, respawns, teleports). */
    mispredictions: number;
    /** Corrections no prediction could foresee (net/corrections.ts). */
    unpredictable: number;
    closedBecause: string | null;
    /** Why the last game connection ended (the join screen shows it), null while connected. */
    disconnect: { title: string; detail: string } | null;
    players: PlayerForTests[];
    roster: { id: number; name: string; kills: number; deaths: number }[];
    killFeed: string[];
    chat: string[];
    /** Counted since the join: tracers drawn, hit flashes (on anyone, on this player), death markers, projectiles drawn. */
    counts: { tracers: number; hits: number; ownHits: number; deaths: number; projectiles: number };
    projectiles: number;
    lobby: LobbyForTests;
  };
}

declare global {
  interface Window {
    __tickwire?: TestHook;
  }
}
