// The close code table: unique codes in the RFC 6455 and application ranges, names derived from it.
import { describe, expect, it } from 'vitest';
import { CloseCode, closeCodeName } from '../src/index.js';

const entries = Object.entries(CloseCode);

describe('close codes', () => {
  it('are unique', () => {
    const codes = entries.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("are RFC 6455 codes (1000–1015) or Tickwire's own (4000–4099)", () => {
    for (const [name, code] of entries) {
      expect((code >= 1000 && code <= 1015) || (code >= 4000 && code <= 4099), name).toBe(true);
    }
  });

  it('never use codes an endpoint must not send in a close frame (1005, 1006, 1015)', () => {
    for (const [name, code] of entries) expect([1005, 1006, 1015], name).not.toContain(code);
  });

  it('derive log names from the table, and name a code outside it', () => {
    for (const [name, code] of entries) expect(closeCodeName(code)).toBe(name);
    expect(closeCodeName(1006)).toBe('code(1006)');
    expect(closeCodeName(4999)).toBe('code(4999)');
  });
});
