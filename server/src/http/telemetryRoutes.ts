// The server's read-only telemetry over HTTP: /healthz, /stats, /metrics, /dashboard and the
// dashboard's socket upgrade. Runs per request; each answer is built from the room's counters and
// histograms at that moment.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type AccessCheck, checkDashboardAccess, type DashboardAccess } from '../dashboard/access.js';
import type { DashboardFeed } from '../dashboard/feed.js';
import { DASHBOARD_HEADERS, DASHBOARD_HTML } from '../dashboard/page.js';
import type { Logger } from '../log.js';
import type { Telemetry } from '../metrics/telemetry.js';
import { isOriginAllowed } from '../transport/originCheck.js';
import { refuseUpgrade, type UpgradeHandler } from '../transport/wsTransport.js';
import type { Refusals } from './refusals.js';
import { parseRequestTarget, type RequestTarget } from './requestTarget.js';

export const DASHBOARD_PATH = '/dashboard';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

export interface TelemetryRouteOptions {
  telemetry: Telemetry;
  feed: DashboardFeed;
  access: DashboardAccess;
  allowedOrigins: readonly string[];
  /** The /healthz body; its `status` decides 200 (ok) or 503 (overloaded). */
  health: () => { status: string } & Record<string, unknown>;
  log: Logger;
}

/** Answer a telemetry path and return true, or return false for any other path. */
export function createTelemetryRoutes(
  options: TelemetryRouteOptions,
): (target: RequestTarget, res: ServerResponse) => boolean {
  const { telemetry, access, log } = options;
  const refuse = (res: ServerResponse, check: Extract<AccessCheck, { allowed: false }>) => {
    res.writeHead(check.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`${check.reason}\n`);
  };
  return (target, res) => {
    switch (target.path) {
      case '/healthz': {
        const body = options.health();
        res.writeHead(body.status === 'ok' ? 200 : 503, JSON_HEADERS);
        res.end(JSON.stringify(body));
        return true;
      }
      case '/stats': {
        const body = JSON.stringify(telemetry.stats());
        res.writeHead(200, JSON_HEADERS);
        res.end(body);
        return true;
      }
      case '/metrics':
        telemetry.registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': telemetry.registry.contentType, 'cache-control': 'no-store' });
            res.end(text);
          },
          (error: unknown) => {
            log.error('metrics error', { error: String(error) });
            res.writeHead(500).end();
          },
        );
        return true;
      case DASHBOARD_PATH: {
        const check = checkDashboardAccess(access, target.query.get('token'));
        if (!check.allowed) {
          refuse(res, check);
          return true;
        }
        res.writeHead(200, DASHBOARD_HEADERS);
        res.end(DASHBOARD_HTML);
        return true;
      }
      default:
        return false;
    }
  };
}

/** The upgrade to /dashboard/ws: the same access rule as the page, the game socket's Origin rule, and a cap. */
export function dashboardUpgrade(
  options: Omit<TelemetryRouteOptions, 'telemetry' | 'health'> & { refusals?: Refusals },
): UpgradeHandler {
  const { feed, access, allowedOrigins, log, refusals } = options;
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const check = checkDashboardAccess(access, parseRequestTarget(req.url).query.get('token'));
    if (!check.allowed)
      return refuseUpgrade(socket, check.status, check.status === 401 ? 'Unauthorized' : 'Forbidden', refusals);
    if (!isOriginAllowed(req.headers.origin, req.headers.host, allowedOrigins)) {
      log.info('refused dashboard origin', { origin: req.headers.origin });
      return refuseUpgrade(socket, 403, 'Forbidden', refusals);
    }
    if (feed.full) return refuseUpgrade(socket, 503, 'Service Unavailable', refusals);
    feed.accept(req, socket, head);
  };
}
