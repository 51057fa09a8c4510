// isOriginAllowed: same origin, allow list, wildcard, and non-browser clients.
import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from '../src/transport/originCheck.js';

describe('isOriginAllowed', () => {
  it('allows the page the server itself served', () => {
    expect(isOriginAllowed('http://localhost:8080', 'localhost:8080', [])).toBe(true);
  });
  it('refuses another site by default', () => {
    expect(isOriginAllowed('http://evil.example', 'localhost:8080', [])).toBe(false);
    expect(isOriginAllowed('http://localhost:9999', 'localhost:8080', [])).toBe(false);
  });
  it('allows a listed origin, or any with *', () => {
    expect(isOriginAllowed('https://game.example', 'localhost:8080', ['https://game.example'])).toBe(true);
    expect(isOriginAllowed('https://other.example', 'localhost:8080', ['*'])).toBe(true);
  });
  it('allows clients that send no Origin (bots, tools), and refuses garbage', () => {
    expect(isOriginAllowed(undefined, 'localhost:8080', [])).toBe(true);
    expect(isOriginAllowed('null', 'localhost:8080', [])).toBe(false);
    expect(isOriginAllowed('file://x', 'x', [])).toBe(false);
  });
});
