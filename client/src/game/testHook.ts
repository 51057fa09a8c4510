// A read-only window.__tickwire hook for browser tests, installed only with ?e2e in the URL.
// Returns plain data (page.evaluate cannot return game objects); works in every scene.
import type Phaser from 'phaser';
import type { GameApp } from './app.js';
import type { GameScene } from './scenes/gameScene.js';
import type { HudScene } from './scenes/hudScene.js';
import type { TestHook } from './testHookTypes.js';

const MAIN_SCENES = ['boot', 'join', 'game'];

function lobbyState(app: GameApp): ReturnType<TestHook['state']>['lobby'] {
  const screen = app.screen;
  return {
    screen: screen.kind,
    roomId: screen.kind === 'playing' || screen.kind === 'ended' ? screen.roomId : null,
    code: screen.kind === 'playing' ? (screen.code ?? null) : null,
    error: screen.kind === 'lobby' ? (screen.error ?? null) : null,
    notice: screen.kind === 'lobby' ? (screen.notice ?? null) : null,
    status: app.lobby.status,
    rooms: app.lobby.rooms.map(({ id, scenario, players, maxPlayers }) => ({ id, scenario, players, maxPlayers })),
    counts: { ...app.lobby.counts },
  };
}

export function installTestHook(game: Phaser.Game, app: GameApp): void {
  const active = (key: string) => game.scene.isActive(key);
  const hook: TestHook = {
    ready: () => game.isRunning && active('game') && (app.session?.tick ?? 0) > 0,
    state: () => {
      const session = app.session;
      // Null until Phaser has booted (the hook is installed right after new Phaser.Game).
      const gameScene = game.scene.getScene('game') as GameScene | null;
      const hud = game.scene.getScene('hud') as HudScene | null;
      const inGame = gameScene !== null && active('game');
      const shown = hud !== null && active('hud') ? hud.shown : { scoreboard: false, chat: false, netGraph: false };
      return {
        scene: MAIN_SCENES.find(active) ?? '',
        connectionState: session?.state ?? 'none',
        playerId: session?.net.playerId ?? 0,
        tick: session?.tick ?? 0,
        hp: session?.hp ?? 0,
        netGraphShown: shown.netGraph,
        scoreboardShown: shown.scoreboard,
        chatOpen: shown.chat,
        mispredictions: session?.net.prediction?.stats.mispredictions ?? 0,
        unpredictable: session?.net.prediction?.stats.unpredictable ?? 0,
        closedBecause: session?.closedBecause ?? null,
        disconnect: session?.disconnect ?? null,
        players: inGame ? gameScene.playersForTests() : [],
        roster: session === undefined ? [] : [...session.roster].map(([id, entry]) => ({ id, ...entry })),
        killFeed: session?.killFeed.all().map((line) => line.text) ?? [],
        chat: session?.chat.all().map((line) => line.text) ?? [],
        counts: { tracers: 0, hits: 0, ownHits: 0, deaths: 0, projectiles: 0, ...gameScene?.counts },
        projectiles: inGame ? gameScene.projectileCount : 0,
        lobby: lobbyState(app),
      };
    },
  };
  window.__tickwire = hook;
}
