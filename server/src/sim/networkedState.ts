// Copies the networked fields of every player and projectile in flight from ecsy components into a
// WorldState of the history ring. Runs once per snapshot tick, per entity. The reader table is keyed
// by the protocol's field table, so a field added there without its component here fails the type check.
import { type EntityFieldName, FIELD_COUNT, FieldIndex, type WorldState } from '@tickwire/protocol';
import type { Entity } from 'ecsy';
import { Facing, Health, Kind, NetworkId, Position, Velocity } from './components.js';

const READERS: { readonly [K in EntityFieldName]: (entity: Entity) => number } = {
  vx: (entity) => entity.getComponent(Velocity)!.vx,
  vy: (entity) => entity.getComponent(Velocity)!.vy,
  x: (entity) => entity.getComponent(Position)!.x,
  y: (entity) => entity.getComponent(Position)!.y,
  angle: (entity) => entity.getComponent(Facing)!.angle,
  hp: (entity) => entity.getComponent(Health)!.hp,
  kind: (entity) => entity.getComponent(Kind)!.kind,
};
const READER_LIST = (Object.keys(READERS) as EntityFieldName[])
  .sort((a, b) => FieldIndex[a] - FieldIndex[b])
  .map((name) => READERS[name]);

/** Append every entity to `out` (already reset and stamped with its tick). */
export function captureWorldState(entities: Iterable<Entity>, out: WorldState): void {
  for (const entity of entities) {
    const network = entity.getComponent(NetworkId)!;
    const at = out.add(network.id, network.generation) * FIELD_COUNT;
    for (let f = 0; f < FIELD_COUNT; f++) out.values[at + f] = READER_LIST[f]!(entity);
  }
}
