// The per-player systems read their query's components from columns (sim/queryColumns.ts), rebuilt
// when players join, leave, die or respawn: each player still moves by its own controls, and only
// while alive, whatever changed between ticks.
import { describe, expect, it } from 'vitest';
import { Dead } from '../src/sim/components.js';
import { combatWorld } from './support/combatWorld.js';

describe('per-player systems as the players change', () => {
  it('one player leaves and another joins between ticks (same count): each moves by its own controls', () => {
    const w = combatWorld();
    const a = w.addPlayer(1, 100, 100);
    const b = w.addPlayer(2, 500, 500);
    w.hold(a, { moveX: 1 });
    w.hold(b, { moveY: 1 });
    w.tick();
    b.remove();
    const c = w.addPlayer(3, 900, 900);
    w.hold(c, { moveX: -1 });
    const before = { a: w.at(a), c: w.at(c) };
    w.tick(3);
    expect(w.at(a).x).toBeGreaterThan(before.a.x);
    expect(w.at(a).y).toBe(before.a.y);
    expect(w.at(c).x).toBeLessThan(before.c.x);
    expect(w.at(c).y).toBe(before.c.y);
  });

  it('a dead player does not move, and moves again from its spawn point once back', () => {
    const w = combatWorld({ spawns: [{ x: 300, y: 300 }] });
    const a = w.addPlayer(1, 100, 100);
    const b = w.addPlayer(2, 500, 500);
    w.hold(a, { moveX: 1 });
    w.hold(b, { moveX: 1 });
    w.tick();
    a.addComponent(Dead, { respawnTick: w.game.tick + 3 });
    const stoppedAt = w.at(a);
    const bBefore = w.at(b);
    w.tick(2);
    expect(w.at(a)).toEqual(stoppedAt);
    expect(w.at(b).x).toBeGreaterThan(bBefore.x);
    w.tick(2); // back at tick + 3, moving in the tick it returns
    expect(w.dead(a)).toBe(false);
    expect(w.at(a).x).toBeGreaterThan(300);
    expect(w.at(a).y).toBe(300);
  });
});
