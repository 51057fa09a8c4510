// fast-check generators of hostile raw HTTP/1.x requests for the socket fuzzer: odd paths (//, ///,
// //[, /\, %-junk, absolute forms, very long), methods, versions, headers (missing, duplicated,
// huge, malformed Host and Origin) and WebSocket upgrades to any of those paths. One per HTTP
// connection the fuzzer opens.
import fc from 'fast-check';

/** Paths that have broken URL parsers, routers and static file servers. */
const ODD_PATHS = [
  '/',
  '//',
  '///',
  '//[',
  '/\\',
  '\\',
  '//evil.test/x',
  '//[::1',
  '/%',
  '/%zz',
  '/%00',
  '/%ff%fe',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/../../etc/passwd',
  '/..%2f..%2fpackage.json',
  '/ws',
  '/ws/',
  '/ws?x=1',
  '/WS',
  '/dashboard',
  '/dashboard/ws',
  '/dashboard?token=',
  '/healthz',
  '/stats',
  '/metrics',
  '/index.html',
  '/assets/../../server/src/main.ts',
  '*',
  'http://127.0.0.1/',
  'http://[::1/',
  'http://evil.test/ws',
  '/?\u0000',
  '/\u00e9',
  '/#frag',
  '',
];

const pathArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ODD_PATHS) },
  { weight: 1, arbitrary: fc.integer({ min: 2000, max: 12_000 }).map((n) => `/${'a'.repeat(n)}`) },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.oneof(
          fc.constantFrom('/', '//', '%', '%2f', '%c0%af', '[', ']', '\\', '..', '?', '#', '@', ':'),
          fc.string({ maxLength: 6 }),
        ),
        {
          maxLength: 8,
        },
      )
      .map((pieces) => `/${pieces.join('')}`),
  },
);

const methodArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('GET') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT', 'PRI'),
  },
  { weight: 1, arbitrary: fc.constantFrom('get', 'G\u00e9T', 'GET GET', '', 'X'.repeat(300)) },
);

const versionArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1x', 'HTP/1.1', '') },
);

const hostArb = fc.constantFrom(
  '127.0.0.1',
  'localhost',
  'evil.test',
  '[::1]',
  '[::1',
  '',
  '127.0.0.1:0',
  'a'.repeat(300),
  'h\u00f6st',
  'evil.test, 127.0.0.1',
);

/** Extra header lines: upgrade parts, origins, lies about the body, oversize and malformed lines. */
const headerArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Upgrade: h2c',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Version: 8',
    'Sec-WebSocket-Version: junk',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Key: short',
    'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits',
    'Sec-WebSocket-Protocol: a, b, ,',
    'Origin: http://evil.test',
    'Origin: null',
    'Origin: http://127.0.0.1',
    'Content-Length: 5',
    'Content-Length: -1',
    'Content-Length: 99999999999999999999',
    'Transfer-Encoding: chunked',
    'Transfer-Encoding: chunked, identity',
    'X-Forwarded-For: 1.2.3.4, ::1',
    'Expect: 100-continue',
    'Accept-Encoding: gzip',
    'Range: bytes=0-1,5-',
    'If-None-Match: *',
    'no colon here',
    ' leading space: folded',
    'Bad Name: x',
    'X-Nul: a\u0000b',
  ),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => `X-Big: ${'b'.repeat(n)}`),
  fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 })).map(([name, value]) => `${name}: ${value}`),
);

/** A whole request: request line, Host (maybe missing or twice), headers, maybe an upgrade, maybe a body. */
export const httpRequestArb: fc.Arbitrary<Buffer> = fc
  .record({
    method: methodArb,
    path: pathArb,
    version: versionArb,
    hosts: fc.array(hostArb, { maxLength: 2 }),
    upgrade: fc.boolean(),
    headers: fc.array(headerArb, { maxLength: 5 }),
    body: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 64 })),
    lineEnd: fc.oneof({ weight: 9, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constant('\n') }),
  })
  .map(({ method, path, version, hosts, upgrade, headers, body, lineEnd }) => {
    const lines = [`${method} ${path} ${version}`.trimEnd(), ...hosts.map((host) => `Host: ${host}`)];
    if (upgrade) {
      lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13');
      lines.push('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
    }
    lines.push(...headers);
    // latin1: each character one byte, so a path or header holds bytes that are not UTF-8 (é → 0xe9).
    return Buffer.concat([Buffer.from(`${lines.join(lineEnd)}${lineEnd}${lineEnd}`, 'latin1'), body]);
  });
