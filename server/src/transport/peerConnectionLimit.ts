// Caps the TCP connections one peer address holds open, plain HTTP (keep-alive) and WebSocket
// alike. Runs once per accepted TCP connection, before any byte of a request is read.
//
// The upgrade's limit (upgradeGate.ts) counts WebSockets only; a client can also hold sockets by
// sending a request now and then on each (keep-alive), and enough of them use up the process's file
// descriptors. Here every connection counts against its TCP peer under --max-connections-per-ip.
// A peer named in --trust-proxy is not capped here (its clients are told apart per upgrade, by
// X-Forwarded-For); loopback peers are exempt unless --trust-proxy is set, as at the upgrade.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Faults } from '../faults.js';
import type { Refusals } from '../http/refusals.js';
import type { Logger } from '../log.js';
import type { AddressLimits } from './addressLimits.js';
import { resolveClientAddress } from './clientAddress.js';

const TOO_MANY = 'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

export function limitConnectionsPerPeer(
  server: Server,
  limits: AddressLimits,
  trustedProxies: ReadonlySet<string>,
  log: Logger,
  faults: Faults,
  refusals: Refusals,
): void {
  server.on('connection', (socket: Socket) => {
    try {
      const peer = resolveClientAddress(socket.remoteAddress, undefined, trustedProxies);
      if (peer.exempt || trustedProxies.has(peer.address)) return;
      if (!limits.openConnection(peer.key)) {
        log.info('refused connection over the per-address limit', { address: peer.address });
        refusals.count(429);
        socket.on('error', () => socket.destroy());
        socket.end(TOO_MANY, () => socket.destroy());
        return;
      }
      socket.once('close', () => limits.closeConnection(peer.key));
    } catch (error) {
      faults.record('http', error);
      socket.destroy();
    }
  });
}
