// The bare reference server for benches: plain ws + msgpackr, no framework, no validation beyond
// what keeps it alive, one full-state buffer encoded per tick and broadcast to every client.
// It speaks Tickwire's protocol (full snapshots only, baseAge 0) so the same bots measure both; only
// PROTOCOL_VERSION and the arena's map hash come from the protocol package, the layouts are written out here.
// Not a product: a yardstick for what moving the messages costs. Run by bench/arena.ts.
//
//   node --import tsx bench/bareServer.ts --port 0 [--tick-rate 30]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ARENA_MAP_HASH, PROTOCOL_VERSION } from '@tickwire/protocol';
import { Packr } from 'msgpackr';
import { type WebSocket, WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'tick-rate': { type: 'string', default: '30' } },
});
const tickRate = Number(values['tick-rate']);
const packr = new Packr({ useRecords: false, moreTypes: false });

const SCALE = 16; // the same 1/16-unit grid as Tickwire, so both send the same numbers
const WORLD = 2048 * SCALE;
const STEP = (200 * SCALE) / tickRate;

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

const players = new Map<WebSocket, Player>();
let nextId = 1;
let tick = 0;
let seed = 1;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false, maxPayload: 512 });
wss.on('connection', (ws) => {
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
      const id = nextId++;
      players.set(ws, {
        id,
        x: Math.floor(random() * WORLD),
        y: Math.floor(random() * WORLD),
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
});

setInterval(() => {
  tick++;
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
  // SNAPSHOT: [65, tick, lastInputSeq, inputBuffer, starved, dropped, pong, baseAge 0 = full, created, changed, removed]
  const frame = packr.pack([65, tick, 0, 0, 0, 0, [], 0, created, [], []]);
  for (const ws of players.keys()) ws.send(frame);
}, 1000 / tickRate);

http.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  console.log(
    JSON.stringify({
      msg: 'listening on bare reference server',
      url: `http://127.0.0.1:${port}`,
      wsUrl: `ws://127.0.0.1:${port}/ws`,
      port,
    }),
  );
});
process.on('SIGTERM', () => process.exit(0));
