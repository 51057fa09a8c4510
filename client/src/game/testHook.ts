// A read-only window.__tickwire hook for browser tests, installed only with ?e2e in the URL.
// Returns plain data (page.evaluate cannot return game objects).
import type Phaser from 'phaser';
import type { GameSession } from './gameSession.js';
import type { ArenaScene } from './scenes/arenaScene.js';
import type { TestHook } from './testHookTypes.js';

export function installTestHook(game: Phaser.Game, session: GameSession, scene: ArenaScene): void {
  const hook: TestHook = {
    ready: () => game.isRunning && session.tick > 0,
    state: () => ({
      connectionState: session.state,
      playerId: session.welcome?.playerId ?? 0,
      tick: session.tick,
      netGraphShown: scene.netGraphShown,
      mispredictions: session.net.prediction?.stats.mispredictions ?? 0,
      closedBecause: session.closedBecause ?? null,
      players: scene.snapshotForTests(),
    }),
  };
  window.__tickwire = hook;
}
