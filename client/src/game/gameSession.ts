// One join of the browser game: the netcode client (connection, prediction, clock sync,
// interpolation, pacing) on the socket of the room the matchmaker seated it in, and what the scenes
// show from it (roster, chat, kill feed, shots, why it closed). Created once per join; its handlers
// run per received frame.
import { closeCodeName, MAX_CHAT_LENGTH, type ShotEvent, type WelcomeMessage } from '@tickwire/protocol';
import type { ConnectionState } from '../net/connection.js';
import { NetClient, type ReconnectOptions } from '../net/netClient.js';
import { NetStats } from '../net/netStats.js';
import type { SocketLike } from '../net/socketLike.js';
import { type DisconnectMessage, disconnectMessage } from './model/closeMessage.js';
import { chatLine, killLine } from './model/feeds.js';
import type { Roster } from './model/roster.js';
import { cleanText } from './model/text.js';
import { TickQueue } from './model/tickQueue.js';
import { TimedLines } from './model/timedLines.js';

/** Kill feed lines kept and how long each shows. @default 5 lines, 6000 ms */
const KILL_FEED_LINES = 5;
const KILL_FEED_MS = 6000;
/** Chat lines kept and how long each shows while the chat field is closed. @default 8 lines, 15 000 ms */
const CHAT_LINES = 8;
const CHAT_MS = 15_000;

export class GameSession {
  readonly net: NetClient;
  readonly traffic = new NetStats();
  welcome: WelcomeMessage | undefined;
  /** Why the connection ended, for logs and tests; undefined while open. */
  closedBecause: string | undefined;
  /** What the join screen says about why it ended; undefined while open. */
  disconnect: DisconnectMessage | undefined;
  readonly killFeed = new TimedLines(KILL_FEED_LINES, KILL_FEED_MS);
  readonly chat = new TimedLines(CHAT_LINES, CHAT_MS);
  /** Others' shots, held until the render clock reaches their tick (others are drawn in the past). */
  readonly shots = new TickQueue<ShotEvent>();
  /** This player's own shots, drawn as soon as they arrive (it is drawn in the present). */
  readonly ownShots = new TickQueue<ShotEvent>();
  /** Kill feed lines (named on arrival), held like others' shots so a kill shows when the victim falls. */
  readonly kills = new TickQueue<{ tick: number; text: string }>();
  /** Changes whenever the roster changes (a whole PLAYERS list or a ROSTER_CHANGES), so the scoreboard knows to rebuild. */
  rosterVersion = 0;
  /** Drops this session came back from, and the last one's pause (ms), for tests and the net graph. */
  resumes = 0;
  lastResumeMs = 0;
  private protocolError: string | undefined;

  /**
   * @param seat the seat POST /matchmake issued for the room `socket` is open to (sent in HELLO).
   * @param onClosed called once when the connection ends, after `disconnect` is set.
   */
  constructor(
    socket: SocketLike,
    readonly name: string,
    seat: string,
    onClosed: () => void = () => {},
    resume: {
      /** Reconnect after a drop (a new socket to the same wsUrl, timers). */
      reconnect?: ReconnectOptions;
      /** Join with this token instead of the seat (a reloaded page within the grace). */
      token?: string;
      /** Each WELCOME's new token (to keep in sessionStorage). */
      onToken?: (token: string, graceMs: number) => void;
    } = {},
  ) {
    this.net = new NetClient({
      socket,
      name,
      seat,
      ...(resume.reconnect === undefined ? {} : { reconnect: resume.reconnect }),
      ...(resume.token === undefined ? {} : { resumeToken: resume.token }),
      onResumeToken: (token, graceMs) => resume.onToken?.(token, graceMs),
      onResumed: (_welcome, pauseMs, nowMs) => {
        this.resumes++;
        this.lastResumeMs = pauseMs;
        this.chat.add(`(reconnected after ${(pauseMs / 1000).toFixed(1)} s)`, nowMs);
      },
      now: () => performance.now(),
      onWelcome: (welcome) => {
        this.welcome = welcome;
      },
      onClose: (event) => {
        this.closedBecause =
          this.protocolError ??
          `${closeCodeName(event.code)} (${event.code})${event.reason ? `: ${event.reason}` : ''}`;
        this.disconnect = disconnectMessage(event.code, this.protocolError ?? event.reason);
        onClosed();
      },
      onProtocolError: (reason) => {
        this.protocolError = `protocol error: ${reason}`;
      },
      onPlayers: () => {
        this.rosterVersion++;
      },
      onChat: (chat) => {
        this.chat.add(chatLine(this.roster, chat.fromId, chat.text, MAX_CHAT_LENGTH), performance.now());
      },
      onKill: (kill) => {
        this.kills.push({ tick: kill.tick, text: killLine(this.roster, kill.killerId, kill.victimId, kill.weapon) });
      },
      onShot: (shot) => {
        if (shot.shooterId === this.net.playerId) this.ownShots.push(shot);
        else this.shots.push(shot);
      },
    });
  }

  get state(): ConnectionState {
    return this.net.connection.state;
  }

  /** "Reconnecting… (3s)" while the link is being brought back, undefined otherwise. */
  reconnectBanner(nowMs: number): string | undefined {
    const status = this.net.reconnectStatus(nowMs);
    if (status === undefined) return undefined;
    return `Reconnecting… (${Math.floor(status.elapsedMs / 1000)}s)`;
  }

  /** Names and scores: the PLAYERS list with every ROSTER_CHANGES since applied. */
  get roster(): Roster {
    return this.net.players;
  }

  /** The tick of the newest snapshot applied, 0 before the first. */
  get tick(): number {
    return this.net.connection.latestSnapshot?.tick ?? 0;
  }

  /** Entities in the newest snapshot. */
  get playerCount(): number {
    return this.net.connection.world.count;
  }

  /** This player's health in the newest snapshot, undefined before its first. */
  get hp(): number | undefined {
    return this.net.connection.world.entity(this.net.playerId)?.hp;
  }

  /** Send a chat line (the server caps and rate-limits it too). */
  say(text: string): void {
    const clean = cleanText(text, MAX_CHAT_LENGTH);
    if (clean.length > 0) this.net.sendChat(clean);
  }
}
