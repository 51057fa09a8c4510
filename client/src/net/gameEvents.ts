// Hands a snapshot's shots and kills to the game once each, in tick order (a tick's shots before its
// kills: the shot that killed comes first). Runs once per applied snapshot. A correct delta chain
// never repeats an event (PROTOCOL.md, "Shots and kills"); the tick check makes that hold even so.
import type { KillEvent, ShotEvent, SnapshotMessage } from '@tickwire/protocol';

export interface GameEventHandlers {
  onShot?(shot: ShotEvent, nowMs: number): void;
  onKill?(kill: KillEvent, nowMs: number): void;
}

export class EventFeed {
  /** The newest tick whose events have been handed on (0 before the first snapshot). */
  deliveredTick = 0;

  /** Hand on the events of `snapshot` newer than any delivered, merged by tick. */
  deliver(
    snapshot: Pick<SnapshotMessage, 'tick' | 'shots' | 'kills'>,
    handlers: GameEventHandlers,
    nowMs: number,
  ): void {
    const { shots, kills } = snapshot;
    const after = this.deliveredTick;
    let s = 0;
    let k = 0;
    while (s < shots.length || k < kills.length) {
      const shot = shots[s];
      const kill = kills[k];
      if (shot !== undefined && (kill === undefined || shot.tick <= kill.tick)) {
        if (shot.tick > after) handlers.onShot?.(shot, nowMs);
        s++;
      } else {
        if (kill!.tick > after) handlers.onKill?.(kill!, nowMs);
        k++;
      }
    }
    this.deliveredTick = Math.max(after, snapshot.tick);
  }
}
