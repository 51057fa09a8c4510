// Where results go and how they are written: JSON beside its HTML report. Once per run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** 2026-11-22T02:06:07Z → "20261122-020607" (UTC): sorts by time; .gitignore matches it. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** The path without extension: `--out` as given (less a .json suffix), or results/<name>-<timestamp>. */
export function outputStem(out: string | undefined, name: string, date: Date): string {
  if (out !== undefined) return resolve(out.replace(/\.json$/, ''));
  return `${RESULTS_DIR}${name}-${timestamp(date)}`;
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Indented JSON, with short arrays of numbers (histogram buckets) kept on one line. */
export function writeJson(path: string, value: unknown): void {
  const text = JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.e+-]+),\s+(-?[\d.e+-]+)\s+\]/g, '[$1, $2]');
  writeText(path, `${text}\n`);
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
