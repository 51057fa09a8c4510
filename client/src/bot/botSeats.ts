// Gets each bot its seat: one POST /matchmake per bot as it starts joining (seatPlan.ts says which
// request), timed on the clock passed in. Joins of a created room wait for their creator's answer.
import { type MatchmakeOutcome, matchmake } from '../net/matchmake.js';
import { type SeatPlan, seatRequestFor } from './seatPlan.js';
import type { BotStats } from './stats.js';

/** A call not answered in this long fails as 'network' (the bot is then counted as never joined). @default 10 000 ms */
export const MATCHMAKE_TIMEOUT_MS = 10_000;

type Fetch = typeof globalThis.fetch;

export interface BotSeatsOptions {
  /** The server's http(s) base URL. */
  httpUrl: string;
  plan: SeatPlan;
  /** The clock the calls are timed on, in ms. */
  now(): number;
  /** Receives every call's duration and outcome. */
  stats: BotStats;
  /** @default globalThis.fetch, each call aborted after MATCHMAKE_TIMEOUT_MS */
  fetch?: Fetch;
}

export class BotSeats {
  /** Each creator's answer, by bot index: its group's joins read the room id from it. */
  private readonly created = new Map<number, Promise<MatchmakeOutcome>>();
  private readonly fetch: Fetch;

  constructor(private readonly options: BotSeatsOptions) {
    this.fetch =
      options.fetch ??
      ((input, init) => globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(MATCHMAKE_TIMEOUT_MS) }));
  }

  /** Bot i's seat; call in index order (the driver starts joins in that order), once per bot. */
  seat(botIndex: number): Promise<MatchmakeOutcome> {
    const request = seatRequestFor(this.options.plan, botIndex);
    if (request.kind === 'send') {
      const answer = this.call(request.body);
      if (request.body.mode === 'create') this.created.set(botIndex, answer);
      return answer;
    }
    const creatorAnswer = this.created.get(request.creator);
    if (creatorAnswer === undefined)
      throw new Error(`bot ${botIndex} asked for a seat before its creator, bot ${request.creator}`);
    return creatorAnswer.then((created) => {
      // No room to join: the bot fails with its creator's error, and no call of its own is timed.
      if (!created.ok) {
        const message = `bot ${request.creator}'s create failed: ${created.message}`;
        return { ok: false, status: created.status, error: created.error, message };
      }
      return this.call({ mode: 'join', roomId: created.roomId });
    });
  }

  private async call(body: Parameters<typeof matchmake>[1]): Promise<MatchmakeOutcome> {
    const startMs = this.options.now();
    const outcome = await matchmake(this.options.httpUrl, body, this.fetch);
    this.options.stats.recordMatchmake(this.options.now() - startMs, outcome.ok);
    return outcome;
  }
}
