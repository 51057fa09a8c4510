// The game's WebSocket endpoint, `/ws/<roomId>`: upgrade checks (path, room, Origin), one session per
// socket in the room it names, frames into that room, and the heartbeat that finds dead connections.
// Runs per upgrade, per frame, per heartbeat.
// Each of these is an entry point from the network: an exception thrown in one closes that
// connection with 1011 (faults.ts), never the process.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, ROOM_WS_PREFIX } from '@tickwire/protocol';
import { WebSocketServer } from 'ws';
import type { ServerConfig } from '../config.js';
import type { EntryPoint, Faults } from '../faults.js';
import type { Refusals } from '../http/refusals.js';
import { parseRequestTarget } from '../http/requestTarget.js';
import type { Logger } from '../log.js';
import type { Room } from '../room/room.js';
import { isRoomId } from '../rooms/roomCode.js';
import type { RoomLookup } from '../rooms/roomHost.js';
import type { Session } from '../session/session.js';
import { readFramesDirectly } from './directFrameReader.js';
import { isOriginAllowed } from './originCheck.js';
import type { UpgradeGate } from './upgradeGate.js';
import { ClientWebSocket } from './wsClientSocket.js';

/** A room's game socket is at WS_PREFIX + its id (ROOM_WS_PREFIX in the protocol). */
export const WS_PREFIX = ROOM_WS_PREFIX;

/** Where the transport finds rooms: the process's RoomHost. */
export interface RoomResolver {
  lookup(roomId: string): RoomLookup;
  /**
   * With --redis-url: make a room the directory placed on this process, whose first socket this is.
   * 'unavailable' when the directory cannot be asked now (503). Absent in one process.
   */
  adopt?(roomId: string): Promise<'hosted' | 'unknown' | 'elsewhere' | 'unavailable' | 'at-capacity'>;
  /** Close every room's clients with `code` (shutdown). */
  closeAll(code: CloseCode, reason: string): void;
}

interface Client {
  session: Session;
  /** The room the socket named; every frame of this connection goes there. */
  room: Room;
  /** Sent a frame, or answered the last ping, since the heartbeat before. */
  alive: boolean;
  /** session.framesIn at the last heartbeat: a client that sent frames since is not pinged. */
  framesAtLastBeat: number;
}

export interface WebSocketTransport {
  /** Stop the heartbeat and close every socket with `code`; resolves when all are gone or after `graceMs`. */
  shutdown(code: CloseCode, reason: string, graceMs: number): Promise<void>;
  readonly clientCount: number;
  /** Sockets closed by ws itself, by close code: 1009 oversized frame, 1007 invalid UTF-8, 1002 bad framing. */
  readonly wsCloses: Readonly<Record<number, number>>;
}

/** The close code ws sends for each of its errors (ws 8, receiver.js); any other is 1002. */
const WS_ERROR_CLOSE_CODES: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: CloseCode.FRAME_TOO_LARGE,
  WS_ERR_INVALID_UTF8: CloseCode.INVALID_PAYLOAD,
};
const PROTOCOL_ERROR = 1002;

/** Takes an upgrade on a path other than a room's: accepts it, or refuses it with refuseUpgrade. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** `otherUpgrades`: handlers for other WebSocket paths on the same port (the dashboard's), by path. */
export function attachWebSocketTransport(
  httpServer: Server,
  rooms: RoomResolver,
  config: Pick<ServerConfig, 'allowedOrigins' | 'heartbeatMs' | 'maxFrameBytes'>,
  log: Logger,
  now: () => number,
  faults: Faults,
  /** Host and per-address checks every upgrade passes first (upgradeGate.ts). */
  gate: UpgradeGate,
  /** Where the upgrade's refusals are counted, by status. */
  refusals: Refusals,
  otherUpgrades: Readonly<Record<string, UpgradeHandler>> = {},
): WebSocketTransport {
  const wss = new WebSocketServer<typeof ClientWebSocket>({
    // Each connection's WebSocket is also its session's socket (wsClientSocket.ts).
    WebSocket: ClientWebSocket,
    noServer: true,
    maxPayload: config.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
    // ws checks text frames and close reasons for valid UTF-8 and answers 1007 (RFC 6455 §8.1);
    // binary frames, every INPUT among them, are never checked. A valid text frame gets TEXT_FRAME.
    skipUTF8Validation: false,
    // ws emits each message as soon as its frame is read (the default, stated because the direct
    // reader relies on it: a frame handed to ws is delivered before the next small one is read).
    allowSynchronousEvents: true,
  });
  const clients = new Map<ClientWebSocket, Client>();
  const wsCloses: Record<number, number> = {};

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node's HTTP server stops listening for this socket's errors before 'upgrade': a reset while
    // a refusal is written would otherwise be an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    try {
      // Host (421) and per-address limits (429) first, for every path: the dashboard's socket counts too.
      const verdict = gate(req, socket);
      if (!verdict.admitted) return refuseUpgrade(socket, verdict.status, verdict.text, refusals);
      const { path } = parseRequestTarget(req.url);
      if (!path.startsWith(WS_PREFIX)) {
        const other = Object.hasOwn(otherUpgrades, path) ? otherUpgrades[path] : undefined;
        return other !== undefined ? other(req, socket, head) : refuseUpgrade(socket, 404, 'Not Found', refusals);
      }
      // Before the Origin: a room that does not exist is 404 and a disposed one 410, whoever asks.
      const roomId = path.slice(WS_PREFIX.length);
      const found = rooms.lookup(roomId);
      if (found.state === 'unknown' && rooms.adopt !== undefined && isRoomId(roomId)) {
        // A room placed here by the cluster's directory is made when its first socket arrives.
        rooms.adopt(roomId).then(
          (adopted) => {
            if (socket.destroyed) return;
            if (adopted === 'unavailable') return refuseUpgrade(socket, 503, 'Service Unavailable', refusals);
            if (adopted === 'at-capacity') return refuseUpgrade(socket, 503, 'Service Unavailable', refusals);
            enter(req, socket, head, verdict.addressKey, rooms.lookup(roomId));
          },
          (error: unknown) => {
            faults.record('upgrade', error, { target: String(req.url).slice(0, 200) });
            if (!socket.destroyed) refuseUpgrade(socket, 500, 'Internal Server Error', refusals);
          },
        );
        return;
      }
      enter(req, socket, head, verdict.addressKey, found);
    } catch (error) {
      faults.record('upgrade', error, { target: String(req.url).slice(0, 200) });
      if (!socket.destroyed && socket.writable) refuseUpgrade(socket, 500, 'Internal Server Error', refusals);
      else socket.destroy();
    }
  });

  /** The upgrade of a socket to a room found (or not): 404, 410, 403, or the room's new connection. */
  function enter(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    addressKey: string | undefined,
    found: RoomLookup,
  ): void {
    try {
      if (found.state === 'unknown') return refuseUpgrade(socket, 404, 'Not Found', refusals);
      if (found.state === 'gone') return refuseUpgrade(socket, 410, 'Gone', refusals);
      const room = found.room;
      if (!isOriginAllowed(req.headers.origin, req.headers.host, config.allowedOrigins)) {
        log.info('refused origin', { origin: req.headers.origin });
        return refuseUpgrade(socket, 403, 'Forbidden', refusals);
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        try {
          accept(ws, room, addressKey);
        } catch (error) {
          failConnection(ws, undefined, 'upgrade', error);
        }
      });
    } catch (error) {
      faults.record('upgrade', error, { target: String(req.url).slice(0, 200) });
      if (!socket.destroyed && socket.writable) refuseUpgrade(socket, 500, 'Internal Server Error', refusals);
      else socket.destroy();
    }
  }

  /**
   * An exception escaped a handler of this connection: count and log it, close the connection with
   * 1011 INTERNAL_ERROR and take its session out of the room; the process and every other
   * connection carry on.
   */
  function failConnection(
    ws: ClientWebSocket,
    client: Pick<Client, 'session' | 'room'> | undefined,
    entry: EntryPoint,
    error: unknown,
  ): void {
    const session = client?.session;
    faults.record(entry, error, { connectionId: session?.connectionId });
    let second: unknown;
    if (client !== undefined) {
      second = client.room.closeAfterFault(client.session);
    } else {
      try {
        ws.close(CloseCode.INTERNAL_ERROR, 'internal server error');
      } catch (thrown) {
        second = thrown;
      }
    }
    if (second === undefined) return;
    // Closing failed too: the socket goes without a close frame.
    faults.record('close', second, { connectionId: session?.connectionId });
    ws.terminate();
  }

  function accept(ws: ClientWebSocket, room: Room, addressKey: string | undefined): void {
    const session = room.open(ws, now(), addressKey);
    const client: Client = { session, room, alive: true, framesAtLastBeat: 0 };
    clients.set(ws, client);
    // First, so that whatever fails below, the connection's close still clears both tables.
    ws.on('close', (code) => {
      clients.delete(ws);
      try {
        // The code says whether the client left on purpose (1000) or dropped (1006, 1001, …).
        room.disconnected(session, code);
      } catch (error) {
        faults.record('close', error, { connectionId: session.connectionId });
      }
    });
    // Small binary frames (every INPUT) go straight to this connection's room.
    const receiveBinary = (_session: Session, payload: Buffer): void => {
      try {
        room.receive(session, payload, true, now());
      } catch (error) {
        failConnection(ws, client, 'frame', error);
      }
    };
    readFramesDirectly(ws, receiveBinary, session, config.maxFrameBytes, (error) =>
      failConnection(ws, client, 'frame', error),
    );
    ws.on('message', (data, isBinary) => {
      try {
        room.receive(session, data as Buffer, isBinary, now());
      } catch (error) {
        failConnection(ws, client, 'frame', error);
      }
    });
    // Pings cost a flood token like any frame: ws answers each one, so they are not free.
    ws.on('ping', () => {
      try {
        room.chargeControlFrame(session, now());
      } catch (error) {
        failConnection(ws, client, 'frame', error);
      }
    });
    ws.on('pong', () => {
      const client = clients.get(ws);
      if (client !== undefined) client.alive = true;
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself after an error: 1009 oversized frame, 1007 invalid UTF-8, 1002 bad framing.
      const code = (error.code !== undefined ? WS_ERROR_CLOSE_CODES[error.code] : undefined) ?? PROTOCOL_ERROR;
      wsCloses[code] = (wsCloses[code] ?? 0) + 1;
      log.info('socket error', { connectionId: session.connectionId, code, error: error.code ?? 'unknown' });
    });
  }

  // A client that sent any frame since the last heartbeat is plainly there (a player sends an INPUT
  // every tick): it is not pinged. Only quiet clients are, and one that stays quiet and does not
  // answer is dropped at the next heartbeat. This costs nothing per frame: framesIn is counted anyway.
  const beat = (ws: ClientWebSocket, client: Client): void => {
    const framesIn = client.session.framesIn;
    if (framesIn !== client.framesAtLastBeat) {
      client.framesAtLastBeat = framesIn;
      client.alive = true;
      return;
    }
    if (!client.alive) {
      log.info('heartbeat timeout', { connectionId: client.session.connectionId });
      ws.terminate();
      return;
    }
    client.alive = false;
    ws.ping();
  };
  const heartbeat = setInterval(() => {
    for (const [ws, client] of clients) {
      try {
        beat(ws, client);
      } catch (error) {
        failConnection(ws, client, 'timer', error);
      }
    }
  }, config.heartbeatMs);
  heartbeat.unref();

  return {
    get clientCount() {
      return clients.size;
    },
    get wsCloses() {
      return wsCloses;
    },
    async shutdown(code, reason, graceMs) {
      clearInterval(heartbeat);
      const sockets = [...clients.keys()];
      const closed = sockets.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
      rooms.closeAll(code, reason);
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

/** Answer an upgrade with `status` and no WebSocket; counted in `refusals` when given. */
export function refuseUpgrade(socket: Duplex, status: number, text: string, refusals?: Refusals): void {
  refusals?.count(status);
  // Destroy only once the response is flushed, as ws does, so the client sees the status.
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
