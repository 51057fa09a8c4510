// The checks every WebSocket upgrade (the game's and the dashboard's) passes before any path's own:
// the Host rule (421), then the client's address and its connection limit (429). Runs once per
// upgrade; the connection is counted until its TCP socket closes, whoever closes it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type HostRule, isHostAllowed, MISDIRECTED } from '../http/hostCheck.js';
import type { Logger } from '../log.js';
import type { AddressLimits } from './addressLimits.js';
import { resolveClientAddress } from './clientAddress.js';

export type UpgradeVerdict =
  /** `addressKey`: what the session's joins are counted under; undefined when exempt (loopback). */
  { admitted: true; addressKey: string | undefined } | { admitted: false; status: number; text: string };

export type UpgradeGate = (req: IncomingMessage, socket: Duplex) => UpgradeVerdict;

export function upgradeGate(
  hosts: HostRule,
  limits: AddressLimits,
  trustedProxies: ReadonlySet<string>,
  log: Logger,
): UpgradeGate {
  return (req, socket) => {
    if (!isHostAllowed(req.headersDistinct.host, hosts)) {
      log.info('refused host', { host: req.headers.host });
      return { admitted: false, ...MISDIRECTED };
    }
    // Node joins repeated X-Forwarded-For headers with ", ", in order: one list either way.
    const forwardedFor = req.headersDistinct['x-forwarded-for']?.join(', ');
    const client = resolveClientAddress(req.socket.remoteAddress, forwardedFor, trustedProxies);
    if (client.exempt) return { admitted: true, addressKey: undefined };
    if (!limits.openConnection(client.key)) {
      log.info('refused connection over the per-address limit', { address: client.address });
      return { admitted: false, status: 429, text: 'Too Many Requests' };
    }
    socket.once('close', () => limits.closeConnection(client.key));
    return { admitted: true, addressKey: client.key };
  };
}
