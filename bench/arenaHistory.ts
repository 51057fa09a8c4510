// Records an arena-N history for encoder benches: N players driven by the scenario's bot
// schedules through the shared step(), one input per tick. Runs once per bench invocation.
import {
  ARENA_HP,
  ARENA_RULES,
  ArenaSchedule,
  ArenaSpawner,
  FIELD_COUNT,
  FieldIndex,
  step,
  toPositionQ,
  WorldState,
} from '@tickwire/protocol';

export interface RecordedHistory {
  tickRate: number;
  players: number;
  /** One world state per tick, oldest first. */
  states: WorldState[];
}

export function recordArenaHistory(players: number, ticks: number, tickRate = 30): RecordedHistory {
  const spawner = new ArenaSpawner(1);
  const schedules = Array.from({ length: players }, (_, i) => new ArenaSchedule(i));
  const bodies = Array.from({ length: players }, () => {
    const spawn = spawner.next();
    return { x: toPositionQ(spawn.x), y: toPositionQ(spawn.y), vx: 0, vy: 0, angle: 0 };
  });
  const states: WorldState[] = [];
  for (let tick = 1; tick <= ticks; tick++) {
    const state = new WorldState(players, players + 1);
    state.reset(tick);
    for (let i = 0; i < players; i++) {
      const [moveX, moveY] = schedules[i]!.directionAt((tick * 1000) / tickRate);
      bodies[i] = step(bodies[i]!, { moveX, moveY }, 1 / tickRate, ARENA_RULES);
      const row = state.add(i + 1, 1);
      const at = row * FIELD_COUNT;
      const body = bodies[i]!;
      state.values[at + FieldIndex.vx] = body.vx;
      state.values[at + FieldIndex.vy] = body.vy;
      state.values[at + FieldIndex.x] = body.x;
      state.values[at + FieldIndex.y] = body.y;
      state.values[at + FieldIndex.angle] = body.angle;
      state.values[at + FieldIndex.hp] = ARENA_HP;
    }
    states.push(state);
  }
  return { tickRate, players, states };
}
