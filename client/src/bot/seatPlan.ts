// Which POST /matchmake request each bot makes, from the CLI's mode flags: a pure function of the
// bot's index, called once per bot as it starts joining.
import type { MatchmakeBody } from '@tickwire/protocol';
import type { BotArgs } from './args.js';

/** The bots' joining mode; exclusive, one per run (args.ts: --room-size, --room, or neither). */
export type SeatPlan =
  | { mode: 'joinOrCreate'; scenario: string }
  | { mode: 'roomSize'; scenario: string; roomSize: number; viewRadius?: number }
  | { mode: 'room'; roomId: string };

/**
 * Bot i's request: a body to send now, or a join of the room that bot `creator` made (its body is
 * known only once that create has answered). Groups of roomSize are consecutive indexes, so a
 * group's creator is always the first of it to start joining.
 */
export type SeatRequest = { kind: 'send'; body: MatchmakeBody } | { kind: 'joinCreated'; creator: number };

export function seatRequestFor(plan: SeatPlan, botIndex: number): SeatRequest {
  switch (plan.mode) {
    case 'joinOrCreate':
      return { kind: 'send', body: { mode: 'joinOrCreate', scenario: plan.scenario } };
    case 'room':
      return { kind: 'send', body: { mode: 'join', roomId: plan.roomId } };
    case 'roomSize': {
      const creator = botIndex - (botIndex % plan.roomSize);
      if (creator === botIndex) {
        const body: MatchmakeBody = { mode: 'create', scenario: plan.scenario, maxPlayers: plan.roomSize };
        if (plan.viewRadius !== undefined) body.viewRadius = plan.viewRadius;
        return { kind: 'send', body };
      }
      return { kind: 'joinCreated', creator };
    }
  }
}

/** The plan the CLI's flags ask for. */
export function seatPlanOf(
  args: Pick<BotArgs, 'scenario' | 'roomSize' | 'room'> & Partial<Pick<BotArgs, 'viewRadius'>>,
): SeatPlan {
  if (args.room !== undefined) return { mode: 'room', roomId: args.room };
  if (args.roomSize !== undefined) {
    const plan: SeatPlan = { mode: 'roomSize', scenario: args.scenario, roomSize: args.roomSize };
    return args.viewRadius === undefined ? plan : { ...plan, viewRadius: args.viewRadius };
  }
  return { mode: 'joinOrCreate', scenario: args.scenario };
}
