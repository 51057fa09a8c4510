// PROTOCOL.md drift test for matchmaking and the lobby: the error table must be MATCHMAKE_ERRORS row
// for row, and the limits the text states must be the code's, so a change without its doc fails here.
import { readFileSync } from 'node:fs';
import { MATCHMAKE_ERRORS, MAX_MATCHMAKE_BODY_BYTES } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import {
  LOBBY_HEARTBEAT_MS,
  LOBBY_MAX_FRAME_BYTES,
  LOBBY_MAX_FRAMES_PER_SECOND,
  MAX_LOBBY_VIEWERS,
} from '../src/lobby/lobbySocket.js';
import { LOBBY_MIN_INTERVAL_MS } from '../src/rooms/lobbyFeed.js';

const doc = readFileSync(new URL('../../PROTOCOL.md', import.meta.url), 'utf8');
const lines = doc.split('\n');
/** The text with every run of whitespace as one space, for sentences that wrap. */
const prose = doc.replace(/\s+/g, ' ');

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

  it("states --matchmake-rate's default of config.ts", () => {
    expect(prose).toContain(
      `Each client address may make ${defaultConfig().matchmakeRate} calls a minute _(default, \`--matchmake-rate\`)_`,
    );
  });

  it('states the body cap of MAX_MATCHMAKE_BODY_BYTES', () => {
    expect(prose).toContain(`of at most ${MAX_MATCHMAKE_BODY_BYTES} bytes (\`MAX_MATCHMAKE_BODY_BYTES\`)`);
  });
});

describe('PROTOCOL.md Lobby', () => {
  it("states the lobby's pace, frame rules, viewer cap and heartbeat as lobbyFeed.ts and lobbySocket.ts have them", () => {
    expect(prose).toContain(`at most one message per ${LOBBY_MIN_INTERVAL_MS} ms (\`LOBBY_MIN_INTERVAL_MS\`)`);
    expect(prose).toContain(`or more than ${LOBBY_MAX_FRAMES_PER_SECOND} frames (pings included) within one second`);
    expect(prose).toContain(`a frame over ${LOBBY_MAX_FRAME_BYTES} bytes is closed`);
    expect(prose).toContain(`past ${MAX_LOBBY_VIEWERS} viewers at once the upgrade gets \`503\``);
    expect(prose).toContain(`every viewer every ${LOBBY_HEARTBEAT_MS / 1000} s`);
  });
});

describe('PROTOCOL.md Contents', () => {
  it('has Matchmaking, Lobby then Clusters right before Session states, each in the Contents line', () => {
    const at = (heading: string) => lines.indexOf(heading);
    expect(at('## Matchmaking')).toBeGreaterThan(0);
    expect(at('## Matchmaking')).toBeLessThan(at('## Lobby'));
    expect(at('## Lobby')).toBeLessThan(at('## Clusters'));
    const between = lines.slice(at('## Clusters') + 1, at('## Session states'));
    expect(between.filter((line) => line.startsWith('## '))).toEqual([]);
    expect(doc).toContain('[Matchmaking](#matchmaking)');
    expect(doc).toContain('[Lobby](#lobby)');
    expect(doc).toContain('[Clusters](#clusters)');
  });
});
