// The browser's connection to the server, and the two newest world states the renderer lerps
// between. Created once per page; its handlers run per received frame.
import { closeCodeName, type WelcomeMessage, WorldState } from '@tickwire/protocol';
import { Connection, type ConnectionState } from '../net/connection.js';
import type { SocketLike } from '../net/socketLike.js';

export class GameSession {
  readonly connection: Connection;
  welcome: WelcomeMessage | undefined;
  /** Copies of the last two applied worlds (the connection reuses its own buffers). */
  previous: WorldState | undefined;
  latest: WorldState | undefined;
  latestAtMs = 0;
  snapshotIntervalMs = 33;
  /** Why the connection ended, for the HUD; undefined while open. */
  closedBecause: string | undefined;

  constructor(socket: SocketLike, name: string) {
    this.connection = new Connection(socket, {
      name,
      now: () => performance.now(),
      onWelcome: (welcome) => {
        this.welcome = welcome;
        this.snapshotIntervalMs = 1000 / welcome.snapshotRate;
      },
      onSnapshot: (_snapshot, world, nowMs) => {
        const spare = this.previous ?? new WorldState(world.capacity, world.maxId);
        this.previous = this.latest;
        spare.copyFrom(world);
        this.latest = spare;
        this.latestAtMs = nowMs;
      },
      onClose: (event) => {
        this.closedBecause = `${closeCodeName(event.code)} (${event.code})${event.reason ? `: ${event.reason}` : ''}`;
      },
      onProtocolError: (reason) => {
        this.closedBecause = `protocol error: ${reason}`;
      },
    });
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  /** 0 at the previous snapshot's arrival, 1 one snapshot interval later (the latest's). */
  alpha(nowMs: number): number {
    return (nowMs - this.latestAtMs) / this.snapshotIntervalMs;
  }
}
