// Who may open the dashboard: open on loopback, off elsewhere, and with a token everywhere only
// with ?token= (401 without, 403 when off).
import { describe, expect, it } from 'vitest';
import { checkDashboardAccess, dashboardAccess, isLoopbackHost } from '../src/dashboard/access.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );
  it.each(['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', 'example.com', '::ffff:10.0.0.1', '128.0.0.1'])(
    '%s is not loopback',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});

describe('dashboard access', () => {
  const token = 'a-long-enough-secret';

  it('is open on loopback without a token', () => {
    const access = dashboardAccess({ host: '127.0.0.1', dashboardToken: '' });
    expect(access).toEqual({ mode: 'open' });
    expect(checkDashboardAccess(access, null)).toEqual({ allowed: true });
  });

  it('is off (403) on loopback behind a trusted proxy without a token: the proxy lets everyone reach it', () => {
    const access = dashboardAccess({ host: '127.0.0.1', dashboardToken: '', trustProxy: ['127.0.0.1'] });
    expect(access).toEqual({ mode: 'off' });
    expect(checkDashboardAccess(access, null)).toMatchObject({ allowed: false, status: 403 });
    expect(dashboardAccess({ host: '127.0.0.1', dashboardToken: token, trustProxy: ['10.0.0.1'] })).toEqual({
      mode: 'token',
      token,
    });
  });

  it('is off (403) on any other interface without a token, whatever the request carries', () => {
    const access = dashboardAccess({ host: '0.0.0.0', dashboardToken: '' });
    expect(access).toEqual({ mode: 'off' });
    expect(checkDashboardAccess(access, null)).toMatchObject({ allowed: false, status: 403 });
    expect(checkDashboardAccess(access, 'anything')).toMatchObject({ allowed: false, status: 403 });
  });

  it('needs the exact token (401 otherwise) once one is set, on loopback too', () => {
    for (const host of ['0.0.0.0', '127.0.0.1']) {
      const access = dashboardAccess({ host, dashboardToken: token });
      expect(checkDashboardAccess(access, token)).toEqual({ allowed: true });
      expect(checkDashboardAccess(access, null)).toMatchObject({ allowed: false, status: 401 });
      expect(checkDashboardAccess(access, `${token}x`)).toMatchObject({ allowed: false, status: 401 });
      expect(checkDashboardAccess(access, token.slice(1))).toMatchObject({ allowed: false, status: 401 });
    }
  });
});
