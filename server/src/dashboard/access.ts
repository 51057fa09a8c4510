// Who may see the dashboard: decided once at start from --host and --dashboard-token, then checked
// per /dashboard request and per /dashboard/ws upgrade.
//
//   --dashboard-token set          → page and socket need ?token=<it>, else 401 (on any host)
//   no token, host is loopback     → open (only this machine can reach it)
//   no token, any other host       → off: 403, so a public server never shows it by accident
//   no token, --trust-proxy set    → off: 403 too; behind a proxy a loopback listener is reached
//                                     by everyone the proxy serves
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export type DashboardAccess = { mode: 'open' } | { mode: 'token'; token: string } | { mode: 'off' };

export type AccessCheck = { allowed: true } | { allowed: false; status: 401 | 403; reason: string };

/** 127.0.0.0/8, ::1 (also as IPv4-mapped ::ffff:127.x.y.z) and localhost. 0.0.0.0 and :: are every interface, not loopback. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) {
    if (bare === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(bare)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

export function dashboardAccess(config: {
  host: string;
  dashboardToken: string;
  trustProxy?: readonly string[];
}): DashboardAccess {
  if (config.dashboardToken !== '') return { mode: 'token', token: config.dashboardToken };
  const behindProxy = (config.trustProxy?.length ?? 0) > 0;
  return isLoopbackHost(config.host) && !behindProxy ? { mode: 'open' } : { mode: 'off' };
}

/** Whether a request for the page or the socket may proceed; `token` is its ?token= value. */
export function checkDashboardAccess(access: DashboardAccess, token: string | null): AccessCheck {
  switch (access.mode) {
    case 'open':
      return { allowed: true };
    case 'off':
      return {
        allowed: false,
        status: 403,
        reason:
          'the dashboard is off: the server is not on loopback, or is behind --trust-proxy, and has no --dashboard-token',
      };
    case 'token':
      return token !== null && sameSecret(token, access.token)
        ? { allowed: true }
        : { allowed: false, status: 401, reason: 'the dashboard needs ?token=<--dashboard-token>' };
  }
}

/** Constant-time comparison, so response time does not leak how much of a guess was right. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
