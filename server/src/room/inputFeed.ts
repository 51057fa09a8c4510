// The boundary between a room's sessions and its simulation: once per tick, before the systems, each
// player's next input moves from its session's queue into its PlayerControl as plain numbers. The
// systems read only components; no component holds a session.

import type { QueuedInput } from '../session/inputQueue.js';
import type { Session } from '../session/session.js';
import type { PlayerControl } from '../sim/components.js';

/** Where each player's next input is copied out of its queue; reused for every player. */
const next: QueuedInput = { seq: 0, moveX: 0, moveY: 0, buttons: 0, aimAngle: 0, viewTick: 0 };

export class InputFeed {
  /**
   * The players' sessions and their PlayerControl components, in two dense arrays at the same index.
   * The per-tick pass then loads each session (whose queue is itself, see session.ts) and each
   * component directly, as the systems' columns do (sim/queryColumns.ts), instead of three
   * dependent loads through the entity per player.
   */
  private readonly sessions: Session[] = [];
  private readonly controls: PlayerControl[] = [];

  get size(): number {
    return this.sessions.length;
  }

  /** A player joined (per join). */
  add(session: Session, control: PlayerControl): void {
    this.sessions.push(session);
    this.controls.push(control);
  }

  /** A player left (per leave): the last entry takes its place. Nothing happens if it was never added. */
  remove(session: Session): void {
    const index = this.sessions.indexOf(session);
    if (index < 0) return;
    const last = this.sessions.length - 1;
    this.sessions[index] = this.sessions[last]!;
    this.controls[index] = this.controls[last]!;
    this.sessions.pop();
    this.controls.pop();
  }

  /**
   * Once per tick: at most one queued input per player, in seq order, written into its PlayerControl
   * with `fresh` set. An empty queue writes nothing (the input system repeats the latest, see
   * inputSystem.ts) and the queue counts that starved tick.
   */
  take(): void {
    const sessions = this.sessions;
    const controls = this.controls;
    for (let i = 0; i < sessions.length; i++) {
      if (!sessions[i]!.shiftInto(next)) continue;
      const control = controls[i]!;
      control.seq = next.seq;
      control.moveX = next.moveX;
      control.moveY = next.moveY;
      control.buttons = next.buttons;
      control.aimAngle = next.aimAngle;
      control.viewTick = next.viewTick;
      control.fresh = true;
    }
  }
}
