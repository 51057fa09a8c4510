// The geometry of shots, in position quanta: a ray against a hit circle, and how far a ray gets
// before a wall or the world's edge. Pure; runs per primary shot per target, per projectile launch,
// and per projectile per tick per target.
import { type GameMap, POSITION_SCALE, raycastWalls } from '@tickwire/protocol';

/**
 * Distance along the ray (ox, oy) + t (dx, dy), (dx, dy) a unit vector, at which it enters the
 * circle of radius `r` around (cx, cy): 0 when it starts inside, Infinity when it never enters.
 */
export function rayCircleEntry(
  ox: number,
  oy: number,
  dx: number,
  dy: number,
  cx: number,
  cy: number,
  r: number,
): number {
  const fx = cx - ox;
  const fy = cy - oy;
  const distanceSquared = fx * fx + fy * fy;
  const rr = r * r;
  if (distanceSquared <= rr) return 0;
  const along = fx * dx + fy * dy;
  if (along <= 0) return Number.POSITIVE_INFINITY;
  const offSquared = distanceSquared - along * along;
  if (offSquared > rr) return Number.POSITIVE_INFINITY;
  return along - Math.sqrt(rr - offSquared);
}

/** The world a shot flies in: its edges in quanta, and its walls (none in the arena). */
export interface ShotWorld {
  maxX: number;
  maxY: number;
  map: GameMap | undefined;
}

/**
 * How far (quanta) the ray from (x, y) along the unit vector (dx, dy) gets, at most `length`, before
 * it leaves the world or enters a wall (raycastWalls' rule, in world units).
 */
export function clearLength(world: ShotWorld, x: number, y: number, dx: number, dy: number, length: number): number {
  let reach = length;
  if (dx > 0) reach = Math.min(reach, (world.maxX - x) / dx);
  else if (dx < 0) reach = Math.min(reach, -x / dx);
  if (dy > 0) reach = Math.min(reach, (world.maxY - y) / dy);
  else if (dy < 0) reach = Math.min(reach, -y / dy);
  reach = Math.max(0, reach);
  if (world.map === undefined || reach === 0) return reach;
  const t = raycastWalls(
    world.map,
    x / POSITION_SCALE,
    y / POSITION_SCALE,
    (x + dx * reach) / POSITION_SCALE,
    (y + dy * reach) / POSITION_SCALE,
  );
  return reach * t;
}
