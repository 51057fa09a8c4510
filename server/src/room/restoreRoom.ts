// A room rebuilt from a RoomStateV1 (roomStateFormat.ts) in a room just created from the state's
// options: once per room taken over from another process. Every player comes back away (its
// connection stayed with the old process): it resumes here with its resume token within the grace.
import type { ComponentConstructor, Entity, World } from 'ecsy';
import type { ClientSocket } from '../session/session.js';
import { Session } from '../session/session.js';
import { allComponents, NetworkId } from '../sim/components.js';
import { queryKey } from './captureRoom.js';
import { sessionOptions } from './membership.js';
import { goAway } from './resume.js';
import type { RoomState } from './roomState.js';
import { type ComponentsV1, RoomStateRefused, type RoomStateV1 } from './roomStateFormat.js';

/** The socket of a restored away player: there is none (its connection is on the old process). */
const NO_SOCKET: ClientSocket = { send() {}, close() {}, queuedBytes: 0 };

/** What every player entity has (sim/createPlayer.ts), and every projectile (combat/projectilePool.ts). */
const PLAYER_COMPONENTS = [
  'NetworkId',
  'Position',
  'Velocity',
  'Facing',
  'Health',
  'PlayerControl',
  'Kind',
  'Weapons',
  'Score',
];
const PROJECTILE_COMPONENTS = ['NetworkId', 'Position', 'Velocity', 'Facing', 'Health', 'Kind', 'Projectile'];

// biome-ignore lint/suspicious/noExplicitAny: ecsy's addComponent takes a constructor of any component.
const COMPONENTS_BY_NAME = new Map<string, ComponentConstructor<any>>(allComponents.map((c) => [c.name, c]));

/**
 * Fill `room` (new, from state.options, no tick run, nobody in it) with `state`. Players connected
 * when captured get a whole grace from `nowMs`; players already away keep the grace they had left.
 * Throws RoomStateRefused ('malformed') when the state does not hold together (the caller then
 * disposes of the half-built room and the room stays where it is).
 */
export function restoreInto(room: RoomState, state: RoomStateV1, nowMs: number): void {
  if (room.tick !== 0 || room.players.size > 0) throw new Error('restore into a room that has run');
  const { game } = room;
  const ids = new Set(state.players.map((p) => p.playerId));
  if (
    ids.size !== state.players.length ||
    state.takenIds.length !== ids.size ||
    !state.takenIds.every((id) => ids.has(id))
  ) {
    throw refused('takenIds', 'not the ids of the players');
  }
  try {
    room.scenario.spawnerState = state.spawner;
    room.ids.taken = state.takenIds;
    room.game.history.importState(state.lagHistory);
  } catch (error) {
    throw refused('state', (error as Error).message);
  }
  room.tick = state.tick;
  game.tick = state.tick;
  room.nextConnectionId = state.nextConnectionId;
  game.lastGeneration = state.lastGeneration;
  game.rosterChanged = state.rosterChanged;

  const connected: [Session, Entity][] = [];
  for (const [i, player] of state.players.entries()) {
    requireComponents(player.components, PLAYER_COMPONENTS, `players[${i}]`);
    if (player.components.NetworkId!.id !== player.playerId) throw refused(`players[${i}]`, 'NetworkId is not its id');
    const entity = createEntity(room.world, player.components);
    // Connection id 0: no connection; the ids of real connections go on from nextConnectionId.
    const session = new Session(0, NO_SOCKET, sessionOptions(room), nowMs);
    session.state = 'playing';
    session.name = player.name;
    session.playerId = player.playerId;
    session.resumeNonce = player.resumeNonce;
    room.players.set(session, entity);
    game.players.set(player.playerId, entity);
    if (player.graceLeftMs === null) connected.push([session, entity]);
    else {
      session.markAway(nowMs + player.graceLeftMs);
      room.away.set(player.playerId, session);
    }
  }

  const projectiles = state.projectiles.created.map((components, i) => {
    requireComponents(components, PROJECTILE_COMPONENTS, `projectiles.created[${i}]`);
    return createEntity(room.world, components);
  });
  try {
    game.projectiles!.adopt(projectiles, state.projectiles.active, state.projectiles.free);
  } catch (error) {
    throw refused('projectiles', (error as Error).message);
  }

  orderQueries(room.world, state.queryOrder);
  const holders = new Map([...room.players.keys()].map((session) => [session.playerId, session]));
  room.roster.importState(state.roster, (id) => holders.get(id));
  // Last, as when their connections drop: out of the queries that skip away players, the roster told.
  for (const [session, entity] of connected) goAway(room, session, entity, nowMs);
  room.hooks.onPlayers?.(room.players.size);
}

function createEntity(world: World, components: ComponentsV1): Entity {
  const entity = world.createEntity();
  for (const [name, fields] of Object.entries(components)) {
    entity.addComponent(COMPONENTS_BY_NAME.get(name)!, fields);
  }
  return entity;
}

function requireComponents(components: ComponentsV1, names: readonly string[], path: string): void {
  const missing = names.filter((name) => components[name] === undefined);
  if (missing.length > 0) throw refused(path, `without ${missing.join(', ')}`);
}

/**
 * Put each system query's entities in the captured order: the systems visit them in it (who
 * respawns where, whose hit lands first), and a world built afresh lists them in creation order.
 * Sorted in place: ecsy's systems hold the query's own array (`results`).
 */
function orderQueries(world: World, order: Record<string, number[]>): void {
  const keys = new Set<string>();
  for (const system of world.getSystems()) {
    for (const [name, query] of Object.entries(system.queries)) {
      const key = queryKey(system.constructor.name, name);
      keys.add(key);
      const ids = order[key];
      if (ids === undefined) throw refused(`queryOrder.${key}`, 'missing');
      const rank = new Map(ids.map((id, i) => [id, i]));
      const results = query.results;
      if (rank.size !== ids.length || results.length !== ids.length) {
        throw refused(`queryOrder.${key}`, 'not the entities the query holds');
      }
      const ranked = results.map((entity) => rank.get(entity.getComponent(NetworkId)!.id));
      if (ranked.some((r) => r === undefined)) throw refused(`queryOrder.${key}`, 'not the entities the query holds');
      const sorted = results.map((entity, i) => [ranked[i]!, entity] as const).sort((a, b) => a[0] - b[0]);
      sorted.forEach(([, entity], i) => {
        results[i] = entity;
      });
    }
  }
  for (const key of Object.keys(order)) if (!keys.has(key)) throw refused(`queryOrder.${key}`, 'no such query');
}

function refused(path: string, problem: string): RoomStateRefused {
  return new RoomStateRefused('malformed', `${path}: ${problem}`);
}
