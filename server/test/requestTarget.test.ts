// parseRequestTarget: every target a client can send gives a path and a query, and none throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../src/http/requestTarget.js';

describe('parseRequestTarget', () => {
  it('reads the path and query of an origin-form target', () => {
    const target = parseRequestTarget('/dashboard?token=abc&x=1');
    expect(target.path).toBe('/dashboard');
    expect(target.query.get('token')).toBe('abc');
  });

  it('reads the path of an absolute-form target', () => {
    expect(parseRequestTarget('http://example.test:8080/ws?x').path).toBe('/ws');
    expect(parseRequestTarget('http://example.test').path).toBe('/');
  });

  it('reads the targets that made new URL() throw as plain paths, which match no route', () => {
    expect(() => new URL('//', 'http://localhost')).toThrow();
    for (const target of ['//', '///', '//[', '/\\', '//[::1', '//a:b@', '/%', '/%zz']) {
      expect(parseRequestTarget(target).path).toBe(target);
    }
  });

  it('gives no path for a target that is neither origin- nor absolute-form', () => {
    expect(parseRequestTarget('*').path).toBe('');
    expect(parseRequestTarget('').path).toBe('');
    expect(parseRequestTarget(undefined).path).toBe('');
    expect(parseRequestTarget('ws').path).toBe('');
  });

  it('drops a fragment', () => {
    expect(parseRequestTarget('/ws#x?y').path).toBe('/ws');
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const target = parseRequestTarget(text);
        expect(target.path === '' || target.path.startsWith('/')).toBe(true);
      }),
      { numRuns: 2000, seed: 12 },
    );
  });
});
