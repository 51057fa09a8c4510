// The /lobby socket over real sockets on 127.0.0.1 with a fake clock and timers: the list on
// connect, numbered changes (the first at once, then ≤ 1 per 250 ms), resync after a gap, the
// Origin rule, the viewer cap, the 1008 policy, the heartbeat and shutdown.
import { createServer, type Server } from 'node:http';
import { CloseCode, LOBBY_RESYNC, type LobbyMessage, LobbyMirror, type LobbyRoom } from '@tickwire/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Refusals } from '../src/http/refusals.js';
import { LOBBY_HEARTBEAT_MS, LobbyEndpoint } from '../src/lobby/lobbySocket.js';
import { silentLogger } from '../src/log.js';
import { refuseUpgrade } from '../src/transport/wsTransport.js';
import { FakeTimers } from './support/fakeTimers.js';
import { until } from './support/until.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const room = (id: string, players = 0): LobbyRoom => ({
  id,
  scenario: 'arena',
  players,
  maxPlayers: 8,
  tickRate: 30,
  createdAt: 1_700_000_000_000,
});

async function serve(options: { allowedOrigins?: string[]; maxViewers?: number } = {}) {
  const timers = new FakeTimers();
  const refusals = new Refusals();
  const lobby = new LobbyEndpoint({
    allowedOrigins: options.allowedOrigins ?? [],
    log: silentLogger,
    refusals,
    now: timers.now,
    timers,
    ...(options.maxViewers === undefined ? {} : { maxViewers: options.maxViewers }),
  });
  const server: Server = createServer();
  server.on('upgrade', (req, socket, head) => {
    if (req.url === '/lobby') lobby.upgrade(req, socket, head);
    else refuseUpgrade(socket, 404, 'Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  cleanups.push(() => lobby.close());
  const { port } = server.address() as { port: number };
  return { lobby, timers, refusals, url: `ws://127.0.0.1:${port}/lobby` };
}

/** A lobby client that records every message, and how it was refused or closed. */
class Viewer {
  readonly messages: LobbyMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  opened = false;
  refusedStatus: number | undefined;
  readonly ws: WebSocket;

  constructor(url: string, options: { origin?: string; autoPong?: boolean } = {}) {
    this.ws = new WebSocket(url, {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      autoPong: options.autoPong ?? true,
    });
    this.ws.on('open', () => {
      this.opened = true;
    });
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as LobbyMessage);
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
    });
    this.ws.on('unexpected-response', (_req, res) => {
      this.refusedStatus = res.statusCode;
      this.ws.terminate();
    });
    this.ws.on('error', () => {});
    cleanups.push(() => this.ws.terminate());
  }

  get last(): LobbyMessage {
    return this.messages.at(-1)!;
  }

  async next(count = this.messages.length + 1): Promise<LobbyMessage> {
    await until(() => this.messages.length >= count || this.closed !== undefined);
    return this.messages[count - 1]!;
  }
}

async function connected(url: string, options?: { origin?: string; autoPong?: boolean }) {
  const viewer = new Viewer(url, options);
  await viewer.next(1);
  return viewer;
}

describe('/lobby', () => {
  it('sends a new viewer the list as last published, with its number', async () => {
    const { lobby, timers, url } = await serve();
    lobby.roomAdded(room('a', 1));
    lobby.roomAdded(room('b', 2));
    timers.advanceTo(1);
    const viewer = await connected(url);
    expect(viewer.last).toEqual({ type: 'rooms', seq: 1, rooms: [room('a', 1), room('b', 2)] });
    expect(lobby.viewers).toBe(1);
  });

  it('sends the first change at once and later ones at most one per 250 ms, numbered consecutively', async () => {
    const { lobby, timers, url } = await serve();
    const viewer = await connected(url);
    expect(viewer.last).toEqual({ type: 'rooms', seq: 0, rooms: [] });

    lobby.roomAdded(room('a'));
    timers.advanceTo(1); // a zero delay, as on a real timer, is the next turn
    expect(await viewer.next(2)).toEqual({ type: 'changes', seq: 1, changes: [{ op: 'add', room: room('a') }] });

    lobby.playersChanged('a', 1);
    lobby.playersChanged('a', 2);
    timers.advanceTo(250);
    lobby.roomAdded(room('b'));
    expect(timers.pendingCount).toBe(2); // one flush timer (and the heartbeat), however many changes
    timers.advanceTo(251);
    expect(await viewer.next(3)).toEqual({
      type: 'changes',
      seq: 2,
      changes: [
        { op: 'players', id: 'a', players: 2 },
        { op: 'add', room: room('b') },
      ],
    });

    // A change every millisecond: each message carries the time it was sent as b's player count.
    for (let t = 252; t <= 2001; t++) {
      lobby.playersChanged('b', t);
      timers.advanceTo(t);
    }
    await viewer.next(10);
    const messages = viewer.messages;
    expect(messages.map((message) => message.seq)).toEqual(messages.map((_, i) => i));
    const sentAt = messages
      .slice(3)
      .map((m) => (m.type === 'changes' && m.changes[0]?.op === 'players' ? m.changes[0].players : -1));
    expect(sentAt).toEqual([501, 751, 1001, 1251, 1501, 1751, 2001]);
    expect(timers.pendingCount).toBe(1); // nothing waits: only the heartbeat
  });

  it('lets a viewer that missed a message resync and end with the same list as the server', async () => {
    const { lobby, timers, url } = await serve();
    const viewer = await connected(url);
    const mirror = new LobbyMirror();
    let dropped = 0;
    let resyncs = 0;
    viewer.ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as LobbyMessage;
      // Lose the second change message on the way, as a client that fell behind would.
      if (message.type === 'changes' && message.seq === 2 && dropped++ === 0) return;
      if (mirror.apply(message) === 'resync') {
        resyncs++;
        viewer.ws.send(LOBBY_RESYNC);
      }
    });
    mirror.apply(viewer.last);

    const truth = new Map<string, LobbyRoom>();
    const add = (r: LobbyRoom) => {
      truth.set(r.id, r);
      lobby.roomAdded(r);
    };
    add(room('a'));
    timers.advanceTo(1);
    add(room('b', 3));
    timers.advanceTo(251);
    truth.delete('a');
    lobby.roomRemoved('a');
    add(room('c', 5));
    timers.advanceTo(501);
    await until(() => resyncs === 1 && mirror.seq === 3);
    expect(dropped).toBe(1);
    expect(mirror.rooms).toEqual(truth);
  });

  it('answers "resync" with the whole list again', async () => {
    const { lobby, timers, url } = await serve();
    lobby.roomAdded(room('a', 4));
    timers.advanceTo(1);
    const viewer = await connected(url);
    viewer.ws.send(LOBBY_RESYNC);
    expect(await viewer.next(2)).toEqual({ type: 'rooms', seq: 1, rooms: [room('a', 4)] });
  });

  it('refuses a foreign Origin with 403 and no socket, and lets its own page and listed origins in', async () => {
    const { lobby, url, refusals } = await serve({ allowedOrigins: ['https://game.example'] });
    const foreign = new Viewer(url, { origin: 'https://evil.example' });
    await until(() => foreign.refusedStatus !== undefined);
    expect(foreign.refusedStatus).toBe(403);
    expect(refusals.byStatus).toEqual({ 403: 1 });
    await connected(url, { origin: 'https://game.example' });
    await connected(url, { origin: new URL(url).origin.replace('ws:', 'http:') });
    expect(lobby.viewers).toBe(2);
  });

  it('refuses viewers past the cap with 503, and takes one again after a viewer leaves', async () => {
    const { lobby, url, refusals } = await serve({ maxViewers: 2 });
    const first = await connected(url);
    await connected(url);
    const third = new Viewer(url);
    await until(() => third.refusedStatus !== undefined);
    expect(third.refusedStatus).toBe(503);
    expect(refusals.byStatus).toEqual({ 503: 1 });
    first.ws.close();
    await until(() => lobby.viewers === 1);
    await connected(url);
  });

  it('closes a viewer with 1008 for any text but "resync", for a binary frame, and for a fifth frame in a second', async () => {
    const { timers, url } = await serve();
    const chatty = await connected(url);
    chatty.ws.send('hello');
    await until(() => chatty.closed !== undefined);
    expect(chatty.closed!.code).toBe(CloseCode.POLICY_VIOLATION);

    const binary = await connected(url);
    binary.ws.send(Buffer.from(LOBBY_RESYNC));
    await until(() => binary.closed !== undefined);
    expect(binary.closed!.code).toBe(CloseCode.POLICY_VIOLATION);

    const flooder = await connected(url);
    for (let i = 0; i < 5; i++) flooder.ws.send(LOBBY_RESYNC);
    await until(() => flooder.closed !== undefined);
    expect(flooder.closed!.code).toBe(CloseCode.POLICY_VIOLATION);
    expect(flooder.messages).toHaveLength(5); // the list on connect, then four answers

    // Four a second for good: never closed.
    const steady = await connected(url);
    for (let i = 1; i <= 12; i++) {
      steady.ws.send(LOBBY_RESYNC);
      await steady.next(i + 1);
      timers.advanceTo(timers.nowMs + 250);
    }
    expect(steady.closed).toBeUndefined();
  });

  it('closes a frame over 64 bytes with 1009', async () => {
    const { url } = await serve();
    const viewer = await connected(url);
    viewer.ws.send('x'.repeat(65));
    await until(() => viewer.closed !== undefined);
    expect(viewer.closed!.code).toBe(CloseCode.FRAME_TOO_LARGE);
  });

  it('pings every 30 s and drops a viewer that did not answer by the next heartbeat', async () => {
    const { lobby, timers, url } = await serve();
    const answering = await connected(url);
    const silent = await connected(url, { autoPong: false });
    let pings = 0;
    silent.ws.on('ping', () => pings++);
    timers.advanceTo(LOBBY_HEARTBEAT_MS);
    await until(() => pings === 1);
    // A round trip after the ping: the answering viewer's pong (sent first, on an ordered socket) is in.
    answering.ws.send(LOBBY_RESYNC);
    await answering.next(2);
    timers.advanceTo(2 * LOBBY_HEARTBEAT_MS);
    await until(() => silent.closed !== undefined && lobby.viewers === 1);
    expect(silent.closed!.code).toBe(1006);
    expect(answering.closed).toBeUndefined();
  });

  it('closes every viewer with 1001 on close, stops its timers and refuses later viewers with 503', async () => {
    const { lobby, timers, url } = await serve();
    const viewer = await connected(url);
    lobby.roomAdded(room('a'));
    lobby.close();
    await until(() => viewer.closed !== undefined);
    expect(viewer.closed!.code).toBe(CloseCode.SERVER_SHUTDOWN);
    expect(timers.pendingCount).toBe(0);
    const late = new Viewer(url);
    await until(() => late.refusedStatus !== undefined);
    expect(late.refusedStatus).toBe(503);
  });
});
