// One churn-soak bot: joins through the matchmaker, plays, is dropped by the proxy, resumes, leaves
// with close 1000 and, after a pause, joins again as a new player; runs per timer and socket event
// for the soak's whole length. The lifecycle, written once:
//
//   idle ──pause over──► seating ──seat──► playing ──stay over──► (close 1000) ──► idle
//     ▲                     │ no seat        │ ▲ drop (reset)
//     └─────────────────────┘                ▼ │ resumed (NetClient reconnects on its backoff)
//                                        reconnecting ──4017 / refusal / closed──► idle
//
// stop() moves every bot to 'done': a playing one closes with 1000 at once, a reconnecting one
// first waits for its resume (a player left away would sit out the grace), a seating one leaves as
// soon as it has joined.

import { openWsSocket } from '../client/src/bot/wsSocket.js';
import { matchmake } from '../client/src/net/matchmake.js';
import { NetClient } from '../client/src/net/netClient.js';

/** Inputs every 33 ms, as the arena's bots. */
const INPUT_INTERVAL_MS = 33;

export type BotPhase = 'idle' | 'seating' | 'playing' | 'reconnecting' | 'done';

export interface ChurnSettings {
  /** The proxy's http URL, for POST /matchmake. */
  url: string;
  /**
   * The answer's wsUrl as reached through the proxy: one process answers a URL on the proxy (from the
   * Host header), a cluster member its own public URL, which would bypass the proxy.
   */
  via(wsUrl: string): string;
  /** Room size for joinOrCreate: bots spread over about bots / maxPlayers rooms. */
  maxPlayers: number;
  /** How long a bot plays before leaving, ms: uniform in [min, max]. */
  stayMs: [number, number];
  /** Pause between a leave and the next join, ms: uniform in [min, max]. */
  pauseMs: [number, number];
  random: () => number;
}

/** What every bot adds to the soak's totals. */
export interface ChurnTotals {
  joins: number;
  leaves: number;
  /** Matchmaker refusals, by error. */
  seatRefusals: Record<string, number>;
  resumes: number;
  /** Every resume's pause, from the drop to the resumed WELCOME, ms. */
  resumeMs: number[];
  resumeFailures: number;
  /** Closes nobody asked for and no resume followed, by close code. */
  lostCloses: Record<number, number>;
}

export function newTotals(): ChurnTotals {
  return { joins: 0, leaves: 0, seatRefusals: {}, resumes: 0, resumeMs: [], resumeFailures: 0, lostCloses: {} };
}

export class ChurnBot {
  phase: BotPhase = 'idle';
  private net: NetClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private joins = 0;

  constructor(
    private readonly index: number,
    private readonly settings: ChurnSettings,
    private readonly totals: ChurnTotals,
  ) {}

  start(): void {
    this.idle();
  }

  /** Leave for good (see the header); the bot is 'done' once its socket is closed. */
  stop(): void {
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.phase === 'idle') this.phase = 'done';
    else if (this.phase === 'playing') this.leave();
  }

  private idle(): void {
    this.net = undefined;
    if (this.stopping) {
      this.phase = 'done';
      return;
    }
    this.phase = 'idle';
    this.timer = setTimeout(() => void this.seat(), this.between(this.settings.pauseMs));
  }

  private async seat(): Promise<void> {
    this.phase = 'seating';
    const answer = await matchmake(this.settings.url, {
      mode: 'joinOrCreate',
      scenario: 'arena',
      maxPlayers: this.settings.maxPlayers,
    });
    if (!answer.ok) {
      this.totals.seatRefusals[answer.error] = (this.totals.seatRefusals[answer.error] ?? 0) + 1;
      return this.idle();
    }
    const wsUrl = this.settings.via(answer.wsUrl);
    const name = `soak${this.index}-${this.joins++}`;
    const net = new NetClient({
      socket: openWsSocket(wsUrl),
      name,
      seat: answer.seat,
      now: () => performance.now(),
      pace: false,
      predict: false,
      interpolate: false,
      decodeSnapshots: 'header',
      reconnect: {
        openSocket: () => openWsSocket(wsUrl),
        schedule: (fn, ms) => {
          const timer = setTimeout(fn, ms);
          return () => clearTimeout(timer);
        },
      },
      onWelcome: () => {
        // A resume's WELCOME comes here too; onResumed counts it.
        if (this.phase !== 'seating') return;
        this.totals.joins++;
        this.play();
      },
      onReconnecting: (status) => {
        if (status.attempts === 0) this.phase = 'reconnecting';
      },
      onResumed: (_welcome, pauseMs) => {
        this.totals.resumes++;
        this.totals.resumeMs.push(pauseMs);
        this.play();
      },
      onResumeFailed: () => {
        this.totals.resumeFailures++;
      },
      onClose: (event) => this.closed(event.code),
    });
    this.net = net;
  }

  /** Playing (after a join or a resume): inputs every 33 ms until the stay is over, or at once if stopping. */
  private play(): void {
    this.phase = 'playing';
    clearTimeout(this.timer);
    if (this.stopping) return this.leave();
    const leaveAt = performance.now() + this.between(this.settings.stayMs);
    const step = () => {
      if (this.phase !== 'playing') return;
      if (performance.now() >= leaveAt) return this.leave();
      const angle = this.settings.random() * 2 * Math.PI;
      this.net?.sendInput({ moveX: Math.cos(angle), moveY: Math.sin(angle) });
      this.timer = setTimeout(step, INPUT_INTERVAL_MS);
    };
    step();
  }

  private leave(): void {
    clearTimeout(this.timer);
    this.totals.leaves++;
    // Marked before the close so its onClose is the consented leave, not a loss.
    this.phase = 'idle';
    this.net?.close(1000, 'soak bot leaves');
  }

  private closed(code: number): void {
    clearTimeout(this.timer);
    // Not a leave of its own: a lost player (4017 SESSION_EXPIRED among them), counted; like a client
    // told "session expired", the bot then joins afresh as a new player.
    if (this.phase !== 'idle') this.totals.lostCloses[code] = (this.totals.lostCloses[code] ?? 0) + 1;
    this.idle();
  }

  private between([min, max]: [number, number]): number {
    return min + this.settings.random() * (max - min);
  }
}
