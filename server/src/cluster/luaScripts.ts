// The directory's Lua scripts: read from lua/*.lua once at start (with their `--@include name`
// lines replaced by lua/includes/<name>.lua), then run by SHA on every call, falling back to the
// text once when Redis does not know it (after a restart or SCRIPT FLUSH). One script per atomic
// step (STYLE 16); each file's header lists its KEYS and ARGV.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const SCRIPT_NAMES = [
  'register-process-5',
  'unregister-process-5',
  'reserve-seat',
  'place-room',
  'report-room-7',
  'remove-room-8',
  'find-expired-2',
  'drop-expired',
  'handover-begin',
  'handover-claim-7',
  'handover-abort-4',
  'handover-expire',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

export interface LoadedScript {
  name: ScriptName;
  text: string;
  sha: string;
  /** Keys the script takes, when fixed (the number in its file name); undefined when it varies. */
  keyCount: number | undefined;
}

const LUA_DIR = new URL('./lua/', import.meta.url);
const INCLUDE = /^--@include ([a-z-]+)$/gm;

function withIncludes(text: string): string {
  return text.replace(INCLUDE, (_line, name: string) =>
    readFileSync(new URL(`includes/${name}.lua`, LUA_DIR), 'utf8').trimEnd(),
  );
}

export function loadScripts(): Record<ScriptName, LoadedScript> {
  const scripts = {} as Record<ScriptName, LoadedScript>;
  for (const name of SCRIPT_NAMES) {
    const text = withIncludes(readFileSync(new URL(`${name}.lua`, LUA_DIR), 'utf8'));
    const counted = /-(\d+)$/.exec(name);
    scripts[name] = {
      name,
      text,
      sha: createHash('sha1').update(text).digest('hex'),
      keyCount: counted === null ? undefined : Number(counted[1]),
    };
  }
  return scripts;
}
