// Input system, priority 0, once per tick: a player whose client sent no input for this tick keeps
// its latest (buttons held, movement repeated) and its view moves on one tick. The input itself is
// plain data in PlayerControl, written before the tick by the room (room/inputFeed.ts).
import { System } from 'ecsy';
import { PlayerControl } from '../components.js';
import { column, LISTEN_MEMBERSHIP, membershipChanged } from '../queryColumns.js';

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
      if (control.fresh) control.fresh = false;
      // The client kept drawing while its input was late: its view moved on with the clock.
      else if (control.seq !== 0 && control.viewTick > 0) control.viewTick++;
    }
  }
}
