// The WebSocket endpoint: upgrade checks (path, Origin), one session per socket, frames into the
// room, and the heartbeat that finds dead connections. Runs per upgrade, per frame, per heartbeat.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CloseCode } from '@tickwire/protocol';
import { WebSocketServer } from 'ws';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Room } from '../room/room.js';
import type { Session } from '../session/session.js';
import { readFramesDirectly } from './directFrameReader.js';
import { isOriginAllowed } from './originCheck.js';
import type { UpgradeGate } from './upgradeGate.js';
import { ClientWebSocket } from './wsClientSocket.js';

/** The one WebSocket path on the server's HTTP port. */
export const WS_PATH = '/ws';

interface Client {
  session: Session;
  /** Sent a frame, or answered the last ping, since the heartbeat before. */
  alive: boolean;
  /** session.framesIn at the last heartbeat: a client that sent frames since is not pinged. */
  framesAtLastBeat: number;
}

export interface WebSocketTransport {
  /** Stop the heartbeat and close every socket with `code`; resolves when all are gone or after `graceMs`. */
  shutdown(code: CloseCode, reason: string, graceMs: number): Promise<void>;
  readonly clientCount: number;
  /** Sockets closed by ws itself for an oversized frame (1009). */
  readonly oversizedFrames: number;
}

/** Takes an upgrade on a path other than WS_PATH: accepts it, or refuses it with refuseUpgrade. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** `otherUpgrades`: handlers for other WebSocket paths on the same port (the dashboard's), by path. */
export function attachWebSocketTransport(
  httpServer: Server,
  room: Room,
  config: Pick<ServerConfig, 'allowedOrigins' | 'heartbeatMs' | 'maxFrameBytes'>,
  log: Logger,
  now: () => number,
  /** Host and per-address checks every upgrade passes first (upgradeGate.ts). */
  gate: UpgradeGate,
  otherUpgrades: Readonly<Record<string, UpgradeHandler>> = {},
): WebSocketTransport {
  const wss = new WebSocketServer<typeof ClientWebSocket>({
    // Each connection's WebSocket is also its session's socket (wsClientSocket.ts).
    WebSocket: ClientWebSocket,
    noServer: true,
    maxPayload: config.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
    // Text frames are refused with TEXT_FRAME whatever their bytes, so ws need not check UTF-8 (1007).
    skipUTF8Validation: true,
    // ws emits each message as soon as its frame is read (the default, stated because the direct
    // reader relies on it: a frame handed to ws is delivered before the next small one is read).
    allowSynchronousEvents: true,
  });
  const clients = new Map<ClientWebSocket, Client>();
  let oversizedFrames = 0;

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Host (421) and per-address limits (429) first, for every path: the dashboard's socket counts too.
    const verdict = gate(req, socket);
    if (!verdict.admitted) return refuseUpgrade(socket, verdict.status, verdict.text);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== WS_PATH) {
      const other = Object.hasOwn(otherUpgrades, path) ? otherUpgrades[path] : undefined;
      return other !== undefined ? other(req, socket, head) : refuseUpgrade(socket, 404, 'Not Found');
    }
    if (!isOriginAllowed(req.headers.origin, req.headers.host, config.allowedOrigins)) {
      log.info('refused origin', { origin: req.headers.origin });
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, verdict.addressKey));
  });

  /** A small binary frame read by the direct reader: one function for every connection. */
  const receiveBinary = (session: Session, payload: Buffer): void => room.receive(session, payload, true, now());

  function accept(ws: ClientWebSocket, addressKey: string | undefined): void {
    const session = room.open(ws, now(), addressKey);
    clients.set(ws, { session, alive: true, framesAtLastBeat: 0 });
    // Small binary frames (every INPUT) are read without ws's Receiver; ws reads the rest and emits them.
    readFramesDirectly(ws, receiveBinary, session, config.maxFrameBytes);
    ws.on('message', (data, isBinary) => room.receive(session, data as Buffer, isBinary, now()));
    // Pings cost a flood token like any frame: ws answers each one, so they are not free.
    ws.on('ping', () => room.chargeControlFrame(session, now()));
    ws.on('pong', () => {
      const client = clients.get(ws);
      if (client !== undefined) client.alive = true;
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself after an error (1009 for an oversized frame, 1002 for bad framing).
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') oversizedFrames++;
      log.info('socket error', { connectionId: session.connectionId, error: error.code ?? error.message });
    });
    ws.on('close', () => {
      clients.delete(ws);
      room.disconnected(session);
    });
  }

  // A client that sent any frame since the last heartbeat is plainly there (a player sends an INPUT
  // every tick): it is not pinged. Only quiet clients are, and one that stays quiet and does not
  // answer is dropped at the next heartbeat. This costs nothing per frame: framesIn is counted anyway.
  const heartbeat = setInterval(() => {
    for (const [ws, client] of clients) {
      const framesIn = client.session.framesIn;
      if (framesIn !== client.framesAtLastBeat) {
        client.framesAtLastBeat = framesIn;
        client.alive = true;
        continue;
      }
      if (!client.alive) {
        log.info('heartbeat timeout', { connectionId: client.session.connectionId });
        ws.terminate();
        continue;
      }
      client.alive = false;
      ws.ping();
    }
  }, config.heartbeatMs);
  heartbeat.unref();

  return {
    get clientCount() {
      return clients.size;
    },
    get oversizedFrames() {
      return oversizedFrames;
    },
    async shutdown(code, reason, graceMs) {
      clearInterval(heartbeat);
      const sockets = [...clients.keys()];
      const closed = sockets.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
      room.closeAll(code, reason);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(closed),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      for (const ws of clients.keys()) ws.terminate();
      wss.close();
    },
  };
}

export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  // Destroy only once the response is flushed, as ws does, so the client sees the status.
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
