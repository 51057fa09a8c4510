// Player-typed text is cleaned before it is sent or drawn: control characters become spaces, the
// ends are trimmed, and the length is capped without splitting a surrogate pair. Markup stays text.
import { describe, expect, it } from 'vitest';
import { cleanText } from '../src/game/model/text.js';

describe('cleanText', () => {
  it('replaces control characters and line breaks with spaces and trims', () => {
    expect(cleanText('  hi\nthere\t\u0000!\u2028 ', 120)).toBe('hi there  !');
  });

  it('caps the length in UTF-16 units', () => {
    expect(cleanText('x'.repeat(200), 120)).toHaveLength(120);
  });

  it('never ends on half of a surrogate pair', () => {
    const text = `${'a'.repeat(15)}😀`;
    expect(text).toHaveLength(17);
    expect(cleanText(text, 16)).toBe('a'.repeat(15));
  });

  it('leaves markup as the characters typed (it is drawn as text, never parsed)', () => {
    expect(cleanText('<img src=x onerror=alert(1)>', 120)).toBe('<img src=x onerror=alert(1)>');
  });
});
