// The game scenario's bot (docs/scenarios.md, game-N): wander the map without walking into walls, aim at
// the nearest visible player, and hold both triggers while one is in sight, so the server fires each
// weapon at its maximum rate. Seeded with the bot's index like the arena schedule; decide() runs once
// per input (every 33 ms per bot).
//
//   every 0.5–1.5 s, or at once when the way ahead is walled: draw one of 8 directions whose next
//   64 units (plus the player's radius) are clear of walls; none clear: stand still, draw again next input
import {
  ARENA_DIRECTIONS,
  Button,
  EntityKind,
  FIELD_COUNT,
  FieldIndex,
  type GameMap,
  type MoveInput,
  mulberry32,
  PLAYER_RADIUS,
  POSITION_SCALE,
  PRIMARY_WEAPON,
  raycastWalls,
} from '@tickwire/protocol';
import type { NetClient } from '../net/netClient.js';

/** How far ahead a direction must be clear of walls, in units beyond the player's radius. @default 64 */
export const WANDER_LOOKAHEAD_UNITS = 64;

/** The eight directions a bot walks in: the arena's directions without its idle one (E, SE, S, … on screen). */
const WANDER_DIRECTIONS: readonly (readonly [number, number])[] = ARENA_DIRECTIONS.slice(1);

/** A point in world units; a player's carries its entity id. */
export interface Point {
  x: number;
  y: number;
  id?: number;
}

/** What a bot sends: its movement and aim, and the buttons held. */
export interface PilotInput {
  input: MoveInput & { aimAngle: number };
  buttons: number;
}

/** How a bot other than the arena's picks each input (the arena bots follow ArenaSchedule). */
export interface BotPilot {
  /** The input due `elapsedMs` after the join (non-decreasing), from what `net` knows now. */
  next(elapsedMs: number, net: NetClient): PilotInput;
}

export class GamePilot implements BotPilot {
  private readonly random: () => number;
  private direction: readonly [number, number] = [0, 0];
  private nextChangeMs = 0;
  private aimAngle = 0;
  /** The player decide() last aimed at, if any. */
  private target: Point | undefined;
  /** Scratch for nearestVisible: the in-range players and their squared distances, reused per call. */
  private readonly near: Point[] = [];
  private readonly nearDistance2: number[] = [];

  /** `map`: the walls of the world the server runs (none: an open world, like the arena). */
  constructor(
    seed: number,
    private readonly map: GameMap | undefined,
  ) {
    this.random = mulberry32(seed);
  }

  /**
   * The input for `elapsedMs` after the join, with the bot at `self` (units; undefined before its
   * first snapshot) and the other living players at `others`.
   */
  decide(elapsedMs: number, self: Point | undefined, others: Iterable<Point>): PilotInput {
    if (self === undefined) return { input: { moveX: 0, moveY: 0, aimAngle: this.aimAngle }, buttons: 0 };
    if (elapsedMs >= this.nextChangeMs || !this.clear(self, this.direction)) {
      this.direction = this.drawDirection(self);
      this.nextChangeMs = elapsedMs + 500 + 1000 * this.random();
    }
    const target = this.nearestVisible(self, others);
    this.target = target;
    if (target !== undefined) this.aimAngle = Math.atan2(target.y - self.y, target.x - self.x);
    const [moveX, moveY] = this.direction;
    return {
      input: { moveX, moveY, aimAngle: this.aimAngle },
      buttons: target === undefined ? 0 : Button.PRIMARY | Button.SECONDARY,
    };
  }

  /**
   * Chooses from the newest snapshot (cheap for every player), then aims where its client draws the
   * chosen target (its interpolation's render tick, one sample), as a person would, so the shot is
   * lag-compensated like theirs. Sampling every player's interpolated position for every input of
   * every bot made 200 game bots saturate a core.
   */
  next(elapsedMs: number, net: NetClient): PilotInput {
    const self = selfOf(net);
    const decision = this.decide(elapsedMs, self, othersOf(net));
    const id = this.target?.id;
    if (self !== undefined && id !== undefined) {
      const drawn = drawnPosition(net, id);
      if (drawn !== undefined) {
        this.aimAngle = Math.atan2(drawn.y - self.y, drawn.x - self.x);
        decision.input.aimAngle = this.aimAngle;
      }
    }
    return decision;
  }

  /** A direction whose way ahead is clear, tried in a seeded order; idle when none is. */
  private drawDirection(self: Point): readonly [number, number] {
    const first = Math.floor(WANDER_DIRECTIONS.length * this.random());
    for (let i = 0; i < WANDER_DIRECTIONS.length; i++) {
      const direction = WANDER_DIRECTIONS[(first + i) % WANDER_DIRECTIONS.length]!;
      if (this.clear(self, direction)) return direction;
    }
    return [0, 0];
  }

  /** Whether the player's box could walk WANDER_LOOKAHEAD_UNITS that way: three rays, centre and both sides. */
  private clear(self: Point, [dx, dy]: readonly [number, number]): boolean {
    if (dx === 0 && dy === 0) return false;
    if (this.map === undefined) return true;
    const reach = WANDER_LOOKAHEAD_UNITS + PLAYER_RADIUS;
    for (const side of [-PLAYER_RADIUS, 0, PLAYER_RADIUS]) {
      const x = self.x - dy * side;
      const y = self.y + dx * side;
      if (raycastWalls(this.map, x, y, x + dx * reach, y + dy * reach) < 1) return false;
    }
    return true;
  }

  /**
   * The nearest other player within the primary's reach with no wall between: distances first (no
   * square roots), then walls tested nearest first, stopping at the first one in sight.
   */
  private nearestVisible(self: Point, others: Iterable<Point>): Point | undefined {
    const near = this.near;
    const distance2 = this.nearDistance2;
    near.length = 0;
    distance2.length = 0;
    const range2 = PRIMARY_WEAPON.rangeUnits * PRIMARY_WEAPON.rangeUnits;
    for (const other of others) {
      const dx = other.x - self.x;
      const dy = other.y - self.y;
      const d2 = dx * dx + dy * dy;
      if (d2 > range2) continue;
      near.push(other);
      distance2.push(d2);
    }
    while (near.length > 0) {
      let nearest = 0;
      for (let i = 1; i < near.length; i++) if (distance2[i]! < distance2[nearest]!) nearest = i;
      const candidate = near[nearest]!;
      if (this.map === undefined || raycastWalls(this.map, self.x, self.y, candidate.x, candidate.y) >= 1) {
        return candidate;
      }
      // Hidden: drop it (the last takes its place) and try the next nearest.
      near[nearest] = near[near.length - 1]!;
      distance2[nearest] = distance2[distance2.length - 1]!;
      near.pop();
      distance2.pop();
    }
    return undefined;
  }
}

/**
 * The bot's own position, units: predicted if it predicts, else as the newest snapshot has it (read
 * from the state's arrays, as othersOf does, not through world.entity(), which builds a whole entity).
 */
function selfOf(net: NetClient): Point | undefined {
  const predicted = net.predicted;
  if (predicted !== undefined) return { x: predicted.x / POSITION_SCALE, y: predicted.y / POSITION_SCALE };
  const world = net.connection.world;
  const row = world.rowOf(net.playerId);
  if (row < 0) return undefined;
  const base = row * FIELD_COUNT;
  return {
    x: world.values[base + FieldIndex.x]! / POSITION_SCALE,
    y: world.values[base + FieldIndex.y]! / POSITION_SCALE,
  };
}

/**
 * The other living players as the newest snapshot has them, units, with their ids. Runs per input of
 * every bot, so it reads the state's arrays (as SnapshotBuffer.pushWorld does): world.entity() would
 * allocate an object per entity.
 */
function othersOf(net: NetClient): Point[] {
  const out: Point[] = [];
  const world = net.connection.world;
  const values = world.values;
  const selfId = net.playerId;
  for (let row = 0; row < world.count; row++) {
    const id = world.ids[row]!;
    const base = row * FIELD_COUNT;
    if (id === selfId || values[base + FieldIndex.kind] !== EntityKind.PLAYER || values[base + FieldIndex.hp] === 0) {
      continue;
    }
    out.push({
      x: values[base + FieldIndex.x]! / POSITION_SCALE,
      y: values[base + FieldIndex.y]! / POSITION_SCALE,
      id,
    });
  }
  return out;
}

/** Where the bot's client draws player `id` now (its render tick), units; undefined without interpolation. */
function drawnPosition(net: NetClient, id: number): Point | undefined {
  const buffer = net.buffer;
  const renderTick = net.renderTick;
  if (buffer === undefined || renderTick === undefined) return undefined;
  const at = buffer.sample(id, renderTick);
  if (at === undefined || at.hp === 0) return undefined;
  return { x: at.x / POSITION_SCALE, y: at.y / POSITION_SCALE };
}
