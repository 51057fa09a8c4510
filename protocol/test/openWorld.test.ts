// The world scenario's data: its spawner (uniform, seeded, deterministic, inside the square), its
// mapHash, and the wire ranges a 16,384-unit world needs (a position at the far edge round-trips;
// one beyond it is refused).
import { describe, expect, it } from 'vitest';
import {
  ARENA_MAP_HASH,
  decodeServerFrame,
  encodeServerMessage,
  MAX_POSITION_Q,
  newSnapshotHeaderState,
  POSITION_SCALE,
  ServerMessageId,
  WORLD_MAP,
  WORLD_MAP_HASH,
  WORLD_RULES,
  WorldSpawner,
  worldOfMapHash,
} from '../src/index.js';

const edgeEntity = { id: 7, vx: 0, vy: -107, x: MAX_POSITION_Q, y: MAX_POSITION_Q, angle: 192, hp: 100, kind: 0 };

describe('WorldSpawner', () => {
  it('spawns inside the 16,384-unit square, on the position grid', () => {
    const spawner = new WorldSpawner(1);
    for (let i = 0; i < 10_000; i++) {
      const { x, y } = spawner.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(WORLD_RULES.width);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(WORLD_RULES.height);
      expect(Number.isInteger(x * POSITION_SCALE) && Number.isInteger(y * POSITION_SCALE)).toBe(true);
    }
  });

  it('spreads spawns uniformly: each of 16 × 16 cells gets its share of 64,000 within 25 %', () => {
    const spawner = new WorldSpawner(99);
    const cells = new Array<number>(256).fill(0);
    const cell = WORLD_RULES.width / 16;
    for (let i = 0; i < 64_000; i++) {
      const { x, y } = spawner.next();
      cells[Math.floor(y / cell) * 16 + Math.floor(x / cell)]!++;
    }
    for (const count of cells) expect(Math.abs(count - 250)).toBeLessThan(250 * 0.25);
  });

  it('gives the same points for the same seed and others for another seed', () => {
    const draw = (seed: number) => {
      const spawner = new WorldSpawner(seed);
      return Array.from({ length: 20 }, () => spawner.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(43)).not.toEqual(draw(42));
  });

  it('carries on from a captured state as the original does (a room that moves keeps its spawns)', () => {
    const original = new WorldSpawner(5);
    for (let i = 0; i < 7; i++) original.next();
    const moved = new WorldSpawner(1);
    moved.state = original.state;
    expect(Array.from({ length: 10 }, () => moved.next())).toEqual(Array.from({ length: 10 }, () => original.next()));
  });
});

describe('the world map', () => {
  it('moves as the arena does (speed) in a square of 16,384 units, under a mapHash of its own', () => {
    expect(WORLD_RULES).toEqual({ width: 16_384, height: 16_384, speed: 200 });
    expect(WORLD_MAP_HASH).not.toBe(ARENA_MAP_HASH);
    expect(WORLD_MAP_HASH).toBe(4013060473); // as PROTOCOL.md states
    expect(worldOfMapHash(WORLD_MAP_HASH)).toEqual({ scenario: 'world', rules: WORLD_MAP.rules });
  });
});

describe('position ranges on the wire', () => {
  it('carries a position at 16,384 units (262,144 quanta) in an entity tuple and a shot, unchanged', () => {
    expect(MAX_POSITION_Q).toBe(16_384 * 16);
    const debug = {
      id: ServerMessageId.DEBUG_STATE as 66,
      tick: 9,
      page: 0,
      pages: 1,
      entities: [edgeEntity],
      interest: [],
    };
    expect(decodeServerFrame(encodeServerMessage(debug), newSnapshotHeaderState())).toEqual({
      ok: true,
      message: debug,
    });
  });

  it('refuses a position one quantum beyond the world edge', () => {
    const beyond = { ...edgeEntity, x: MAX_POSITION_Q + 1 };
    const frame = encodeServerMessage({
      id: ServerMessageId.DEBUG_STATE,
      tick: 9,
      page: 0,
      pages: 1,
      entities: [beyond],
      interest: [],
    });
    expect(decodeServerFrame(frame, newSnapshotHeaderState()).ok).toBe(false);
  });
});
