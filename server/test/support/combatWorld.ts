// Test harness for the combat systems without a room: a GameContext and its ecsy world over a world
// of any size, with or without walls, players placed by hand and driven by writing their controls,
// and ticks run one by one. What the room adds (sockets, inputs, snapshots) is tested elsewhere.
import { type GameMap, POSITION_SCALE, START_HP } from '@tickwire/protocol';
import type { Entity } from 'ecsy';
import { GameContext } from '../../src/sim/combat/gameContext.js';
import { Dead, Health, NetworkId, PlayerControl, Position, Score } from '../../src/sim/components.js';
import { createPlayer } from '../../src/sim/createPlayer.js';
import { createWorld } from '../../src/sim/createWorld.js';

export interface CombatWorldOptions {
  /** World size in units. @default 2048 × 2048 */
  width?: number;
  height?: number;
  map?: GameMap;
  tickRate?: number;
  maxPlayers?: number;
  lagCompensation?: boolean;
  maxRewindMs?: number;
  /** Respawn points in units, used in turn. @default [{ x: 100, y: 100 }] */
  spawns?: { x: number; y: number }[];
}

/** What a player holds: PlayerControl's input fields. */
export interface Held {
  moveX?: number;
  moveY?: number;
  buttons?: number;
  aimAngle?: number;
  viewTick?: number;
}

/** A wall map from rows of text: '#' is a wall tile, anything else floor. */
export function mapOf(rows: readonly string[], tileSize = 32): GameMap {
  const cols = rows[0]!.length;
  const solid = new Uint8Array(cols * rows.length);
  rows.forEach((row, r) => {
    for (let c = 0; c < cols; c++) solid[r * cols + c] = row[c] === '#' ? 1 : 0;
  });
  return {
    name: 'test',
    tileSize,
    cols,
    rows: rows.length,
    width: cols * tileSize,
    height: rows.length * tileSize,
    solid,
    spawns: [],
  };
}

export function combatWorld(options: CombatWorldOptions = {}) {
  const tickRate = options.tickRate ?? 30;
  const maxPlayers = options.maxPlayers ?? 8;
  const map = options.map;
  const rules = {
    width: map?.width ?? options.width ?? 2048,
    height: map?.height ?? options.height ?? 2048,
    speed: 200,
    map,
  };
  const spawns = options.spawns ?? [{ x: 100, y: 100 }];
  let spawnIndex = 0;
  const game = new GameContext({
    tickRate,
    rules,
    maxPlayers,
    startHp: START_HP,
    nextSpawn: () => spawns[spawnIndex++ % spawns.length]!,
    lagCompensation: options.lagCompensation ?? true,
    maxRewindMs: options.maxRewindMs ?? 250,
  });
  const world = createWorld({ dt: 1 / tickRate, rules, maxPlayers, game });
  let nowMs = 0;
  let rosterChanges = 0;

  return {
    game,
    world,
    /** Times a tick ended with game.rosterChanged set (the room would send PLAYERS). */
    get rosterChanges() {
      return rosterChanges;
    },
    /** A player `id` at (x, y) units, with full health, holding nothing. */
    addPlayer(id: number, x: number, y: number): Entity {
      const entity = createPlayer(world, {
        id,
        generation: game.nextGeneration(),
        x: Math.round(x * POSITION_SCALE),
        y: Math.round(y * POSITION_SCALE),
        hp: START_HP,
      });
      game.players.set(id, entity);
      return entity;
    },
    /** Set what `player` holds from the next tick on (a player driven this way has seq 0: it keeps it every tick, its view never advanced). */
    hold(player: Entity, held: Held): void {
      Object.assign(player.getMutableComponent(PlayerControl)!, {
        moveX: 0,
        moveY: 0,
        buttons: 0,
        aimAngle: 0,
        viewTick: 0,
        ...held,
      });
    },
    /** Run `n` ticks. */
    tick(n = 1): void {
      for (let i = 0; i < n; i++) {
        game.tick++;
        nowMs += 1000 / tickRate;
        world.execute(1000 / tickRate, nowMs);
        if (game.rosterChanged) {
          rosterChanges++;
          game.rosterChanged = false;
        }
      }
    },
    shots: () => game.events.shotsBetween(0, game.tick),
    kills: () => game.events.killsBetween(0, game.tick),
    hp: (player: Entity) => player.getComponent(Health)!.hp,
    dead: (player: Entity) => player.hasComponent(Dead),
    score: (player: Entity) => {
      const { kills, deaths } = player.getComponent(Score)!;
      return { kills, deaths };
    },
    /** Position in units. */
    at: (player: Entity) => {
      const p = player.getComponent(Position)!;
      return { x: p.x / POSITION_SCALE, y: p.y / POSITION_SCALE };
    },
    idOf: (player: Entity) => player.getComponent(NetworkId)!.id,
  };
}

export type CombatWorld = ReturnType<typeof combatWorld>;
