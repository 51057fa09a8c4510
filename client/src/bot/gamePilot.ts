// The game scenario's bot (SCENARIOS.md, game-N): wander the map without walking into walls, aim at
// the nearest visible player, and hold both triggers while one is in sight, so the server fires each
// weapon at its maximum rate. Seeded with the bot's index like the arena schedule; decide() runs once
// per input (every 33 ms per bot).
//
//   every 0.5–1.5 s, or at once when the way ahead is walled: draw one of 8 directions whose next
//   64 units (plus the player's radius) are clear of walls; none clear: stand still, draw again next input
import {
  Button,
  EntityKind,
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

const HALF_SQRT2 = Math.SQRT1_2;
/** The eight directions a bot walks in: E, SE, S, SW, W, NW, N, NE. */
export const WANDER_DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [HALF_SQRT2, HALF_SQRT2],
  [0, 1],
  [-HALF_SQRT2, HALF_SQRT2],
  [-1, 0],
  [-HALF_SQRT2, -HALF_SQRT2],
  [0, -1],
  [HALF_SQRT2, -HALF_SQRT2],
];

/** A point in world units. */
export interface Point {
  x: number;
  y: number;
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
    if (target !== undefined) this.aimAngle = Math.atan2(target.y - self.y, target.x - self.x);
    const [moveX, moveY] = this.direction;
    return {
      input: { moveX, moveY, aimAngle: this.aimAngle },
      buttons: target === undefined ? 0 : Button.PRIMARY | Button.SECONDARY,
    };
  }

  next(elapsedMs: number, net: NetClient): PilotInput {
    return this.decide(elapsedMs, selfOf(net), othersOf(net));
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

  /** The nearest other player within the primary's reach with no wall between. */
  private nearestVisible(self: Point, others: Iterable<Point>): Point | undefined {
    let best: Point | undefined;
    let bestDistance: number = PRIMARY_WEAPON.rangeUnits;
    for (const other of others) {
      const distance = Math.hypot(other.x - self.x, other.y - self.y);
      if (distance > bestDistance) continue;
      if (this.map !== undefined && raycastWalls(this.map, self.x, self.y, other.x, other.y) < 1) continue;
      best = other;
      bestDistance = distance;
    }
    return best;
  }
}

/** The bot's own position, units: predicted if it predicts, else as the newest snapshot has it. */
function selfOf(net: NetClient): Point | undefined {
  const own = net.predicted ?? net.connection.world.entity(net.playerId);
  return own === undefined ? undefined : { x: own.x / POSITION_SCALE, y: own.y / POSITION_SCALE };
}

/**
 * The other living players as the bot sees them: where its client draws them (the render tick of
 * its interpolation, so its shots are lag-compensated like a person's), or the newest snapshot.
 */
function othersOf(net: NetClient): Point[] {
  const out: Point[] = [];
  const buffer = net.buffer;
  const renderTick = net.renderTick;
  if (buffer !== undefined && renderTick !== undefined) {
    for (const id of buffer.idsAt(renderTick)) {
      if (id === net.playerId) continue;
      const at = buffer.sample(id, renderTick);
      if (at === undefined || at.kind !== EntityKind.PLAYER || at.hp === 0) continue;
      out.push({ x: at.x / POSITION_SCALE, y: at.y / POSITION_SCALE });
    }
    return out;
  }
  const world = net.connection.world;
  for (let row = 0; row < world.count; row++) {
    const id = world.ids[row]!;
    const entity = world.entity(id)!;
    if (id === net.playerId || entity.kind !== EntityKind.PLAYER || entity.hp === 0) continue;
    out.push({ x: entity.x / POSITION_SCALE, y: entity.y / POSITION_SCALE });
  }
  return out;
}
