// Writable access to a component inside the loops that run for every player (or projectile) every
// tick. ecsy's getMutableComponent differs from getComponent only by dispatching a 'changed' event
// to each reactive query the entity belongs to, which means a loop over all of its queries per call.
// No query in this world listens for changes (server/test/writable.test.ts checks every system), so
// those loops would do nothing but cost time; this returns the same component object without them.
import type { Component, ComponentConstructor, Entity } from 'ecsy';

export function writable<C extends Component<unknown>>(entity: Entity, type: ComponentConstructor<C>): C {
  // getComponent hands out the live component object; Readonly<> is only ecsy's typing of it.
  return entity.getComponent(type) as C;
}
