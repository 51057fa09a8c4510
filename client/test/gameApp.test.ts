// The page's join flow with a fake matchmaker and fake sockets: a join asks POST /matchmake, opens the
// answer's wsUrl and sends its seat in HELLO; a refused join stays on the join screen with the
// server's message; a game that ends for any reason returns to the lobby with why, and the lobby
// socket is live again.
import { ClientMessageId, CloseCode, GAME_MAP_HASH } from '@tickwire/protocol';
import { describe, expect, it, vi } from 'vitest';
import { GameApp, REJOINED_NOTICE } from '../src/game/app.js';
import { pageStartOf } from '../src/game/lobby/pageStart.js';
import { RESUME_KEY, type SavedResume } from '../src/game/lobby/savedResume.js';
import { FakeSocket } from './support/fakeSocket.js';
import { FakeTextSocket, ManualClock } from './support/fakeTextSocket.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

const ORIGIN = 'http://127.0.0.1:8080';

function harness(search = '', answers: { status: number; body: object }[] = [], saved?: SavedResume) {
  const requests: { url: string; body: unknown }[] = [];
  const gameSockets: { url: string; socket: FakeSocket }[] = [];
  const lobbySockets: FakeTextSocket[] = [];
  const stored = new Map<string, string>();
  /** The tab's sessionStorage. */
  const tab = new Map<string, string>(saved === undefined ? [] : [[RESUME_KEY, JSON.stringify(saved)]]);
  const clock = new ManualClock();
  const fetch = (async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    requests.push({ url: String(input), body: JSON.parse(String(init?.body)) });
    const answer = answers.shift() ?? { status: 503, body: { error: 'at-capacity', message: 'no answer scripted' } };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  const app = new GameApp({
    origin: ORIGIN,
    fetch,
    openGameSocket: (url) => {
      const socket = new FakeSocket();
      gameSockets.push({ url, socket });
      return socket;
    },
    openLobbySocket: (url) => {
      const socket = new FakeTextSocket(url);
      lobbySockets.push(socket);
      return socket;
    },
    schedule: clock.schedule,
    storage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, v) },
    resumeStorage: {
      getItem: (k) => tab.get(k) ?? null,
      setItem: (k, v) => tab.set(k, v),
      removeItem: (k) => tab.delete(k),
    },
    start: pageStartOf(new URLSearchParams(search), undefined),
  });
  const savedNow = (): SavedResume | undefined => {
    const raw = tab.get(RESUME_KEY);
    return raw === undefined ? undefined : JSON.parse(raw);
  };
  return { app, requests, gameSockets, lobbySockets, stored, savedNow, clock };
}

const SAVED: SavedResume = {
  roomId: 'room-g',
  wsUrl: 'ws://127.0.0.1:8080/ws/room-g',
  token: 'tok-1',
  name: 'ann',
  scenario: 'game',
};

const seated = (roomId: string, code?: string) => ({
  status: 200,
  body: {
    roomId,
    wsUrl: `ws://127.0.0.1:8080/ws/${roomId}`,
    seat: `seat-${roomId}`,
    expiresAt: 1,
    ...(code ? { code } : {}),
  },
});

describe('GameApp', () => {
  it('Quick play asks joinOrCreate, opens the room socket and sends the seat in HELLO', async () => {
    const { app, requests, gameSockets, lobbySockets, stored } = harness('', [seated('room-a')]);
    app.openLobby();
    expect(lobbySockets[0]!.url).toBe('ws://127.0.0.1:8080/lobby');
    await app.play({ kind: 'quick' }, 'ann');
    expect(requests).toEqual([{ url: `${ORIGIN}/matchmake`, body: { mode: 'joinOrCreate' } }]);
    expect(app.screen).toEqual({ kind: 'playing', roomId: 'room-a' });
    expect(gameSockets[0]!.url).toBe('ws://127.0.0.1:8080/ws/room-a');
    const socket = gameSockets[0]!.socket;
    socket.onopen?.({});
    expect(socket.last(ClientMessageId.HELLO)).toMatchObject({ name: 'ann', seat: 'seat-room-a' });
    // The lobby's socket is closed while playing; the name is saved for the next visit.
    expect(lobbySockets[0]!.closedWith).toBe(1000);
    expect(app.lobby.status).toBe('stopped');
    expect([...stored.values()]).toEqual(['ann']);
  });

  it('creates a private room and keeps its code and share link for the game screen', async () => {
    const { app, requests } = harness('', [seated('room-p', 'K7PX3Q')]);
    await app.play({ kind: 'create' }, 'ann');
    expect(requests[0]!.body).toEqual({ mode: 'create', private: true });
    expect(app.screen).toEqual({ kind: 'playing', roomId: 'room-p', code: 'K7PX3Q' });
    expect(app.shareLink('K7PX3Q')).toBe(`${ORIGIN}/?room=K7PX3Q`);
  });

  it.each([
    [404, 'no-such-room', 'no room has the code ZZZZZZ'],
    [409, 'room-full', 'the room is full'],
    [429, 'too-many-requests', 'too many matchmaking requests'],
    [503, 'draining', 'the server is shutting down'],
  ])('stays on the join screen with the message of a %i answer', async (status, error, message) => {
    const { app, gameSockets } = harness('', [{ status, body: { error, message } }]);
    app.openLobby();
    await app.play({ kind: 'code', code: 'ZZZZZZ' }, 'ann');
    expect(app.screen).toEqual({ kind: 'lobby', error: message });
    expect(gameSockets).toEqual([]);
    expect(app.lobby.status).toBe('connecting');
  });

  it('says so on the join screen when the server cannot be reached', async () => {
    const { app } = harness();
    const failing = new GameApp({
      ...(app as unknown as { deps: ConstructorParameters<typeof GameApp>[0] }).deps,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await failing.play({ kind: 'quick' }, 'ann');
    expect(failing.screen).toMatchObject({
      kind: 'lobby',
      error: expect.stringMatching(/could not reach the server/i),
    });
  });

  it.each([
    [CloseCode.ROOM_CLOSED, /room was closed/i],
    [CloseCode.SEAT_REFUSED, /did not accept this seat/i],
    [CloseCode.SEAT_EXPIRED, /expired/i],
    [CloseCode.INTERNAL_ERROR, /error of its own/i],
    [CloseCode.SERVER_SHUTDOWN, /shut down/i],
    [CloseCode.ROOM_FULL, /full/i],
    [1006, /connection lost/i],
  ])('returns to the lobby, saying why, when the game connection closes with %i', async (code, title) => {
    const { app, gameSockets, lobbySockets } = harness('', [seated('room-a')]);
    app.openLobby();
    const changes: string[] = [];
    app.subscribe(() => {
      if (changes.at(-1) !== app.screen.kind) changes.push(app.screen.kind);
    });
    await app.play({ kind: 'quick' }, 'ann');
    gameSockets[0]!.socket.onclose?.({ code, reason: 'because' });
    expect(app.screen).toEqual({
      kind: 'lobby',
      notice: { title: expect.stringMatching(title), detail: expect.any(String) },
    });
    expect(changes).toEqual(['joining', 'playing', 'ended', 'lobby']);
    // The lobby is live again on a new socket.
    expect(lobbySockets).toHaveLength(2);
    expect(app.lobby.status).toBe('connecting');
  });

  it('joins the ?room= of the URL with the ?name=, and a broken ?room= shows the join screen with why', async () => {
    const linked = harness('?room=k7px3q&name=bob', [seated('room-k')]);
    expect(linked.app.autoJoin).toEqual({ kind: 'code', code: 'k7px3q' });
    await linked.app.play(linked.app.autoJoin!, linked.app.name);
    expect(linked.requests[0]!.body).toEqual({ mode: 'join', roomId: 'k7px3q' });
    expect(linked.app.screen).toMatchObject({ kind: 'playing', roomId: 'room-k' });
    // Used once: the join screen after this game does not prefill the link's code again.
    expect(linked.app.code).toBe('');

    const broken = harness('?room=%3Cx%3E&name=bob');
    expect(broken.app.autoJoin).toBeUndefined();
    expect(broken.app.screen).toMatchObject({ kind: 'lobby', error: expect.stringMatching(/link/) });
  });

  it('ignores a second join while the first is out', async () => {
    const { app, requests } = harness('', [seated('room-a')]);
    const first = app.play({ kind: 'quick' }, 'ann');
    await app.play({ kind: 'create' }, 'ann');
    await first;
    expect(requests).toHaveLength(1);
    expect(app.screen).toMatchObject({ kind: 'playing', roomId: 'room-a' });
  });
});

describe('GameApp resume across a reload (sessionStorage)', () => {
  it('saves each WELCOME’s token with the room, its wsUrl, the name and the scenario', async () => {
    const { app, gameSockets, savedNow, clock } = harness('', [seated('room-g')]);
    await app.play({ kind: 'quick' }, 'ann');
    expect(savedNow()).toBeUndefined();
    const socket = gameSockets[0]!.socket;
    socket.deliver(welcomeMessage({ mapHash: GAME_MAP_HASH, resumeToken: 'tok-1', reconnectGraceMs: 8000 }));
    expect(savedNow()).toEqual(SAVED);
    // A drop keeps the game on screen; the resume's WELCOME brings a new token (each is accepted
    // once), and the saved one follows it.
    socket.onclose?.({ code: 1006, reason: '' });
    clock.advance(1000);
    expect(app.screen.kind).toBe('playing');
    expect(gameSockets).toHaveLength(2);
    gameSockets[1]!.socket.deliver(welcomeMessage({ mapHash: GAME_MAP_HASH, resumeToken: 'tok-2' }));
    expect(savedNow()).toEqual({ ...SAVED, token: 'tok-2' });
  });

  it('after 4019 MOVED saves the address the matchmaker located, so a reload resumes on the new process', async () => {
    const moved = {
      status: 200,
      body: { roomId: 'room-g', wsUrl: 'ws://10.0.0.2:8080/ws/room-g', seat: '', expiresAt: 1 },
    };
    const { app, requests, gameSockets, savedNow, clock } = harness('', [moved], SAVED);
    app.resumeAtLoad();
    gameSockets[0]!.socket.deliver(
      welcomeMessage({ mapHash: GAME_MAP_HASH, resumeToken: 'tok-2', reconnectGraceMs: 8000 }),
    );
    gameSockets[0]!.socket.onclose?.({ code: CloseCode.MOVED, reason: 'moved' });
    clock.advance(1000);
    await vi.waitFor(() => expect(gameSockets).toHaveLength(2));
    expect(requests[0]!.body).toEqual({ mode: 'resume', resumeToken: 'tok-2' });
    expect(gameSockets[1]!.url).toBe('ws://10.0.0.2:8080/ws/room-g');
    gameSockets[1]!.socket.deliver(
      welcomeMessage({ mapHash: GAME_MAP_HASH, resumeToken: 'tok-3', reconnectGraceMs: 8000 }),
    );
    expect(savedNow()).toEqual({ ...SAVED, wsUrl: 'ws://10.0.0.2:8080/ws/room-g', token: 'tok-3' });
  });

  it('at load takes back the saved player: HELLO with the token, no matchmaking, no join screen', () => {
    const { app, requests, gameSockets, lobbySockets, savedNow } = harness('?name=ann', [], SAVED);
    expect(app.resumeAtLoad()).toBe(true);
    expect(app.screen).toEqual({ kind: 'playing', roomId: 'room-g' });
    expect(requests).toEqual([]);
    expect(lobbySockets).toEqual([]);
    expect(gameSockets[0]!.url).toBe(SAVED.wsUrl);
    const socket = gameSockets[0]!.socket;
    socket.onopen?.({});
    expect(socket.last(ClientMessageId.HELLO)).toMatchObject({ name: 'ann', seat: '', resumeToken: 'tok-1' });
    socket.deliver(welcomeMessage({ mapHash: GAME_MAP_HASH, resumeToken: 'tok-2', reconnectGraceMs: 8000 }));
    socket.deliver(emptySnapshot(10));
    expect(savedNow()?.token).toBe('tok-2');
    expect(app.session!.state).toBe('playing');
  });

  it('at load without a saved token, or with a ?room= link, does not resume', () => {
    expect(harness('?name=ann').app.resumeAtLoad()).toBe(false);
    const linked = harness('?room=K7PX3Q&name=ann', [], SAVED);
    expect(linked.app.resumeAtLoad()).toBe(false);
    expect(linked.gameSockets).toEqual([]);
  });

  it(`after ${CloseCode.SESSION_EXPIRED} SESSION_EXPIRED joins afresh by Quick play in the same scenario and says so`, async () => {
    const { app, requests, gameSockets, savedNow } = harness('', [seated('room-h')], SAVED);
    app.resumeAtLoad();
    gameSockets[0]!.socket.onclose?.({ code: CloseCode.SESSION_EXPIRED, reason: 'session expired' });
    expect(savedNow()).toBeUndefined();
    await vi.waitFor(() => expect(app.screen).toEqual({ kind: 'playing', roomId: 'room-h' }));
    expect(requests).toEqual([{ url: `${ORIGIN}/matchmake`, body: { mode: 'joinOrCreate', scenario: 'game' } }]);
    gameSockets[1]!.socket.onopen?.({});
    expect(gameSockets[1]!.socket.last(ClientMessageId.HELLO)).toMatchObject({
      name: 'ann',
      seat: 'seat-room-h',
      resumeToken: '',
    });
    expect(app.session!.chat.all().map((line) => line.text)).toEqual([REJOINED_NOTICE]);
  });

  it.each([
    [CloseCode.REPLACED, /another tab/i],
    [CloseCode.RESUME_REFUSED, /refused to resume/i],
  ])('after %i goes to the join screen with the message and forgets the token', (code, title) => {
    const { app, requests, gameSockets, lobbySockets, savedNow } = harness('', [], SAVED);
    app.resumeAtLoad();
    gameSockets[0]!.socket.onclose?.({ code, reason: '' });
    expect(app.screen).toEqual({
      kind: 'lobby',
      notice: { title: expect.stringMatching(title), detail: expect.any(String) },
    });
    expect(savedNow()).toBeUndefined();
    expect(requests).toEqual([]);
    expect(lobbySockets).toHaveLength(1);
  });
});
