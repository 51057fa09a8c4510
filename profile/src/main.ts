// The profiler's entry point (`npm run profile -- …`): a run, a compare or a capacity search.
// Runs once per process; see args.ts for the flags.
import { machine } from '../../bench/support.js';
import { parseArgs, USAGE } from './args.js';
import { findCapacity, formatCapacity } from './capacityRun.js';
import { asProfileResult, compareResults, formatComparison } from './compare.js';
import { outputStem, readJson, writeJson, writeText } from './output.js';
import { renderReport } from './report/html.js';
import { RunFailed, runOptionsOf, runProfile } from './run.js';
import { formatSummaryTable } from './summaryTable.js';

const parsed = parseArgs(process.argv.slice(2));
const command = `npm run profile -- ${process.argv.slice(2).join(' ')}`.trim();
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

switch (parsed.kind) {
  case 'help':
    out(USAGE);
    break;
  case 'error':
    err(`profile: ${parsed.message}\nRun with --help for the flags.`);
    process.exitCode = 2;
    break;
  case 'compare': {
    const before = asProfileResult(readJson(parsed.before), parsed.before);
    const after = asProfileResult(readJson(parsed.after), parsed.after);
    out(formatComparison(compareResults(before, after), parsed.before, parsed.after));
    break;
  }
  case 'run': {
    const a = parsed.args;
    err(
      `profile: ${a.scenario}, ${a.bots} bots${a.rooms === undefined ? '' : ` in ${a.rooms} rooms of ${a.roomSize}`}, ${a.tickRate} Hz, warm-up ${a.warmup} s, window ${a.seconds} s on ${machine()}`,
    );
    try {
      const result = await runProfile(runOptionsOf(a, a.bots, command, err));
      const shape = a.rooms === undefined ? `${a.bots}` : `rooms${a.rooms}x${a.roomSize}`;
      const stem = outputStem(a.out, `${a.scenario}-${shape}-${a.tickRate}hz`, new Date(result.createdAt));
      writeJson(`${stem}.json`, result);
      writeText(`${stem}.html`, renderReport(result));
      out(formatSummaryTable(result));
      out('');
      out(`result: ${stem}.json`);
      out(`report: ${stem}.html`);
    } catch (error) {
      if (!(error instanceof RunFailed)) throw error;
      err(`profile: the run failed: ${error.message}`);
      process.exitCode = 1;
    }
    break;
  }
  case 'capacity': {
    const a = parsed.args;
    err(`profile: capacity search, ${a.scenario} at ${a.tickRate} Hz, ${a.seconds} s per step on ${machine()}`);
    const result = await findCapacity(a, command, err, err);
    const stem = outputStem(a.out, `capacity-${a.scenario}-${a.tickRate}hz`, new Date(result.createdAt));
    writeJson(`${stem}.json`, result);
    out(formatCapacity(result));
    out('');
    out(`result: ${stem}.json`);
    break;
  }
}
