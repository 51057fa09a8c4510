// Which way the server's imports point: the room and the simulation sit below the process, so they
// never read the process's settings (config.ts), and the simulation never reaches into sessions.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig, roomOptionsOf, viewRadiusOf } from '../src/config.js';
import { PlayerControl } from '../src/sim/components.js';
import { makeRoom } from './support/fakeRoom.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** Every .ts file under `dir`, as paths relative to server/src. */
function sources(dir: string): string[] {
  return readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => relative(SRC, join(SRC, dir, name)));
}

/** The module specifiers `file` imports (static imports and re-exports). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1]!);
}

describe('server layering', () => {
  it('keeps the room and the simulation from importing the process settings (config.ts)', () => {
    const offenders = [...sources('room'), ...sources('sim')].filter((file) =>
      importsOf(file).some((specifier) => specifier.endsWith('/config.js')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the simulation from importing sessions: systems see input as plain data', () => {
    const offenders = sources('sim').filter((file) =>
      importsOf(file).some((specifier) => specifier.includes('session/')),
    );
    expect(offenders).toEqual([]);
  });

  it("holds only numbers and booleans in a joined player's PlayerControl", () => {
    const t = makeRoom();
    const { session } = t.connect('p');
    t.input(session, 1, 1, 0, 0, { viewTick: 1 });
    t.ticks(2);
    const entity = t.room.game.players.get(session.playerId)!;
    const control = entity.getComponent(PlayerControl)!;
    for (const key of Object.keys(PlayerControl.schema)) {
      expect(['number', 'boolean'], key).toContain(typeof (control as unknown as Record<string, unknown>)[key]);
    }
  });

  it('builds a room from every room option the settings hold, and nothing else', () => {
    const config = defaultConfig();
    const options = roomOptionsOf(config);
    // viewRadius is the one settled per room: --view-radius, unset by default, else the scenario's.
    const { viewRadius, ...rest } = options;
    expect(viewRadius).toBe(viewRadiusOf(config, config.scenario));
    for (const [key, value] of Object.entries(rest)) expect(config[key as keyof typeof config]).toBe(value);
    expect(Object.keys(options)).not.toContain('port');
  });
});
