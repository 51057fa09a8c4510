// One bot of the drain-with-moves bench (bench/drain-moves.ts): joins with a seat, walks at random
// every 33 ms until told to stand, and when its process drains follows its room (4019 MOVED, locate,
// resume) with the shared NetClient exactly as the bot CLI does; records the pause it saw and asks
// for the server's state (DEBUG_STATE) on demand. One per player; its callbacks run per socket event.
import type { DebugState, EntityTuple, MatchmakeBody, RosterPlayer, WelcomeMessage } from '@tickwire/protocol';
import { openWsSocket } from '../client/src/bot/wsSocket.js';
import { type MatchmakeOutcome, matchmake } from '../client/src/net/matchmake.js';
import { NetClient } from '../client/src/net/netClient.js';

/** Inputs every 33 ms, as the arena's bots. */
const INPUT_INTERVAL_MS = 33;
/** How long a DEBUG_STATE answer may take before the ask fails. @default 5000 ms */
const DEBUG_STATE_TIMEOUT_MS = 5000;

export interface MoveBotOptions {
  name: string;
  seat: string;
  wsUrl: string;
  /** Where a token's room is now: the bench asks the cluster's matchmakers (see drain-moves.ts). */
  locate(resumeToken: string): Promise<string | undefined>;
  random: () => number;
}

export class MoveBot {
  readonly net: NetClient;
  welcome: WelcomeMessage | undefined;
  /** The close that started each reconnect (4019 for a move). */
  readonly dropCodes: number[] = [];
  /** Each resume's pause, drop to resumed WELCOME, ms. */
  readonly pausesMs: number[] = [];
  /**
   * What each move looked like to the player: the last snapshot before the drop to the first after
   * the resume, ms (the room stops sending when its source pauses it, before the 4019 close).
   */
  readonly snapshotGapsMs: number[] = [];
  /** The resumed WELCOMEs' player ids. */
  readonly resumedAs: number[] = [];
  resumeFailures = 0;
  /** A close no resume followed (and not our own leave). */
  lostCode: number | undefined;
  /** The room's socket address now (the seat's, then the one located after a move). */
  wsUrl: string;
  private walking: NodeJS.Timeout | undefined;
  private leaving = false;
  private readonly welcomed: Promise<WelcomeMessage>;
  private lastSnapshotMs = 0;
  /** The last snapshot's time before the drop being resumed from, until the first after it. */
  private gapFromMs: number | undefined;
  private pendingState: ((state: DebugState) => void) | undefined;

  constructor(private readonly options: MoveBotOptions) {
    this.wsUrl = options.wsUrl;
    let welcomed!: (welcome: WelcomeMessage) => void;
    let refused!: (error: Error) => void;
    this.welcomed = new Promise((resolve, reject) => {
      welcomed = resolve;
      refused = reject;
    });
    this.net = new NetClient({
      socket: openWsSocket(options.wsUrl),
      name: options.name,
      seat: options.seat,
      now: () => performance.now(),
      pace: false,
      predict: false,
      interpolate: false,
      decodeSnapshots: 'header',
      reconnect: {
        openSocket: (movedTo) => {
          if (movedTo !== undefined) this.wsUrl = movedTo;
          return openWsSocket(this.wsUrl);
        },
        locate: options.locate,
        schedule: (fn, ms) => {
          const timer = setTimeout(fn, ms);
          return () => clearTimeout(timer);
        },
      },
      onWelcome: (welcome) => {
        this.welcome ??= welcome;
        welcomed(welcome);
      },
      onReconnecting: (status) => {
        if (status.attempts !== 0) return;
        this.dropCodes.push(status.code);
        this.gapFromMs = this.lastSnapshotMs;
      },
      onSnapshotHeader: (_tick, nowMs) => {
        this.lastSnapshotMs = nowMs;
        if (this.gapFromMs !== undefined && this.net.link === 'playing') {
          this.snapshotGapsMs.push(nowMs - this.gapFromMs);
          this.gapFromMs = undefined;
        }
      },
      onResumed: (welcome, pauseMs) => {
        this.pausesMs.push(pauseMs);
        this.resumedAs.push(welcome.playerId);
      },
      onResumeFailed: () => {
        this.resumeFailures++;
      },
      onDebugState: (state) => {
        const answer = this.pendingState;
        this.pendingState = undefined;
        answer?.(state);
      },
      onClose: (event) => {
        this.stopWalking();
        if (!this.leaving) this.lostCode = event.code;
        refused(new Error(`${options.name} closed before WELCOME (${event.code} ${event.reason})`));
      },
    });
  }

  /** Resolves at the first WELCOME; rejects when the socket closed first. */
  joined(): Promise<WelcomeMessage> {
    return this.welcomed;
  }

  get playerId(): number {
    return this.welcome?.playerId ?? 0;
  }

  /** Walk a new random direction every input until stand(). */
  walk(): void {
    const step = () => {
      const angle = this.options.random() * 2 * Math.PI;
      this.net.sendInput({ moveX: Math.cos(angle), moveY: Math.sin(angle) });
      this.walking = setTimeout(step, INPUT_INTERVAL_MS);
    };
    step();
  }

  /** Stop walking and send one standing input, so the entity comes to rest and stays there. */
  stand(): void {
    this.stopWalking();
    this.net.sendInput({ moveX: 0, moveY: 0 });
  }

  /** This player's own row of the roster as this client holds it. */
  rosterEntry(): RosterPlayer | undefined {
    const entry = this.net.players.get(this.playerId);
    return entry === undefined ? undefined : { ...entry };
  }

  /** The server's state of the room (every entity), asked on this bot's live connection. */
  serverState(): Promise<Map<number, EntityTuple>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.name}: no DEBUG_STATE`)), DEBUG_STATE_TIMEOUT_MS);
      this.pendingState = (state) => {
        clearTimeout(timer);
        resolve(new Map(state.entities.map((entity) => [entity.id, entity])));
      };
      this.net.connection.requestDebugState();
    });
  }

  /** Leave with close 1000 (a consented leave: the player is removed at once). */
  leave(): void {
    this.leaving = true;
    this.stopWalking();
    this.net.close(1000, 'bench over');
  }

  private stopWalking(): void {
    clearTimeout(this.walking);
    this.walking = undefined;
  }
}

/** POST /matchmake on `url`, failing loudly: the bench cannot run without every seat. */
export async function seatOrThrow(url: string, body: MatchmakeBody): Promise<MatchmakeOutcome & { ok: true }> {
  const answer = await matchmake(url, body);
  if (!answer.ok) throw new Error(`matchmake ${JSON.stringify(body)}: ${answer.error} ${answer.message}`);
  return answer;
}
