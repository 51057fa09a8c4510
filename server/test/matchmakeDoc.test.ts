// PROTOCOL.md drift test for matchmaking: its error table must be MATCHMAKE_ERRORS row for row, so an
// error code added, renamed or moved to another status without its doc fails here.
import { readFileSync } from 'node:fs';
import { MATCHMAKE_ERRORS, MAX_MATCHMAKE_BODY_BYTES } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';

const lines = readFileSync(new URL('../../PROTOCOL.md', import.meta.url), 'utf8').split('\n');

/** The rows of the first table after the line `heading`, as trimmed cells, header rows dropped. */
function tableAfter(heading: string): string[][] {
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`PROTOCOL.md has no line "${heading}"`);
  let i = start + 1;
  while (i < lines.length && !lines[i]!.startsWith('|')) {
    if (lines[i]!.startsWith('#')) throw new Error(`no table under "${heading}"`);
    i++;
  }
  const rows: string[][] = [];
  for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(
      lines[i]!.slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2);
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1');

describe('PROTOCOL.md Matchmaking', () => {
  it('lists every error of MATCHMAKE_ERRORS, and no other, in order, with its status and when it is sent', () => {
    const rows = tableAfter('### Matchmaking errors');
    expect(rows.map(([status, error]) => [unquote(error!), Number(unquote(status!))])).toEqual(
      Object.entries(MATCHMAKE_ERRORS),
    );
    for (const row of rows) expect(row[2], `when ${row[1]} is sent`).not.toBe('');
  });

  it('states the body cap of MAX_MATCHMAKE_BODY_BYTES', () => {
    expect(lines.join('\n')).toContain(`of at most ${MAX_MATCHMAKE_BODY_BYTES} bytes (\`MAX_MATCHMAKE_BODY_BYTES\`)`);
  });

  it('comes right before "Session states" and is in the Contents line', () => {
    const at = (heading: string) => lines.indexOf(heading);
    expect(at('## Matchmaking')).toBeGreaterThan(0);
    expect(at('## Matchmaking')).toBeLessThan(at('## Session states'));
    expect(lines.join('\n')).toContain('[Matchmaking](#matchmaking)');
  });
});
