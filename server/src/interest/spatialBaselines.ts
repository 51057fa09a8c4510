// The naive spatial indexes the grid is checked and benchmarked against (bench/spatial-grid.ts, the grid's
// tests): a brute-force scan and a point quadtree rebuilt from scratch every tick. Not used by the room.
import type { IdList } from './idList.js';

/** Entities as parallel arrays: entity i is ids[i] at (xs[i], ys[i]), for i < count. */
export interface PointSet {
  ids: ArrayLike<number>;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  count: number;
}

/**
 * Every entity within `radius` of (x, y), by the grid's rule (dx² + dy² ≤ radius²): O(N) per query,
 * the oracle the grid must equal. Fills `out` (cleared first); returns how many.
 */
export function bruteForceQuery(points: PointSet, x: number, y: number, radius: number, out: IdList): number {
  out.clear();
  if (!(radius >= 0) || !Number.isFinite(x) || !Number.isFinite(y)) return 0;
  const radiusSquared = radius * radius;
  const { ids, xs, ys, count } = points;
  for (let i = 0; i < count; i++) {
    const dx = xs[i]! - x;
    const dy = ys[i]! - y;
    if (dx * dx + dy * dy <= radiusSquared) out.push(ids[i]!);
  }
  return out.length;
}

/** Points per leaf before it splits (the research's microbenchmark used 16). @default 16 */
const LEAF_CAPACITY = 16;
/** Splits stop at this depth, so many points at one spot make one long leaf instead of endless splits. */
const MAX_DEPTH = 16;

interface QuadNode {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Indices into the point set while a leaf; undefined once split. */
  members: number[] | undefined;
  children: QuadNode[] | undefined;
  depth: number;
}

/**
 * A point quadtree over the bounding box of the points, rebuilt by `build` each tick: O(N log N) with an
 * object per node and an array per leaf, the way common quadtree libraries work, which is the cost the
 * incremental grid avoids. A query descends into every node whose box is within `radius` of the centre.
 */
export class RebuiltQuadtree {
  private root: QuadNode | undefined;
  private points: PointSet = { ids: [], xs: [], ys: [], count: 0 };

  build(points: PointSet): void {
    this.points = points;
    const { xs, ys, count } = points;
    if (count === 0) {
      this.root = undefined;
      return;
    }
    // The root is the points' own bounding box, so points outside the world are still inside their
    // node's box and the pruning in `query` stays exact.
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      minX = Math.min(minX, xs[i]!);
      maxX = Math.max(maxX, xs[i]!);
      minY = Math.min(minY, ys[i]!);
      maxY = Math.max(maxY, ys[i]!);
    }
    this.root = { minX, minY, maxX, maxY, members: [], children: undefined, depth: 0 };
    for (let i = 0; i < count; i++) this.add(this.root, i);
  }

  /** Every entity within `radius` of (x, y) (dx² + dy² ≤ radius²); fills `out` (cleared first). */
  query(x: number, y: number, radius: number, out: IdList): number {
    out.clear();
    if (this.root === undefined || !(radius >= 0) || !Number.isFinite(x) || !Number.isFinite(y)) return 0;
    this.collect(this.root, x, y, radius * radius, out);
    return out.length;
  }

  private add(node: QuadNode, index: number): void {
    let current = node;
    while (current.children !== undefined) current = current.children[this.quadrant(current, index)]!;
    const members = current.members!;
    members.push(index);
    if (members.length <= LEAF_CAPACITY || current.depth >= MAX_DEPTH) return;
    const midX = (current.minX + current.maxX) / 2;
    const midY = (current.minY + current.maxY) / 2;
    const depth = current.depth + 1;
    const { minX, minY, maxX, maxY } = current;
    // Quadrants 0..3: west-north, east-north, west-south, east-south (y grows south); a point on a
    // midline goes east / south, and stays inside that quadrant's closed box.
    current.children = [
      { minX, minY, maxX: midX, maxY: midY, members: [], children: undefined, depth },
      { minX: midX, minY, maxX, maxY: midY, members: [], children: undefined, depth },
      { minX, minY: midY, maxX: midX, maxY, members: [], children: undefined, depth },
      { minX: midX, minY: midY, maxX, maxY, members: [], children: undefined, depth },
    ];
    current.members = undefined;
    for (const member of members) this.add(current, member);
  }

  private quadrant(node: QuadNode, index: number): number {
    const east = this.points.xs[index]! >= (node.minX + node.maxX) / 2 ? 1 : 0;
    const south = this.points.ys[index]! >= (node.minY + node.maxY) / 2 ? 2 : 0;
    return east + south;
  }

  private collect(node: QuadNode, x: number, y: number, radiusSquared: number, out: IdList): void {
    // Distance from the centre to the node's closed box; beyond the radius, nothing inside can match.
    const nearX = x < node.minX ? node.minX : x > node.maxX ? node.maxX : x;
    const nearY = y < node.minY ? node.minY : y > node.maxY ? node.maxY : y;
    const boxDx = nearX - x;
    const boxDy = nearY - y;
    if (boxDx * boxDx + boxDy * boxDy > radiusSquared) return;
    if (node.children !== undefined) {
      for (const child of node.children) this.collect(child, x, y, radiusSquared, out);
      return;
    }
    const { ids, xs, ys } = this.points;
    for (const index of node.members!) {
      const dx = xs[index]! - x;
      const dy = ys[index]! - y;
      if (dx * dx + dy * dy <= radiusSquared) out.push(ids[index]!);
    }
  }
}
