// Hits become damage, deaths, kill credit and kill events. Runs once per hit, after the system that
// resolved its shots has finished them all (so the queries it changes are not being walked).
import type { Weapon } from '@tickwire/protocol';
import { Dead, Health, NetworkId, Score, Velocity } from '../components.js';
import type { GameContext } from './gameContext.js';

export interface Hit {
  victimId: number;
  damage: number;
  shooterId: number;
  /** The shooter's life when it fired: a player who took its id since gets no credit. */
  shooterGeneration: number;
  weapon: Weapon;
}

/** Apply one hit at game.tick. A victim dead by then (or gone) takes nothing. */
export function applyHit(game: GameContext, hit: Hit): void {
  const victim = game.players.get(hit.victimId);
  if (victim === undefined || !victim.alive || victim.hasComponent(Dead)) return;
  const health = victim.getMutableComponent(Health)!;
  game.counters.hits++;
  health.hp = Math.max(0, health.hp - hit.damage);
  if (health.hp > 0) return;

  // Dead: still for RESPAWN_DELAY_MS, then RespawnSystem brings it back.
  victim.addComponent(Dead, { respawnTick: game.tick + game.respawnTicks });
  const velocity = victim.getMutableComponent(Velocity)!;
  velocity.vx = 0;
  velocity.vy = 0;
  victim.getMutableComponent(Score)!.deaths++;
  const killer = game.players.get(hit.shooterId);
  const credited =
    killer?.alive === true &&
    killer.getComponent(NetworkId)!.generation === hit.shooterGeneration &&
    hit.shooterId !== hit.victimId;
  if (credited) killer.getMutableComponent(Score)!.kills++;
  game.events.pushKill({
    tick: game.tick,
    killerId: credited ? hit.shooterId : 0,
    victimId: hit.victimId,
    weapon: hit.weapon,
  });
  game.counters.kills++;
  game.rosterChanged = true;
}
