// The debug messages (--debug-state): a nudge that moves a player outside its inputs, and the
// newest snapshot's whole state on request. Run per debug message, never in a normal game.
import { type EntityTuple, encodeServerMessage, POSITION_SCALE, ServerMessageId } from '@tickwire/protocol';
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

/** DEBUG_STATE: every entity of the newest snapshot tick, to one client. */
export function sendDebugState(room: RoomState, session: Session): void {
  const state = room.lastSnapshot;
  const entities: EntityTuple[] = [];
  for (let row = 0; row < (state?.count ?? 0); row++) {
    const id = state!.ids[row]!;
    entities.push({ id, ...state!.entity(id)! });
  }
  session.send(encodeServerMessage({ id: ServerMessageId.DEBUG_STATE, tick: state?.tick ?? 0, entities }));
}
