// Integration: rooms in the real server process. 500 concurrent joinOrCreate calls never overfill a
// room (seats counted, then every seat used at once); two rooms never see each other's entities,
// roster, chat or shots; a flood and a malformed frame in one room leave the other room's players
// untouched; an unknown room's socket is refused with 404 and an ended one with 410, before any
// WebSocket exists; /lobby pushes a join to its viewers within a second.
import {
  Button,
  ClientMessageId,
  CloseCode,
  encodeClientMessage,
  type LobbyMessage,
  LobbyMirror,
  PROTOCOL_VERSION,
} from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openWsSocket } from '../client/src/bot/wsSocket.js';
import { type MatchmakeOutcome, matchmake } from '../client/src/net/matchmake.js';
import { NetClient } from '../client/src/net/netClient.js';
import { getHealth, type ServerProcess, startServer, waitForHealth } from './support/serverProcess.js';

type Seat = Extract<MatchmakeOutcome, { ok: true }>;

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer(['--debug-state', 'true', '--room-idle-ms', '1000', '--max-total-players', '4096']);
});

afterAll(async () => {
  await server?.stop();
});

async function seat(body: Parameters<typeof matchmake>[1]): Promise<Seat> {
  const answer = await matchmake(server.url, body);
  if (!answer.ok) throw new Error(`matchmake: ${answer.status} ${answer.error} ${answer.message}`);
  return answer;
}

/** Resolve once `condition` holds, polling every 20 ms; reject naming `what` after 10 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Honest {
  net: NetClient;
  name: string;
  chats: string[];
  shots: number;
  snapshots: number;
  closed: number | undefined;
  /** Every entity id ever seen in this client's world. */
  seen: Set<number>;
}

/** A player with the real client code, seated by `ticket`. */
function honest(ticket: Seat, name: string): Honest {
  const player: Honest = {
    net: undefined as never,
    name,
    chats: [],
    shots: 0,
    snapshots: 0,
    closed: undefined,
    seen: new Set(),
  };
  player.net = new NetClient({
    socket: openWsSocket(ticket.wsUrl),
    name,
    seat: ticket.seat,
    now: () => performance.now(),
    pace: false,
    interpolate: false,
    onSnapshot: (_snapshot, world) => {
      player.snapshots++;
      for (const id of Object.keys(world.toObject())) player.seen.add(Number(id));
    },
    onChat: (chat) => player.chats.push(chat.text),
    onShot: () => {
      player.shots++;
    },
    onClose: (event) => {
      player.closed = event.code;
    },
  });
  return player;
}

/** Raw upgrade to `path`: the HTTP status the server answers (101 when a WebSocket opens). */
function upgradeStatus(path: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => {});
  });
}

interface RoomRow {
  id: string;
  players: number;
  maxPlayers: number;
}

async function roomRows(): Promise<RoomRow[]> {
  return (await getHealth(server)).roomList as RoomRow[];
}

describe('500 concurrent joinOrCreate calls', () => {
  it('never put more than maxPlayers in a room: seats per room, then players per room while all join at once', async () => {
    const ROOM_SIZE = 8;
    const answers = await Promise.all(
      Array.from({ length: 500 }, () => seat({ mode: 'joinOrCreate', scenario: 'arena', maxPlayers: ROOM_SIZE })),
    );
    const perRoom = new Map<string, number>();
    for (const answer of answers) perRoom.set(answer.roomId, (perRoom.get(answer.roomId) ?? 0) + 1);
    expect(Math.max(...perRoom.values())).toBeLessThanOrEqual(ROOM_SIZE);
    // Compact: every room but the last is full.
    expect(perRoom.size).toBe(Math.ceil(500 / ROOM_SIZE));
    // Every seat used at once; a room's player count is checked during the joins and after.
    const sockets = answers.map((answer, i) => {
      const ws = new WebSocket(answer.wsUrl, { perMessageDeflate: false });
      ws.on('open', () =>
        ws.send(
          encodeClientMessage({
            id: ClientMessageId.HELLO,
            protocolVersion: PROTOCOL_VERSION,
            name: `c${i}`,
            seat: answer.seat,
          }),
        ),
      );
      ws.on('error', () => {});
      return ws;
    });
    let overfull = 0;
    await waitForHealth(
      server,
      (health) => {
        for (const row of health.roomList as RoomRow[]) if (row.players > row.maxPlayers) overfull++;
        return (health.players as number) >= 500;
      },
      30_000,
      '500 players',
    );
    const rows = await roomRows();
    expect(overfull).toBe(0);
    for (const row of rows) expect(row.players).toBeLessThanOrEqual(row.maxPlayers);
    // A replayed seat changes nothing: refused with 4015 (or 4006 when its room is full).
    const replay = new WebSocket(answers[0]!.wsUrl);
    const code = await new Promise<number>((resolve) => {
      replay.on('open', () =>
        replay.send(
          encodeClientMessage({
            id: ClientMessageId.HELLO,
            protocolVersion: PROTOCOL_VERSION,
            name: 'again',
            seat: answers[0]!.seat,
          }),
        ),
      );
      replay.on('close', (closeCode) => resolve(closeCode));
    });
    expect([CloseCode.SEAT_USED, CloseCode.ROOM_FULL]).toContain(code);
    for (const ws of sockets) ws.close();
    await waitForHealth(server, (health) => health.players === 0, 30_000, 'everyone gone');
  }, 120_000);
});

describe('two rooms', () => {
  it('never see each other’s entities, roster, chat or shots', async () => {
    const a1 = honest(await seat({ mode: 'create', scenario: 'arena', maxPlayers: 4 }), 'ann');
    await until(() => a1.snapshots > 0, 'ann in room A');
    const roomA = (await roomRows()).find((row) => row.players === 1 && row.maxPlayers === 4)!;
    const a2 = honest(await seat({ mode: 'join', roomId: roomA.id }), 'abe');
    const b1 = honest(await seat({ mode: 'create', scenario: 'arena', maxPlayers: 4 }), 'bob');
    await until(() => a2.snapshots > 0 && b1.snapshots > 0, 'everyone playing');
    for (let i = 0; i < 30; i++) {
      a1.net.sendInput({ moveX: 1, moveY: 0, aimAngle: 0 }, Button.PRIMARY);
      a2.net.sendInput({ moveX: -1, moveY: 0, aimAngle: Math.PI }, Button.PRIMARY);
      await new Promise((resolve) => setTimeout(resolve, 33));
    }
    a1.net.sendChat('only room A hears this');
    await until(() => a2.chats.includes('only room A hears this') && a2.shots > 0, 'room A’s chat and shots');
    const before = b1.snapshots;
    await until(() => b1.snapshots > before + 10, 'room B still getting snapshots');
    expect([...b1.net.players.values()].map((p) => p.name)).toEqual(['bob']);
    expect([...b1.seen]).toEqual([b1.net.playerId]);
    expect(b1.chats).toEqual([]);
    expect(b1.shots).toBe(0);
    expect(new Set([...a1.net.players.values()].map((p) => p.name))).toEqual(new Set(['ann', 'abe']));
    for (const p of [a1, a2, b1]) p.net.connection.close();
  });
});

describe('a bad client in one room', () => {
  it('is closed with its code (flood 4007, malformed 4002) while the other room’s players carry on', async () => {
    const calm = honest(await seat({ mode: 'create', scenario: 'arena', maxPlayers: 4 }), 'calm');
    await until(() => calm.snapshots > 0, 'calm playing');
    const bad = await seat({ mode: 'create', scenario: 'arena', maxPlayers: 4 });
    const badSeat2 = await seat({ mode: 'join', roomId: bad.roomId });
    const closes: number[] = [];
    for (const [ticket, attack] of [
      [bad, 'flood'],
      [badSeat2, 'malformed'],
    ] as const) {
      const ws = new WebSocket(ticket.wsUrl, { perMessageDeflate: false });
      ws.on('error', () => {});
      ws.on('close', (code) => closes.push(code));
      ws.on('open', () => {
        ws.send(
          encodeClientMessage({
            id: ClientMessageId.HELLO,
            protocolVersion: PROTOCOL_VERSION,
            name: attack,
            seat: ticket.seat,
          }),
        );
        if (attack === 'flood')
          for (let i = 0; i < 500; i++) ws.send(encodeClientMessage({ id: ClientMessageId.CHAT, text: 'x' }));
        else ws.send(Buffer.from([0x93, 0x02, 0xc1, 0xc1]));
      });
    }
    await until(() => closes.length === 2, 'both bad clients closed');
    expect(closes.sort()).toEqual([CloseCode.INVALID_MESSAGE, CloseCode.INPUT_FLOOD].sort());
    const before = calm.snapshots;
    await until(() => calm.snapshots > before + 15, 'calm still getting snapshots');
    expect(calm.closed).toBeUndefined();
    calm.net.connection.close();
  });
});

describe('a room’s socket', () => {
  it('is refused with 404 for an unknown room and 410 for an ended one, before any WebSocket', async () => {
    expect(await upgradeStatus('/ws/AAAAAAAAAAAAAAAA')).toBe(404);
    expect(await upgradeStatus('/ws')).toBe(404);
    const ticket = await seat({ mode: 'create', scenario: 'arena', maxPlayers: 2 });
    expect(await upgradeStatus(`/ws/${ticket.roomId}`)).toBe(101);
    const closed = await fetch(`${server.url}/rooms/${ticket.roomId}/close`, { method: 'POST' });
    expect(closed.status).toBe(204);
    expect(await upgradeStatus(`/ws/${ticket.roomId}`)).toBe(410);
  });
});

describe('/lobby', () => {
  it('lists public rooms on connect and pushes a join within 1 s, numbered; a private room never appears', async () => {
    const mirror = new LobbyMirror();
    const arrivals: { atMs: number; message: LobbyMessage }[] = [];
    const viewer = new WebSocket(`ws://127.0.0.1:${server.port}/lobby`);
    viewer.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      const message = JSON.parse(String(data)) as LobbyMessage;
      arrivals.push({ atMs: performance.now(), message });
      expect(mirror.apply(message)).toBe('ok');
    });
    await until(() => mirror.seq !== undefined, 'the room list');
    const hidden = await seat({ mode: 'create', scenario: 'arena', maxPlayers: 4, private: true });
    const ticket = await seat({ mode: 'create', scenario: 'arena', maxPlayers: 4 });
    await until(() => mirror.rooms.has(ticket.roomId), 'the new room listed');
    const player = honest(ticket, 'lobbyist');
    await until(() => player.snapshots > 0, 'the player joined');
    const joinedAtMs = performance.now();
    await until(() => mirror.rooms.get(ticket.roomId)?.players === 1, 'the join pushed');
    const pushed = arrivals.find(
      (a) =>
        a.message.type === 'changes' &&
        a.message.changes.some((c) => c.op === 'players' && c.id === ticket.roomId && c.players === 1),
    )!;
    expect(pushed.atMs - joinedAtMs).toBeLessThan(1000);
    expect(mirror.rooms.has(hidden.roomId)).toBe(false);
    // Numbered without a gap: every message applied (the mirror said 'ok' to each).
    const seqs = arrivals.map((a) => a.message.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    player.net.connection.close();
    viewer.close();
  });
});
