// Health, death, kill credit and respawn on the combat harness: five primary hits kill, the dead
// neither move, fire nor get hit, the killer is credited once, and the dead come back after 2 s.
import { Button, RESPAWN_DELAY_MS, ticksOf, Weapon } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { Health, Velocity } from '../src/sim/components.js';
import { combatWorld } from './support/combatWorld.js';

const EAST = 0;
const NORTH = -Math.PI / 2;

/** Shooter 1 at (100, 100) units holding primary east; victim 2 at (300, 100). Five shots: 1, 10, …, 37. */
function duel() {
  const t = combatWorld({ spawns: [{ x: 500, y: 400 }] });
  const shooter = t.addPlayer(1, 100, 100);
  const victim = t.addPlayer(2, 300, 100);
  t.hold(shooter, { buttons: Button.PRIMARY, aimAngle: EAST });
  return { t, shooter, victim };
}

describe('death', () => {
  it('comes with the fifth 20-damage hit: hp 0, a kill event, kills and deaths counted, the roster changed', () => {
    const { t, shooter, victim } = duel();
    t.tick(36);
    expect(t.hp(victim)).toBe(20);
    expect(t.dead(victim)).toBe(false);
    expect(t.rosterChanges).toBe(0);
    t.tick();
    expect(t.hp(victim)).toBe(0);
    expect(t.dead(victim)).toBe(true);
    expect(t.kills()).toEqual([{ tick: 37, killerId: 1, victimId: 2, weapon: Weapon.PRIMARY }]);
    expect(t.score(shooter)).toEqual({ kills: 1, deaths: 0 });
    expect(t.score(victim)).toEqual({ kills: 0, deaths: 1 });
    expect(t.rosterChanges).toBe(1);
  });

  it('stops the dead: velocity zero, no movement, no fire, not hit again (shots pass through)', () => {
    const { t, shooter, victim } = duel();
    t.hold(victim, { moveX: 1, buttons: Button.PRIMARY, aimAngle: NORTH });
    t.tick(37); // the kill; the victim's own shot of that tick still went off (shots resolve first)
    const shotsByVictim = t.shots().filter((shot) => shot.shooterId === 2).length;
    expect(shotsByVictim).toBe(5);
    expect(t.dead(victim)).toBe(true);
    const where = t.at(victim);
    expect(victim.getComponent(Velocity)).toMatchObject({ vx: 0, vy: 0 });
    t.tick(30);
    expect(t.at(victim)).toEqual(where);
    expect(t.shots().filter((shot) => shot.shooterId === 2).length).toBe(shotsByVictim);
    // The shooter's shots since the kill went through where the victim lies.
    const after = t.shots().filter((shot) => shot.shooterId === 1 && shot.tick > 37);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((shot) => shot.hitId === 0)).toBe(true);
    expect(t.kills()).toHaveLength(1);
    expect(t.score(shooter).kills).toBe(1);
  });

  it('credits nobody (killerId 0) when the killer left before its projectile landed', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    const victim = t.addPlayer(2, 300, 100);
    victim.getMutableComponent(Health)!.hp = 35;
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    // The shooter leaves (as the room does it); its projectile flies on and kills.
    t.game.players.delete(1);
    shooter.remove();
    t.tick(20);
    expect(t.hp(victim)).toBe(0);
    expect(t.kills()).toEqual([{ tick: 13, killerId: 0, victimId: 2, weapon: Weapon.SECONDARY }]);
    expect(t.score(victim).deaths).toBe(1);
  });

  it('credits nobody when a new player took the killer id since the launch', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    const victim = t.addPlayer(2, 300, 100);
    victim.getMutableComponent(Health)!.hp = 35;
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    t.game.players.delete(1);
    shooter.remove();
    const newcomer = t.addPlayer(1, 100, 1500);
    t.tick(20);
    expect(t.kills()).toEqual([{ tick: 13, killerId: 0, victimId: 2, weapon: Weapon.SECONDARY }]);
    expect(t.score(newcomer).kills).toBe(0);
  });
});

describe('respawn', () => {
  it(`brings the dead back after ${RESPAWN_DELAY_MS} ms (60 ticks at 30 Hz) at a spawn point with 100 hp`, () => {
    const { t, victim } = duel();
    t.tick(37);
    expect(t.dead(victim)).toBe(true);
    const respawnTicks = ticksOf(RESPAWN_DELAY_MS, 30);
    expect(respawnTicks).toBe(60);
    t.tick(respawnTicks - 1);
    expect(t.dead(victim)).toBe(true);
    expect(t.hp(victim)).toBe(0);
    t.tick();
    expect(t.dead(victim)).toBe(false);
    expect(t.hp(victim)).toBe(100);
    expect(t.at(victim)).toEqual({ x: 500, y: 400 });
  });

  it('lets the respawned move and fire again, and be hit again', () => {
    const { t, shooter, victim } = duel();
    t.tick(37 + 60);
    expect(t.dead(victim)).toBe(false);
    t.hold(victim, { moveX: 1, buttons: Button.PRIMARY, aimAngle: EAST });
    t.tick(2);
    expect(t.at(victim).x).toBeGreaterThan(500);
    expect(t.shots().some((shot) => shot.shooterId === 2 && shot.tick > 97)).toBe(true);
    // It stops; the shooter aims at its new place: it is hittable again.
    t.hold(victim, {});
    t.tick();
    const at = t.at(victim);
    t.hold(shooter, { buttons: Button.PRIMARY, aimAngle: Math.atan2(at.y - 100, at.x - 100) });
    t.tick(9);
    expect(t.hp(victim)).toBe(80);
  });
});
