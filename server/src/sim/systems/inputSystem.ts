// Input system, priority 0, once per tick: applies at most one queued input per player, in seq
// order; an empty queue repeats the latest input (buttons held, view one tick later) and counts a
// starved tick.
import { System } from 'ecsy';
import { PlayerControl } from '../components.js';
import { writable } from '../writable.js';

export class InputSystem extends System {
  static override queries = { players: { components: [PlayerControl] } };

  execute(): void {
    const players = this.queries.players!.results;
    for (let i = 0; i < players.length; i++) {
      const control = writable(players[i]!, PlayerControl);
      const next = control.queue?.shift();
      if (next !== undefined) {
        control.moveX = next.moveX;
        control.moveY = next.moveY;
        control.buttons = next.buttons;
        control.aimAngle = next.aimAngle;
        control.viewTick = next.viewTick;
        control.lastInputSeq = next.seq;
      } else if (control.lastInputSeq !== 0) {
        control.starvedTicks++;
        // The client kept drawing while its input was late: its view moved on with the clock.
        if (control.viewTick > 0) control.viewTick++;
      }
    }
  }
}
