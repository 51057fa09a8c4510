// The browser's netcode client (connection, prediction, clock sync, interpolation, pacing) and
// what the HUD and net graph show. Created once per page; its handlers run per received frame.
import { closeCodeName, type WelcomeMessage } from '@tickwire/protocol';
import type { ConnectionState } from '../net/connection.js';
import { NetClient } from '../net/netClient.js';
import { NetStats } from '../net/netStats.js';
import type { SocketLike } from '../net/socketLike.js';

export class GameSession {
  readonly net: NetClient;
  readonly traffic = new NetStats();
  welcome: WelcomeMessage | undefined;
  /** Why the connection ended, for the HUD; undefined while open. */
  closedBecause: string | undefined;

  constructor(socket: SocketLike, name: string) {
    this.net = new NetClient({
      socket,
      name,
      now: () => performance.now(),
      onWelcome: (welcome) => {
        this.welcome = welcome;
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
    return this.net.connection.state;
  }

  /** The tick of the newest snapshot applied, 0 before the first. */
  get tick(): number {
    return this.net.connection.latestSnapshot?.tick ?? 0;
  }

  /** Players in the newest snapshot. */
  get playerCount(): number {
    return this.net.connection.world.count;
  }
}
