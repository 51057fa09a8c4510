// README.md's configuration table must match the settings table in config.ts, row for row.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isUnset, SETTINGS } from '../src/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
// Only the Configuration section: other tables (the bots' flags) have `--flag` rows too.
const configuration = readme.slice(readme.indexOf('\n## Configuration'), readme.indexOf('\n## Observing'));
const rows = configuration
  .split('\n')
  .filter((line) => line.startsWith('| `--'))
  .map((line) => line.split('|').map((cell) => cell.trim()));

describe('README configuration table', () => {
  it('lists every setting once, in the order of config.ts', () => {
    expect(rows.map((row) => row[1])).toEqual(SETTINGS.map((s) => `\`${s.flag}\``));
  });
  it.each(SETTINGS.map((s) => [s.flag, s] as const))(
    'states the environment variable, default and meaning of %s',
    (_flag, setting) => {
      const row = rows.find((r) => r[1] === `\`${setting.flag}\``)!;
      expect(row[2]).toBe(`\`${setting.env}\``);
      const shown = isUnset(setting.defaultValue)
        ? '(none)'
        : setting.key === 'staticDir'
          ? 'client/dist'
          : String(setting.defaultValue);
      expect(row[3]).toBe(shown);
      expect(row[4]).toBe(setting.doc);
    },
  );
});
