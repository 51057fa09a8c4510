// The component objects of a system's query in dense arrays ("columns"), in the order of the query's
// results, rebuilt only when ecsy reports an entity added to or removed from the query. Read once
// per tick by the systems that visit every player. Reaching a component through its entity is three
// dependent loads (the entity, its component table, the table's elements): three cache misses for
// the first component of each player in each pass. A column entry is one.
import type { Component, ComponentConstructor, Entity } from 'ecsy';

/** Put in a query's definition: ecsy then lists the entities added and removed since the system last ran. */
export const LISTEN_MEMBERSHIP = { added: true, removed: true } as const;

/** A system's query that listens with LISTEN_MEMBERSHIP. */
export interface MembershipQuery {
  results: Entity[];
  added?: Entity[];
  removed?: Entity[];
}

/**
 * Whether columns built from `query` (`columnLength` entries) no longer match it. ecsy clears
 * `added` and `removed` after each run of the system, so they hold exactly the changes since the
 * columns were last checked; a length that differs (the system's first run) also counts.
 */
export function membershipChanged(query: MembershipQuery, columnLength: number): boolean {
  return (query.added?.length ?? 0) > 0 || (query.removed?.length ?? 0) > 0 || query.results.length !== columnLength;
}

/**
 * Each entity's component of `type`, the live object (as writable() gives it: the systems write
 * through it). Every entity of the query has one, or ecsy would not have listed it.
 */
export function column<C extends Component<unknown>>(entities: readonly Entity[], type: ComponentConstructor<C>): C[] {
  return entities.map((entity) => entity.getComponent(type) as C);
}
