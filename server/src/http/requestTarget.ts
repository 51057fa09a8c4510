// Splits a request's target (`req.url`) into its path and query without ever throwing. Runs once
// per HTTP request and per WebSocket upgrade.
//
// `new URL(req.url, base)` throws on targets like `//`, `///`, `//[` or `/\` (it reads `//x` as
// an authority), and once stopped the whole process on a single `GET //`. This reads the target
// as RFC 9112 §3.2 defines it instead: origin-form (`/path?query`), absolute-form
// (`http://host/path?query`, sent to proxies), or anything else, which matches no route.

export interface RequestTarget {
  /** The path as sent (not percent-decoded), starting with "/"; "" when the target has none. */
  readonly path: string;
  /** The query's parameters (URLSearchParams parses any text without throwing). */
  readonly query: URLSearchParams;
}

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

export function parseRequestTarget(target: string | undefined): RequestTarget {
  let rest = target ?? '';
  const absolute = ABSOLUTE_FORM.exec(rest);
  if (absolute !== null) rest = rest.slice(absolute[0].length) || '/';
  if (!rest.startsWith('/')) return { path: '', query: new URLSearchParams() };
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question === -1) return { path: rest, query: new URLSearchParams() };
  return { path: rest.slice(0, question), query: new URLSearchParams(rest.slice(question + 1)) };
}
