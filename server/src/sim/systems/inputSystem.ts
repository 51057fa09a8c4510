// Input system, priority 0, once per tick: applies at most one queued input per player, in seq
// order; an empty queue repeats the latest input (buttons held, view one tick later), and the queue
// counts that starved tick and remembers the seq applied (the snapshot header reads both there).
import { System } from 'ecsy';
import type { QueuedInput } from '../../session/inputQueue.js';
import { PlayerControl } from '../components.js';
import { column, LISTEN_MEMBERSHIP, membershipChanged } from '../queryColumns.js';

/** Where each player's next input is copied out of its queue; reused for every player. */
const next: QueuedInput = { seq: 0, moveX: 0, moveY: 0, buttons: 0, aimAngle: 0, viewTick: 0 };

export class InputSystem extends System {
  static override queries = { players: { components: [PlayerControl], listen: LISTEN_MEMBERSHIP } };
  /** Each player's PlayerControl, in query order (queryColumns.ts). */
  private controls: PlayerControl[] = [];

  execute(): void {
    const players = this.queries.players!;
    if (membershipChanged(players, this.controls.length)) this.controls = column(players.results, PlayerControl);
    const controls = this.controls;
    for (let i = 0; i < controls.length; i++) {
      const control = controls[i]!;
      const queue = control.queue;
      if (queue === undefined) continue;
      if (queue.shiftInto(next)) {
        control.moveX = next.moveX;
        control.moveY = next.moveY;
        control.buttons = next.buttons;
        control.aimAngle = next.aimAngle;
        control.viewTick = next.viewTick;
      } else if (queue.lastTakenSeq !== 0 && control.viewTick > 0) {
        // The client kept drawing while its input was late: its view moved on with the clock.
        control.viewTick++;
      }
    }
  }
}
