// The game bot's brain (client/src/bot/gamePilot.ts): seeded like the arena schedule, it only ever
// walks where the next stretch is clear of walls, aims at the nearest player in sight and holds both
// triggers then, and holds them off when nobody is in sight.
import { Button, type GameMap, PLAYER_RADIUS, raycastWalls } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { GamePilot, type PilotInput, WANDER_LOOKAHEAD_UNITS } from '../src/bot/gamePilot.js';

/** A wall map from rows of text, '#' a wall tile of 32 units. */
function mapOf(rows: readonly string[]): GameMap {
  const cols = rows[0]!.length;
  const solid = new Uint8Array(cols * rows.length);
  rows.forEach((row, r) => {
    for (let c = 0; c < cols; c++) solid[r * cols + c] = row[c] === '#' ? 1 : 0;
  });
  return {
    name: 't',
    tileSize: 32,
    cols,
    rows: rows.length,
    width: cols * 32,
    height: rows.length * 32,
    solid,
    spawns: [],
  };
}

// A 10 × 8 room with a pillar: walls all round.
const ROOM = mapOf([
  '##########',
  '#........#',
  '#........#',
  '#...##...#',
  '#...##...#',
  '#........#',
  '#........#',
  '##########',
]);

function run(pilot: GamePilot, inputs: number, self = { x: 80, y: 80 }, others: { x: number; y: number }[] = []) {
  const out: PilotInput[] = [];
  for (let k = 0; k < inputs; k++) out.push(pilot.decide(k * 33, self, others));
  return out;
}

describe('GamePilot', () => {
  it('is deterministic per seed, and different seeds wander differently', () => {
    const a = run(new GamePilot(3, ROOM), 300);
    const b = run(new GamePilot(3, ROOM), 300);
    const c = run(new GamePilot(4, ROOM), 300);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('only walks a direction whose next stretch is clear of walls, from anywhere in the room', () => {
    const pilot = new GamePilot(1, ROOM);
    const reach = WANDER_LOOKAHEAD_UNITS + PLAYER_RADIUS;
    let walked = 0;
    for (let i = 0; i < 500; i++) {
      // Positions all over the floor, the corners and next to the pillar included.
      const self = { x: 48 + ((i * 37) % 224), y: 48 + ((i * 53) % 160) };
      if (raycastWalls(ROOM, self.x, self.y, self.x, self.y) < 1) continue;
      const { input } = pilot.decide(i * 700, self, []);
      if (input.moveX === 0 && input.moveY === 0) continue;
      walked++;
      expect(raycastWalls(ROOM, self.x, self.y, self.x + input.moveX * reach, self.y + input.moveY * reach)).toBe(1);
    }
    expect(walked).toBeGreaterThan(300);
  });

  it('aims at the nearest player in sight and holds both fire buttons; one behind the pillar does not count', () => {
    const pilot = new GamePilot(1, ROOM);
    const self = { x: 80, y: 120 };
    const hidden = { x: 220, y: 120 }; // behind the pillar (x 128–192 units, rows 3–4)
    const seen = { x: 80, y: 200 };
    const { input, buttons } = pilot.decide(0, self, [hidden, seen]);
    expect(buttons).toBe(Button.PRIMARY | Button.SECONDARY);
    expect(input.aimAngle).toBeCloseTo(Math.PI / 2, 12);
  });

  it('holds its fire, and its last aim, when nobody is in sight or in reach', () => {
    const open = new GamePilot(1, undefined);
    expect(open.decide(0, { x: 0, y: 0 }, [{ x: 1001, y: 0 }]).buttons).toBe(0);
    expect(open.decide(33, { x: 0, y: 0 }, [{ x: 0, y: -999 }]).input.aimAngle).toBeCloseTo(-Math.PI / 2, 12);
    const after = open.decide(66, { x: 0, y: 0 }, []);
    expect(after.buttons).toBe(0);
    expect(after.input.aimAngle).toBeCloseTo(-Math.PI / 2, 12);
  });

  it('stands still with its buttons up before its first snapshot', () => {
    expect(new GamePilot(1, ROOM).decide(0, undefined, [{ x: 80, y: 80 }])).toEqual({
      input: { moveX: 0, moveY: 0, aimAngle: 0 },
      buttons: 0,
    });
  });
});
