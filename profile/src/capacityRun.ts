// `npm run profile -- --find-capacity`: one short profile run per step, bot counts chosen by
// capacity.ts, until a step fails, the bots saturate, or the step or time limit is reached.
import type { CapacityArgs } from './args.js';
import {
  type CapacityConclusion,
  type CapacityPlan,
  conclude,
  DEFAULT_PLAN,
  failedStep,
  judgeStep,
  nextBotCount,
  type StepVerdict,
} from './capacity.js';
import type { ProfileResult } from './result.js';
import { RunFailed, runOptionsOf, runProfile } from './run.js';
import { num, textTable } from './textTable.js';

export interface CapacityResult {
  schema: 1;
  kind: 'capacity';
  createdAt: string;
  command: string;
  scenario: string;
  tickRate: number;
  plan: CapacityPlan;
  steps: { verdict: StepVerdict; result: ProfileResult | null }[];
  conclusion: CapacityConclusion;
}

/** Seconds a step takes beyond its warm-up and window (server start, joins, stopping). @default 15 s */
const STEP_OVERHEAD_SECONDS = 15;

export async function findCapacity(
  a: CapacityArgs,
  command: string,
  log: (line: string) => void,
  progress: (line: string) => void,
): Promise<CapacityResult> {
  const plan: CapacityPlan = { ...DEFAULT_PLAN, maxSteps: a.maxSteps, maxBots: a.maxBots };
  const budgetMs = 1000 / a.tickRate;
  const deadline = performance.now() + a.maxMinutes * 60_000;
  const steps: CapacityResult['steps'] = [];
  let stoppedBy: 'time' | undefined;
  for (;;) {
    const bots = nextBotCount(
      plan,
      steps.map((s) => s.verdict),
    );
    if (bots === null) break;
    const stepSeconds = a.warmup + a.seconds + STEP_OVERHEAD_SECONDS + bots / 50; // joins: ~50 a second
    if (performance.now() + stepSeconds * 1000 > deadline) {
      stoppedBy = 'time';
      break;
    }
    log(`step ${steps.length + 1}: ${bots} bots`);
    let result: ProfileResult | null = null;
    let verdict: StepVerdict;
    try {
      result = await runProfile(runOptionsOf(a, bots, command, progress));
      verdict = judgeStep(result);
    } catch (error) {
      if (!(error instanceof RunFailed)) throw error;
      verdict = failedStep(bots, budgetMs, error.message);
    }
    steps.push({ verdict, result });
    log(stepLine(verdict));
  }
  const conclusion = conclude(
    plan,
    steps.map((s) => s.verdict),
    stoppedBy,
  );
  return {
    schema: 1,
    kind: 'capacity',
    createdAt: new Date().toISOString(),
    command,
    scenario: a.scenario,
    tickRate: a.tickRate,
    plan,
    steps,
    conclusion,
  };
}

function stepLine(v: StepVerdict): string {
  const verdict = v.held ? 'held' : `failed: ${v.reasons.join('; ')}`;
  return `  ${v.bots} bots: ${verdict}${v.botsSaturated ? `; bots saturated (${v.saturation})` : ''}`;
}

export function formatCapacity(r: CapacityResult): string {
  const rows = [
    ['bots', 'tick p99 ms', 'tick max ms', 'server CPU s/s', 'bots CPU s/s', 'other CPU s/s', 'disconnects', 'verdict'],
    ...r.steps.map(({ verdict: v }) => [
      String(v.bots),
      num(v.tickP99Ms, 3),
      num(v.tickMaxMs, 3),
      num(v.serverCpu, 3),
      num(v.botsCpu, 3),
      num(v.otherCpu, 2),
      num(v.disconnects),
      `${v.held ? 'held' : 'failed'}${v.botsSaturated ? ', bots saturated' : ''}`,
    ]),
  ];
  return [
    `capacity search: ${r.scenario} at ${r.tickRate} Hz, budget ${num(1000 / r.tickRate, 2)} ms per tick`,
    '',
    textTable(rows, ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'left']),
    '',
    r.conclusion.sentence,
  ].join('\n');
}
