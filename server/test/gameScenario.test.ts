// The 'game' scenario in a room: the world is the map (WELCOME's size and mapHash), players spawn at
// the map's spawn points in the seeded order, and the movement system stops them at its walls.
import { GAME_MAP, GAME_MAP_HASH, GAME_RULES, GameSpawner, POSITION_SCALE, step } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { createScenario } from '../src/room/scenario.js';
import { makeRoom } from './support/fakeRoom.js';

describe("the 'game' scenario", () => {
  it('runs the map: its rules, its mapHash, full health, spawns in GameSpawner order', () => {
    const scenario = createScenario('game', 9);
    expect(scenario).toMatchObject({ name: 'game', rules: GAME_RULES, mapHash: GAME_MAP_HASH, startHp: 100 });
    const spawner = new GameSpawner(9);
    for (let i = 0; i < 2 * GAME_MAP.spawns.length; i++) expect(scenario.nextSpawn()).toEqual(spawner.next());
  });

  it("tells a joining client the map's size and hash, and snapshots it at a spawn point", () => {
    const t = makeRoom({ scenario: 'game', seed: 2 });
    const { socket } = t.connect('ann');
    expect(socket.received[0]).toMatchObject({ worldWidth: 1536, worldHeight: 1024, mapHash: GAME_MAP_HASH });
    t.ticks(1);
    expect(socket.lastSnapshot().players[0]).toMatchObject({ x: 112 * POSITION_SCALE, y: 80 * POSITION_SCALE });
  });

  it('gives ten players the ten spawn points', () => {
    const t = makeRoom({ scenario: 'game', seed: 4 });
    const sockets = GAME_MAP.spawns.map((_, i) => t.connect(`p${i}`).socket);
    t.ticks(1);
    const at = sockets[0]!.lastSnapshot().players.map((p) => `${p.x / POSITION_SCALE},${p.y / POSITION_SCALE}`);
    expect(new Set(at)).toEqual(new Set(GAME_MAP.spawns.map((s) => `${s.x},${s.y}`)));
  });

  it("moves players with step() against the map's walls: walking west stops flush at the border", () => {
    const t = makeRoom({ scenario: 'game', seed: 2 });
    const { socket, session } = t.connect();
    t.ticks(1);
    let expected = socket.lastSnapshot().players[0]!;
    for (let seq = 1; seq <= 20; seq++) {
      t.input(session, seq, -1, 0);
      t.ticks(1);
      const next = step({ ...expected }, { moveX: -1, moveY: 0 }, 1 / 30, GAME_RULES);
      const got = socket.lastSnapshot().players[0]!;
      expect({ x: got.x, y: got.y, vx: got.vx, vy: got.vy }).toEqual({
        x: next.x,
        y: next.y,
        vx: next.vx,
        vy: next.vy,
      });
      expected = got;
    }
    // The border is column 0 (x < 32 units); the box's half-size is 12 units.
    expect(expected).toMatchObject({ x: 44 * POSITION_SCALE, y: 80 * POSITION_SCALE, vx: 0, vy: 0 });
  });
});
