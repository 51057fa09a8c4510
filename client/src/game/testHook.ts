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

/** Phaser's scene CREATE event and the game's READY (after it the scenes exist), by name: Phaser is only a type here. */
const SCENE_CREATE = 'create';
const GAME_READY = 'ready';

export function installTestHook(game: Phaser.Game, app: GameApp): void {
  const active = (key: string) => game.scene.isActive(key);
  const scenesEntered: string[] = [];
  game.events.once(GAME_READY, () => {
    for (const key of MAIN_SCENES) game.scene.getScene(key)?.events.on(SCENE_CREATE, () => scenesEntered.push(key));
  });
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
        hudStatus: hud !== null && active('hud') ? hud.statusLine : '',
        resumes: session?.resumes ?? 0,
        scenesEntered: [...scenesEntered],
        disconnect: session?.disconnect ?? null,
        players: inGame ? gameScene.playersForTests() : [],
        roster: session === undefined ? [] : [...session.net.players].map(([id, entry]) => ({ id, ...entry })),
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
