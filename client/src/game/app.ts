// What the scenes share for one page: the URL's options and the current session. join() runs once
// per join (from the join screen, or at boot with ?name=), leave() once per return to it.
import type { LinkOptions } from '../net/networkSimulator.js';
import { realTimeScheduler, SimulatedSocket } from '../net/networkSimulator.js';
import { GameSession } from './gameSession.js';

export class GameApp {
  /** The session of the current (or last) join; undefined before the first. */
  session: GameSession | undefined;
  /** The name last joined with, to prefill the join form. */
  lastName: string;
  /** Join at boot without the join screen (a ?name= link); cleared after the first join. */
  autoJoin: boolean;

  /**
   * @param link a simulated link under the socket (?latency= and friends), or undefined for none.
   * @param name the ?name= parameter, undefined when absent.
   */
  constructor(
    private readonly link: LinkOptions | undefined,
    name: string | undefined,
  ) {
    this.lastName = name ?? '';
    this.autoJoin = name !== undefined;
  }

  /** Connect to the server that served this page (same host, path /ws) and join as `name`. */
  join(name: string): GameSession {
    this.leave();
    this.lastName = name;
    this.autoJoin = false;
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    this.session = new GameSession(
      this.link === undefined ? socket : new SimulatedSocket(socket, this.link, realTimeScheduler()),
      name,
    );
    return this.session;
  }

  /** Close the current connection (normal closure); the session stays readable until the next join. */
  leave(): void {
    this.session?.net.connection.close(1000, 'left');
  }
}
