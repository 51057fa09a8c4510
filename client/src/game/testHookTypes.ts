// The shape of window.__tickwire, the browser test hook (see testHook.ts). Types only, no imports,
// so the browser tests can share it without compiling the game.

export interface TestHook {
  ready(): boolean;
  state(): {
    connectionState: string;
    playerId: number;
    tick: number;
    netGraphShown: boolean;
    mispredictions: number;
    closedBecause: string | null;
    players: { id: number; x: number; y: number }[];
  };
}

declare global {
  interface Window {
    __tickwire?: TestHook;
  }
}
