// A room's whole state at a tick boundary, as RoomStateV1 (roomStateFormat.ts): read once when the
// room is handed over to another process. Reads the room; changes nothing in it.
import type { Entity, World } from 'ecsy';
import { allComponents, NetworkId } from '../sim/components.js';
import type { RoomState } from './roomState.js';
import type { ComponentsV1, PlayerStateV1, RoomStateV1 } from './roomStateFormat.js';
import { pickRoomOptions, ROOM_STATE_VERSION } from './roomStateFormat.js';

/**
 * Everything the room continues from (between two ticks: never inside runTick). `nowMs` is the
 * room's clock, for the grace left to players already away. What restarts empty instead (the
 * snapshot ring, the events, send times, counters, chat limits) is listed in PROTOCOL.md.
 */
export function captureRoom(room: RoomState, nowMs: number): RoomStateV1 {
  const pool = room.game.projectiles!;
  const players: PlayerStateV1[] = [];
  for (const [session, entity] of room.players) {
    players.push({
      playerId: session.playerId,
      name: session.name,
      resumeNonce: session.resumeNonce,
      graceLeftMs: session.state === 'away' ? Math.max(0, session.awayUntilMs - nowMs) : null,
      components: captureComponents(entity),
    });
  }
  const { active, free } = pool.order;
  return {
    stateVersion: ROOM_STATE_VERSION,
    options: pickRoomOptions(room.config),
    tick: room.tick,
    nextConnectionId: room.nextConnectionId,
    spawner: room.scenario.spawnerState,
    lastGeneration: room.game.lastGeneration,
    rosterChanged: room.game.rosterChanged,
    takenIds: room.ids.taken,
    players,
    projectiles: { created: pool.entities.map(captureComponents), active, free },
    queryOrder: queryOrder(room.world),
    roster: room.roster.exportState(room.players),
    lagHistory: room.game.history.exportState(),
  };
}

/** Every component the entity has, each schema field's value (a tag: `{}`), by class name. */
export function captureComponents(entity: Entity): ComponentsV1 {
  const components: ComponentsV1 = {};
  for (const component of allComponents) {
    if (!entity.hasComponent(component)) continue;
    const schema = (component as unknown as { schema?: Record<string, unknown> }).schema ?? {};
    const live = entity.getComponent(component) as unknown as Record<string, number | boolean>;
    const fields: Record<string, number | boolean> = {};
    for (const field of Object.keys(schema)) fields[field] = live[field]!;
    components[component.name] = fields;
  }
  return components;
}

/** The key of a system's query in RoomStateV1.queryOrder. */
export function queryKey(systemName: string, queryName: string): string {
  return `${systemName}.${queryName}`;
}

/** Each system query's entities by network id, in the query's order. */
function queryOrder(world: World): Record<string, number[]> {
  const order: Record<string, number[]> = {};
  for (const system of world.getSystems()) {
    for (const [name, query] of Object.entries(system.queries)) {
      order[queryKey(system.constructor.name, name)] = query.results.map((e) => e.getComponent(NetworkId)!.id);
    }
  }
  return order;
}
