// The directory's Lua scripts keep their contract on top (STYLE 16): every KEYS[i] and ARGV[i] the
// body uses is named in the header, a script whose file name carries a key count uses exactly that
// many keys, and no script builds a key name itself (every key comes in KEYS).
import { describe, expect, it } from 'vitest';
import { loadScripts, SCRIPT_NAMES } from '../src/cluster/luaScripts.js';

const scripts = loadScripts();

describe.each(SCRIPT_NAMES.map((name) => [name]))('%s.lua', (name) => {
  const { text, keyCount } = scripts[name];
  const header = text
    .split('\n')
    .filter((line) => line.startsWith('--'))
    .join('\n');
  const body = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');

  it('names its KEYS and ARGV in the header', () => {
    expect(header).toMatch(/KEYS\[1\]/);
    for (const [, index] of body.matchAll(/KEYS\[(\d+)\]/g)) expect(header).toContain(`KEYS[${index}]`);
    for (const [, index] of body.matchAll(/ARGV\[(\d+)\]/g)) expect(header).toContain(`ARGV[${index}]`);
  });

  it('uses exactly the keys its file name counts', () => {
    if (keyCount === undefined) return;
    const used = [...body.matchAll(/KEYS\[(\d+)\]/g)].map(([, index]) => Number(index));
    expect(Math.max(...used)).toBe(keyCount);
  });

  it('never builds a key name: no tw: prefix in its body', () => {
    expect(body).not.toMatch(/['"]tw:/);
  });

  it('loaded its includes', () => {
    expect(text).not.toMatch(/--@include/);
  });
});
