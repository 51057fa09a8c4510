// The bare reference server for benches: plain ws + msgpackr, no framework, no validation beyond
// what keeps it alive; per tick, one full-state buffer encoded per room and broadcast to its clients.
// It speaks Tickwire's protocol (full snapshots only, baseAge 0) and answers POST /matchmake with its
// own room ids and a seat it never checks, so the same bots measure both servers. Only
// PROTOCOL_VERSION and the arena's map hash come from the protocol package, the layouts are written
// out here. Not a product: a yardstick for what moving the messages costs. Run by bench/arena.ts and
// bench/rooms-sockets.ts, once per run; its timer fires once per tick for all rooms together.
//
//   node --conditions=tickwire-source --import tsx bench/bareServer.ts --port 0 [--tick-rate 30] [--max-players 256]
//
// Rooms: POST /matchmake {mode: 'create' | 'join' | 'joinOrCreate', roomId?, maxPlayers?} answers
// {roomId, wsUrl, seat, expiresAt} as Tickwire does; a room's socket is /ws/<roomId>, and /ws is one
// default room (the bots before matchmaking). Seats issued count as players (no expiry), so a room
// is full after maxPlayers answers. Rooms are never disposed: a bench run is short.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ARENA_MAP_HASH, PROTOCOL_VERSION } from '@tickwire/protocol';
import { Packr } from 'msgpackr';
import { type WebSocket, WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'tick-rate': { type: 'string', default: '30' },
    'max-players': { type: 'string', default: '256' },
  },
});
const tickRate = Number(values['tick-rate']);
const defaultMaxPlayers = Number(values['max-players']);
const packr = new Packr({ useRecords: false, moreTypes: false });

const SCALE = 16; // the same 1/16-unit grid as Tickwire, so both send the same numbers
const WORLD = 2048 * SCALE;
const STEP = (200 * SCALE) / tickRate;
/** What a seat claims to last; nothing checks it. @default 15 000 ms, as Tickwire's */
const SEAT_MS = 15_000;
/** Largest POST /matchmake body read, bytes, as Tickwire's. */
const MAX_BODY = 4096;

interface Player {
  id: number;
  x: number;
  y: number;
  vx: number;
  vy: number;
  angle: number;
  moveX: number;
  moveY: number;
}

interface BareRoom {
  id: string;
  maxPlayers: number;
  /** Seats answered: the bare server's whole admission rule. */
  seats: number;
  players: Map<WebSocket, Player>;
  nextId: number;
  seed: number;
}

const rooms = new Map<string, BareRoom>();
let roomNumber = 0;
let tick = 0;
/** Room ticks run since start (a room with players, one tick): /healthz, for µs per room-tick. */
let roomTicks = 0;

function makeRoom(id: string, maxPlayers: number): BareRoom {
  const room: BareRoom = { id, maxPlayers, seats: 0, players: new Map(), nextId: 1, seed: rooms.size + 1 };
  rooms.set(id, room);
  return room;
}
/** Tickwire's room ids are 16 base64url characters; these are too. */
const newRoomId = () => `bare${String(++roomNumber).padStart(12, '0')}`;
const defaultRoom = makeRoom('default', Number.MAX_SAFE_INTEGER);

function random(room: BareRoom): number {
  room.seed = (room.seed * 1103515245 + 12345) % 2147483648;
  return room.seed / 2147483648;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The room a matchmaking body gets a seat in, or the error Tickwire would answer. */
function seatFor(body: Record<string, unknown>): BareRoom | { status: number; error: string } {
  const maxPlayers = typeof body.maxPlayers === 'number' ? body.maxPlayers : defaultMaxPlayers;
  if (body.mode === 'create') return makeRoom(newRoomId(), maxPlayers);
  if (body.mode === 'join') {
    const room = typeof body.roomId === 'string' ? rooms.get(body.roomId) : undefined;
    if (room === undefined) return { status: 404, error: 'no-such-room' };
    return room.seats < room.maxPlayers ? room : { status: 409, error: 'room-full' };
  }
  if (body.mode === 'joinOrCreate') {
    let fullest: BareRoom | undefined;
    for (const room of rooms.values()) {
      if (room === defaultRoom || room.maxPlayers !== maxPlayers || room.seats >= room.maxPlayers) continue;
      if (fullest === undefined || room.seats > fullest.seats) fullest = room;
    }
    return fullest ?? makeRoom(newRoomId(), maxPlayers);
  }
  return { status: 400, error: 'bad-request' };
}

function matchmake(req: IncomingMessage, res: ServerResponse, wsBase: string): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      answer(res, 400, { error: 'bad-request', message: 'not JSON' });
      return;
    }
    if (size > MAX_BODY || typeof body !== 'object' || body === null) {
      answer(res, 400, { error: 'bad-request', message: 'not a matchmaking body' });
      return;
    }
    const room = seatFor(body as Record<string, unknown>);
    if ('error' in room) {
      answer(res, room.status, { error: room.error, message: room.error });
      return;
    }
    room.seats++;
    answer(res, 200, { roomId: room.id, wsUrl: `${wsBase}/${room.id}`, seat: 'bare', expiresAt: Date.now() + SEAT_MS });
  });
}

let wsBase = '';
const http = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/matchmake') matchmake(req, res, wsBase);
  else if (req.url === '/healthz') {
    let players = 0;
    for (const room of rooms.values()) players += room.players.size;
    answer(res, 200, { status: 'ok', rooms: rooms.size - 1, players, roomTicks });
  } else res.writeHead(404).end();
});
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 512 });
http.on('upgrade', (req, socket, head) => {
  const path = req.url ?? '';
  const room = path === '/ws' ? defaultRoom : path.startsWith('/ws/') ? rooms.get(path.slice(4)) : undefined;
  if (room === undefined) {
    socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => join(ws, room));
});

function join(ws: WebSocket, room: BareRoom): void {
  const { players } = room;
  ws.on('error', () => {});
  ws.on('message', (data) => {
    let message: unknown;
    try {
      message = packr.unpack(data as Buffer);
    } catch {
      ws.terminate();
      return;
    }
    if (!Array.isArray(message)) return;
    if (message[0] === 1 && !players.has(ws)) {
      const id = room.nextId++;
      players.set(ws, {
        id,
        x: Math.floor(random(room) * WORLD),
        y: Math.floor(random(room) * WORLD),
        vx: 0,
        vy: 0,
        angle: 0,
        moveX: 0,
        moveY: 0,
      });
      ws.send(
        packr.pack([
          64,
          PROTOCOL_VERSION,
          id,
          tick,
          tickRate,
          tickRate,
          2048,
          2048,
          SCALE,
          256,
          200,
          65535,
          ARENA_MAP_HASH,
        ]),
      );
    } else if (message[0] === 2) {
      const player = players.get(ws);
      if (player) {
        // INPUT: [2, seq, ackTick, tick, moveX, moveY, buttons]
        player.moveX = Number(message[4]) || 0;
        player.moveY = Number(message[5]) || 0;
      }
    }
  });
  ws.on('close', () => players.delete(ws));
}

/** One room's tick: move its players, then one full snapshot to every one of them. */
function tickRoom(players: Map<WebSocket, Player>): void {
  const created: number[][] = [];
  for (const p of players.values()) {
    p.vx = Math.round(p.moveX * STEP);
    p.vy = Math.round(p.moveY * STEP);
    p.x = Math.min(WORLD, Math.max(0, p.x + p.vx));
    p.y = Math.min(WORLD, Math.max(0, p.y + p.vy));
    if (p.moveX !== 0 || p.moveY !== 0)
      p.angle = (Math.round((Math.atan2(p.moveY, p.moveX) / (2 * Math.PI)) * 256) + 256) % 256;
    created.push([p.id, p.vx, p.vy, p.x, p.y, p.angle, 100]);
  }
  // SNAPSHOT: [65, head 1 (the tick, as in every full snapshot; no input figure or pong), tick, baseAge 0 = full,
  // created, changed, removed]. As before protocol 9, no shots or kills lists and no entity kind: the
  // bots of the bench read only the tick (peekSnapshotTick), and the yardstick's bytes stay comparable.
  const frame = packr.pack([65, 1, tick, 0, created, [], []]);
  for (const ws of players.keys()) ws.send(frame);
}

// The naive schedule: one timer, every room's tick back to back at the same instant.
setInterval(() => {
  tick++;
  for (const room of rooms.values()) {
    if (room.players.size === 0) continue;
    tickRoom(room.players);
    roomTicks++;
  }
}, 1000 / tickRate);

http.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  wsBase = `ws://127.0.0.1:${port}/ws`;
  console.log(
    JSON.stringify({
      msg: 'listening on bare reference server',
      url: `http://127.0.0.1:${port}`,
      wsUrl: wsBase,
      port,
    }),
  );
});
process.on('SIGTERM', () => process.exit(0));
