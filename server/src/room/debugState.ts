// The debug messages (--debug-state): a nudge that moves a player outside its inputs, and the
// newest snapshot's whole state and the requester's view on request. Run per debug message, never in a normal game.
import { debugStatePages, type EntityTuple, encodeServerMessage, POSITION_SCALE } from '@tickwire/protocol';
import type { Session } from '../session/session.js';
import { Position } from '../sim/components.js';
import type { RoomState } from './roomState.js';

/** Move a player outside its inputs (debug): its client must see a misprediction. */
export function nudge(room: RoomState, session: Session, dx: number, dy: number): void {
  const position = room.players.get(session)!.getMutableComponent(Position)!;
  const { width, height } = room.scenario.rules;
  position.x = Math.min(width * POSITION_SCALE, Math.max(0, position.x + dx));
  position.y = Math.min(height * POSITION_SCALE, Math.max(0, position.y + dy));
}

/**
 * DEBUG_STATE: every entity of the newest snapshot tick and the requester's interest ids, as pages
 * back to back. Without interest management the view is the whole room, so `interest` is every id.
 */
export function sendDebugState(room: RoomState, session: Session): void {
  const state = room.lastSnapshot;
  const entities: EntityTuple[] = [];
  for (let row = 0; row < (state?.count ?? 0); row++) {
    const id = state!.ids[row]!;
    entities.push({ id, ...state!.entity(id)! });
  }
  entities.sort((a, b) => a.id - b.id);
  const interest = room.snapshots.interestOf(session) ?? entities.map((entity) => entity.id);
  for (const page of debugStatePages({ tick: state?.tick ?? 0, entities, interest })) {
    session.send(encodeServerMessage(page));
  }
}
