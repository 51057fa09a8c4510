// `npm run profile -- --compare before.json after.json`: every figure of two results side by side
// with its ratio (after ÷ before), and which changed enough to notice. Runs once per invocation.
import { type Figure, figuresOf } from './figures.js';
import { type ProfileResult, RESULT_SCHEMA } from './result.js';
import { num, textTable } from './textTable.js';

/** A ratio this far from 1 (either way) counts as a change. @default 0.05 (5 %) */
export const NOTICE_RATIO = 0.05;

export type Change = 'better' | 'worse' | 'changed' | 'same' | 'missing';

export interface CompareRow {
  key: string;
  label: string;
  unit: string;
  digits: number;
  before: number | null;
  after: number | null;
  /** after ÷ before; 1 when both are 0; null when one is missing or before is 0 and after is not. */
  ratio: number | null;
  change: Change;
}

export interface Comparison {
  rows: CompareRow[];
  /** Settings that differ between the two runs: such figures are not like for like. */
  differences: string[];
}

export function compareResults(before: ProfileResult, after: ProfileResult): Comparison {
  const a = new Map(figuresOf(before).map((f) => [f.key, f]));
  const b = new Map(figuresOf(after).map((f) => [f.key, f]));
  const keys = [...a.keys(), ...[...b.keys()].filter((key) => !a.has(key))];
  const rows = keys.map((key) => row(a.get(key), b.get(key)));
  return { rows, differences: settingDifferences(before, after) };
}

function row(x: Figure | undefined, y: Figure | undefined): CompareRow {
  const spec = (x ?? y)!;
  const before = x?.value ?? null;
  const after = y?.value ?? null;
  let ratio: number | null = null;
  if (before !== null && after !== null) {
    if (before === 0) ratio = after === 0 ? 1 : null;
    else ratio = after / before;
  }
  return {
    key: spec.key,
    label: spec.label,
    unit: spec.unit,
    digits: spec.digits,
    before,
    after,
    ratio,
    change: changeOf(spec.lowerIsBetter, before, after, ratio),
  };
}

function changeOf(
  lowerIsBetter: boolean | null,
  before: number | null,
  after: number | null,
  ratio: number | null,
): Change {
  if (before === null || after === null) return 'missing';
  if (ratio !== null && Math.abs(ratio - 1) < NOTICE_RATIO) return 'same';
  if (lowerIsBetter === null) return 'changed';
  return after < before === lowerIsBetter ? 'better' : 'worse';
}

function settingDifferences(before: ProfileResult, after: ProfileResult): string[] {
  const differences: string[] = [];
  for (const key of Object.keys(before.settings) as (keyof ProfileResult['settings'])[]) {
    if (before.settings[key] !== after.settings[key]) {
      differences.push(`${key}: ${String(before.settings[key])} → ${String(after.settings[key])}`);
    }
  }
  if (before.machine !== after.machine) differences.push(`machine: ${before.machine} → ${after.machine}`);
  return differences;
}

/** Refuses a file that is not a profile result of this schema (a capacity result, say). */
export function asProfileResult(value: unknown, name: string): ProfileResult {
  const r = value as Partial<ProfileResult> | null;
  if (r === null || typeof r !== 'object' || r.kind !== 'profile') {
    throw new Error(`${name} is not a profile result (kind ${JSON.stringify(r?.kind)})`);
  }
  if (r.schema !== RESULT_SCHEMA)
    throw new Error(`${name} has schema ${r.schema}; this profiler reads ${RESULT_SCHEMA}`);
  return r as ProfileResult;
}

export function formatComparison(c: Comparison, beforeName: string, afterName: string): string {
  const lines = [`before: ${beforeName}`, `after:  ${afterName}`];
  if (c.differences.length > 0) {
    lines.push(`NOT LIKE FOR LIKE, the runs differ in: ${c.differences.join('; ')}`);
  }
  lines.push('');
  const cells = c.rows.map((r) => [
    r.label,
    r.unit,
    num(r.before, r.digits),
    num(r.after, r.digits),
    ratioText(r),
    r.change === 'same' ? '' : r.change,
  ]);
  lines.push(textTable([['figure', 'unit', 'before', 'after', 'ratio', ''], ...cells], ['left', 'left']));
  const counts = (change: Change) => c.rows.filter((r) => r.change === change).length;
  lines.push('');
  lines.push(
    `${counts('better')} better, ${counts('worse')} worse, ${counts('changed')} changed, ` +
      `${counts('same')} within ${NOTICE_RATIO * 100} %, ${counts('missing')} missing in one of the two`,
  );
  return lines.join('\n');
}

function ratioText(r: CompareRow): string {
  if (r.before === null) return 'not in before';
  if (r.after === null) return 'not in after';
  if (r.ratio === null) return 'was 0';
  return `×${r.ratio.toFixed(r.ratio >= 10 ? 1 : 3)}`;
}
