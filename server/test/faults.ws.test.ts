// Entry-point guards, on a real server in this process with real sockets: an exception in a room's
// tick, a frame handler or an HTTP handler closes only what it served (that room's players 1011, that
// connection 1011, that request 500), is counted and logged, and the server and its other rooms
// carry on; request targets that once threw are answered 404.
import { request } from 'node:http';
import { connect } from 'node:net';
import {
  ClientMessageId,
  CloseCode,
  decodeServerFrame,
  encodeClientMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  ServerMessageId,
} from '@tickwire/protocol';
import { System } from 'ecsy';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defaultConfig } from '../src/config.js';
import { type RunningServer, startGameServer } from '../src/gameServer.js';
import { silentLogger } from '../src/log.js';

interface Player {
  ws: WebSocket;
  snapshots: number;
  welcomed: boolean;
  closed: { code: number; reason: string } | undefined;
}

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(): Promise<RunningServer> {
  server = await startGameServer({ ...defaultConfig(), port: 0, scenario: 'arena', tickRate: 30 }, silentLogger);
  return server;
}

/** Resolve once `condition` holds, polling every 10 ms; fail after 5 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not reached in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A seat in room `roomId`, or in a new room of `maxPlayers` when no room is named, from the server's matchmaker. */
async function seat(
  running: RunningServer,
  roomId?: string,
  maxPlayers = 8,
): Promise<{ roomId: string; seat: string }> {
  const body = roomId === undefined ? { mode: 'create', scenario: 'arena', maxPlayers } : { mode: 'join', roomId };
  const answer = await running.matchmaker.matchmake(body, undefined, Date.now());
  if (!answer.ok) throw new Error(`matchmake: ${answer.error}`);
  return answer;
}

function join(running: RunningServer, name: string, ticket: { roomId: string; seat: string }): Player {
  const ws = new WebSocket(`${running.wsUrl}/${ticket.roomId}`);
  const player: Player = { ws, snapshots: 0, welcomed: false, closed: undefined };
  ws.binaryType = 'nodebuffer';
  ws.on('open', () =>
    ws.send(
      encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name, seat: ticket.seat }),
    ),
  );
  ws.on('error', () => {});
  const held = newSnapshotHeaderState();
  ws.on('message', (data: Buffer) => {
    const decoded = decodeServerFrame(data, held);
    if (!decoded.ok) return;
    if (decoded.message.id === ServerMessageId.WELCOME) player.welcomed = true;
    if (decoded.message.id === ServerMessageId.SNAPSHOT) player.snapshots++;
  });
  ws.on('close', (code, reason) => {
    player.closed = { code, reason: reason.toString() };
  });
  return player;
}

function get(running: RunningServer, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${running.url}${path}`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.path = path;
    req.on('error', reject);
    req.end();
  });
}

/** Raw HTTP, so a target like `//` or `/\` reaches the server exactly as written. */
function rawRequest(running: RunningServer, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(running.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(head);
  });
}

/** The room a hosted id names (it must be live). */
function roomOf(running: RunningServer, roomId: string) {
  const found = running.host.lookup(roomId);
  if (found.state !== 'live') throw new Error(`room ${roomId} is ${found.state}`);
  return found.room;
}

describe('a tick that throws', () => {
  it('closes that room’s players with 1011, refuses its socket with 410, and the other room plays on', async () => {
    const running = await start();
    const first = await seat(running);
    const a = join(running, 'a', first);
    const b = join(running, 'b', await seat(running, first.roomId));
    const elsewhere = join(running, 'c', await seat(running));
    await until(() => a.snapshots > 0 && b.snapshots > 0 && elsewhere.snapshots > 0);
    class ThrowingSystem extends System {
      execute(): void {
        throw new Error('injected fault');
      }
    }
    roomOf(running, first.roomId).world.registerSystem(ThrowingSystem);
    await until(() => a.closed !== undefined && b.closed !== undefined);
    expect(a.closed!.code).toBe(CloseCode.INTERNAL_ERROR);
    expect(b.closed!.code).toBe(CloseCode.INTERNAL_ERROR);
    expect(running.faults.counts.tick).toBe(1);
    expect(running.host.lookup(first.roomId).state).toBe('gone');
    // One room failing is not the process failing.
    expect(running.health().status).toBe('ok');
    expect(await get(running, '/healthz')).toBe(200);
    expect(running.health().rooms).toMatchObject({ failed: 1 });
    const late = new WebSocket(`${running.wsUrl}/${first.roomId}`);
    const status = await new Promise<number>((resolve) => {
      late.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      late.on('error', () => {});
    });
    expect(status).toBe(410);
    const seen = elsewhere.snapshots;
    await until(() => elsewhere.snapshots > seen + 3);
    expect(elsewhere.closed).toBeUndefined();
    elsewhere.ws.close();
  });
});

describe('a frame handler that throws', () => {
  it('closes that connection with 1011 while the other player keeps getting snapshots', async () => {
    const running = await start();
    const ticket = await seat(running);
    const victim = join(running, 'victim', ticket);
    const other = join(running, 'other', await seat(running, ticket.roomId));
    await until(() => victim.welcomed && other.snapshots > 0);
    const room = roomOf(running, ticket.roomId);
    const chat = room.chat;
    chat.receive = () => {
      throw new Error('injected fault');
    };
    victim.ws.send(encodeClientMessage({ id: ClientMessageId.CHAT, text: 'hello' }));
    await until(() => victim.closed !== undefined);
    expect(victim.closed!.code).toBe(CloseCode.INTERNAL_ERROR);
    expect(running.faults.counts.frame).toBe(1);
    expect(room.playerCount).toBe(1);
    const seen = other.snapshots;
    await until(() => other.snapshots > seen + 3);
    expect(other.closed).toBeUndefined();
    other.ws.close();
  });
});

describe('an HTTP handler that throws', () => {
  it('answers 500 to that request and the next request as usual', async () => {
    const running = await start();
    running.telemetry.stats = () => {
      throw new Error('injected fault');
    };
    expect(await get(running, '/stats')).toBe(500);
    expect(running.faults.counts.http).toBe(1);
    expect(await get(running, '/healthz')).toBe(200);
  });
});

describe('request targets that new URL() cannot parse', () => {
  it.each(['//', '///', '//[', '/\\'])('GET %s is answered 404 and the server carries on', async (target) => {
    const running = await start();
    const answer = await rawRequest(running, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer.startsWith('HTTP/1.1 404')).toBe(true);
    expect(await get(running, '/healthz')).toBe(200);
  });

  it.each(['//', '///', '//[', '/\\'])('an upgrade to %s is refused with 404', async (target) => {
    const running = await start();
    const answer = await rawRequest(
      running,
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(answer.startsWith('HTTP/1.1 404')).toBe(true);
    expect(await get(running, '/healthz')).toBe(200);
    // Counted for operators: /healthz `refusals` by status.
    expect(running.health().refusals).toEqual({ 404: 1 });
  });
});
