// Decides, once per WebSocket upgrade, whether a browser page from this Origin may connect.
// Same-origin is always allowed; others only when listed ("*" allows any). A request without an
// Origin header is not from a browser page (bots, tools) and is allowed: Origin only guards
// against other sites' pages using a visitor's browser.

export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}
