// The weapon system on the combat harness: fire rate counted in ticks, hitscan hits and misses,
// walls and range, and lag compensation's rewind (claimed view, the clamp, the future, off).
import { Button, POSITION_SCALE, PRIMARY_WEAPON, SECONDARY_WEAPON, ticksOf, Weapon } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { Health } from '../src/sim/components.js';
import { combatWorld, mapOf } from './support/combatWorld.js';

const EAST = 0;
const WEST = Math.PI;

describe('fire rate', () => {
  it.each([30, 64])(
    'a held primary fires once per ceil(300 ms × %i Hz) ticks, from the first tick held',
    (tickRate) => {
      const t = combatWorld({ tickRate });
      const shooter = t.addPlayer(1, 100, 100);
      t.hold(shooter, { buttons: Button.PRIMARY, aimAngle: EAST });
      const ticks = 3 * tickRate;
      t.tick(ticks);
      const cooldown = ticksOf(PRIMARY_WEAPON.cooldownMs, tickRate);
      const shotTicks = t.shots().map((shot) => shot.tick);
      expect(shotTicks).toEqual(Array.from({ length: Math.ceil(ticks / cooldown) }, (_, i) => 1 + i * cooldown));
      // Never more often than the weapon's milliseconds allow.
      expect((cooldown * 1000) / tickRate).toBeGreaterThanOrEqual(PRIMARY_WEAPON.cooldownMs);
    },
  );

  it('pressing and releasing every tick fires no faster than holding', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    for (let i = 0; i < 60; i++) {
      t.hold(shooter, { buttons: i % 2 === 0 ? Button.PRIMARY : 0 });
      t.tick();
    }
    const ticks = t.shots().map((shot) => shot.tick);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeGreaterThanOrEqual(9);
    expect(ticks.length).toBe(6); // 1, 11, 21, 31, 41, 51: the next odd tick after each cooldown
  });

  it('both buttons fire both weapons, each at its own rate', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    t.hold(shooter, { buttons: Button.PRIMARY | Button.SECONDARY, aimAngle: EAST });
    t.tick(60);
    const byWeapon = (weapon: number) => t.shots().filter((shot) => shot.weapon === weapon && shot.hitId === 0);
    expect(byWeapon(Weapon.PRIMARY).map((shot) => shot.tick)).toEqual([1, 10, 19, 28, 37, 46, 55]);
    expect(byWeapon(Weapon.SECONDARY).map((shot) => shot.tick)).toEqual([1, 28, 55]);
  });

  it('buttons released fire nothing', () => {
    const t = combatWorld();
    t.addPlayer(1, 100, 100);
    t.tick(30);
    expect(t.shots()).toEqual([]);
  });
});

describe('hitscan', () => {
  it('hits the first player on the ray, at the edge of its hit circle, for 20 damage', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    const near = t.addPlayer(2, 300, 100);
    const far = t.addPlayer(3, 500, 100);
    t.hold(shooter, { buttons: Button.PRIMARY, aimAngle: EAST });
    t.tick();
    expect(t.shots()).toEqual([
      {
        tick: 1,
        shooterId: 1,
        weapon: Weapon.PRIMARY,
        x0: 100 * 16,
        y0: 100 * 16,
        x1: (300 - 14) * 16,
        y1: 100 * 16,
        hitId: 2,
      },
    ]);
    expect([t.hp(near), t.hp(far), t.hp(shooter)]).toEqual([80, 100, 100]);
  });

  it('misses a player just outside the hit circle, and never hits the shooter', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    const beside = t.addPlayer(2, 300, 114.5);
    t.hold(shooter, { buttons: Button.PRIMARY, aimAngle: EAST });
    t.tick();
    expect(t.shots()[0]).toMatchObject({ hitId: 0, x1: 1100 * 16 }); // 1000 units of range
    expect(t.hp(beside)).toBe(100);
    expect(t.hp(shooter)).toBe(100);
  });

  it('reaches 1000 units and no further', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    const inRange = t.addPlayer(2, 100 + 1000 + 13, 100); // its circle starts at 999 units
    const outOfRange = t.addPlayer(3, 100, 100 + 1000 + 15); // its circle starts at 1001 units
    t.hold(shooter, { buttons: Button.PRIMARY, aimAngle: EAST });
    t.tick();
    t.hold(shooter, { buttons: Button.PRIMARY, aimAngle: Math.PI / 2 });
    t.tick(9);
    expect(t.shots().map((shot) => shot.hitId)).toEqual([2, 0]);
    expect([t.hp(inRange), t.hp(outOfRange)]).toEqual([80, 100]);
  });

  it('is stopped by a wall between shooter and target, and ends at its face', () => {
    // 32-unit tiles: a wall column at x 96..128 units in row 1.
    const map = mapOf(['........', '...#....', '........'], 32);
    const t = combatWorld({ map });
    const shooter = t.addPlayer(1, 48, 48);
    const target = t.addPlayer(2, 208, 48);
    t.hold(shooter, { buttons: Button.PRIMARY, aimAngle: EAST });
    t.tick();
    expect(t.shots()[0]).toMatchObject({ hitId: 0, x1: 96 * 16, y1: 48 * 16 });
    expect(t.hp(target)).toBe(100);
    // In the open row above, the same shot lands.
    const other = t.addPlayer(3, 208, 16);
    t.hold(t.addPlayer(4, 48, 16), { buttons: Button.PRIMARY, aimAngle: EAST });
    t.hold(shooter, {});
    t.tick();
    expect(t.shots()[1]).toMatchObject({ shooterId: 4, hitId: 3 });
    expect(t.hp(other)).toBe(80);
  });

  it('two players who shoot each other in the same tick both hit', () => {
    const t = combatWorld();
    const a = t.addPlayer(1, 100, 100);
    const b = t.addPlayer(2, 300, 100);
    t.hold(a, { buttons: Button.PRIMARY, aimAngle: EAST });
    t.hold(b, { buttons: Button.PRIMARY, aimAngle: WEST });
    t.tick();
    expect([t.hp(a), t.hp(b)]).toEqual([80, 80]);
  });
});

describe('lag compensation', () => {
  /** The target runs east at 200 units per second: 107 quanta each tick. */
  const STEP_Q = 107;

  /**
   * Shooter at (600, 100) units; target from (400, 300) running east, recorded tick by tick, so the
   * ray to it is nearly square to its run and a few ticks of it are a clear miss. Each shot waits
   * out the cooldown first, so every fire() shoots.
   */
  function running(options: Parameters<typeof combatWorld>[0] = {}, ticks = 20) {
    const t = combatWorld(options);
    const shooter = t.addPlayer(1, 600, 100);
    const target = t.addPlayer(2, 400, 300);
    t.hold(target, { moveX: 1 });
    const xAt = new Map<number, number>();
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        t.tick();
        xAt.set(t.game.tick, t.at(target).x * POSITION_SCALE);
      }
    };
    run(ticks);
    /** Where the target was (or, past the last tick run, will be) at fractional tick v, quanta. */
    const xOf = (v: number) => {
      const last = t.game.tick;
      if (v > last) return xAt.get(last)! + STEP_Q * (v - last);
      const a = Math.floor(v);
      return xAt.get(a)! + (xAt.get(Math.ceil(v))! - xAt.get(a)!) * (v - a);
    };
    /** Fire once at the next tick T (returned with the shot), viewing `view(T)`, aimed at the target at `aim(T)`. */
    const fire = (view: (T: number) => number, aim: (T: number) => number) => {
      run(PRIMARY_WEAPON.cooldownMs / 33);
      const T = t.game.tick + 1;
      const aimAngle = Math.atan2((300 - 100) * POSITION_SCALE, xOf(aim(T)) - 600 * POSITION_SCALE);
      t.hold(shooter, { buttons: Button.PRIMARY, aimAngle, viewTick: view(T) });
      run(1);
      t.hold(shooter, {});
      t.hold(target, { moveX: 1 });
      return { T, shot: t.shots().at(-1)! };
    };
    return { t, target, fire };
  }

  it('a shot aimed where the target was at its viewTick hits, though the target has moved on', () => {
    const { t, target, fire } = running();
    // 5.4 ticks ago the target was 5.4 × 107 quanta (36 units) west of where it is: outside its circle.
    const { T, shot } = fire(
      (T) => T - 5.4,
      (T) => T - 5.4,
    );
    expect(shot).toMatchObject({ tick: T, hitId: 2 });
    expect(t.hp(target)).toBe(80);
  });

  it('the same shot with lag compensation off misses; aimed at the present, it hits', () => {
    const { t, target, fire } = running({ lagCompensation: false });
    expect(
      fire(
        (T) => T - 5.4,
        (T) => T - 5.4,
      ).shot,
    ).toMatchObject({ hitId: 0 });
    expect(t.hp(target)).toBe(100);
    expect(
      fire(
        (T) => T - 5.4,
        (T) => T,
      ).shot,
    ).toMatchObject({ hitId: 2 });
  });

  it('a view older than the clamp is tested at T − 250 ms (7.5 ticks at 30 Hz), not where claimed', () => {
    const { fire } = running();
    expect(
      fire(
        (T) => T - 15,
        (T) => T - 15,
      ).shot,
    ).toMatchObject({ hitId: 0 });
    expect(
      fire(
        (T) => T - 15,
        (T) => T - 7.5,
      ).shot,
    ).toMatchObject({ hitId: 2 });
    expect(
      fire(
        () => 1,
        (T) => T - 7.5,
      ).shot,
    ).toMatchObject({ hitId: 2 });
  });

  it('a view in the future is tested at T, the present: never ahead of it', () => {
    const { fire } = running();
    expect(
      fire(
        (T) => T + 50,
        (T) => T + 4,
      ).shot,
    ).toMatchObject({ hitId: 0 });
    expect(
      fire(
        (T) => T + 50,
        (T) => T,
      ).shot,
    ).toMatchObject({ hitId: 2 });
    expect(
      fire(
        () => 4294967295,
        (T) => T,
      ).shot,
    ).toMatchObject({ hitId: 2 });
  });

  it('a longer --max-rewind-ms reaches further back', () => {
    const { fire } = running({ maxRewindMs: 1000 });
    expect(
      fire(
        (T) => T - 15,
        (T) => T - 15,
      ).shot,
    ).toMatchObject({ hitId: 2 });
  });

  it('no view (0) tests the present', () => {
    const { fire } = running();
    expect(
      fire(
        () => 0,
        (T) => T - 5,
      ).shot,
    ).toMatchObject({ hitId: 0 });
    expect(
      fire(
        () => 0,
        (T) => T,
      ).shot,
    ).toMatchObject({ hitId: 2 });
  });

  it('a player who died since the view is not hit where it was', () => {
    const { t, target, fire } = running();
    target.getMutableComponent(Health)!.hp = 20;
    expect(
      fire(
        (T) => T,
        (T) => T,
      ).shot,
    ).toMatchObject({ hitId: 2 });
    expect(t.dead(target)).toBe(true);
    expect(
      fire(
        (T) => T - 3,
        (T) => T - 3,
      ).shot,
    ).toMatchObject({ hitId: 0 });
  });
});

describe('secondary launch event', () => {
  it('says where the projectile will stop if it meets nobody: its range of 720 units', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    const range = (SECONDARY_WEAPON.speedUnitsPerSecond * SECONDARY_WEAPON.lifetimeMs) / 1000;
    expect(t.shots()).toEqual([
      {
        tick: 1,
        shooterId: 1,
        weapon: Weapon.SECONDARY,
        x0: 1600,
        y0: 1600,
        x1: (100 + range) * 16,
        y1: 1600,
        hitId: 0,
      },
    ]);
  });
});
