// The matchmaker against the in-memory directory: modes, typed errors, compact joinOrCreate, wrong-code
// limits, and 500 concurrent joinOrCreate calls that never overfill a room.
import { describe, expect, it } from 'vitest';
import { resumeTokens } from '../src/room/resumeTokens.js';
import { InMemoryDirectory } from '../src/rooms/directory.js';
import { GuessLimiter } from '../src/rooms/guessLimiter.js';
import { type CreateOutcome, Matchmaker, type MatchmakerOptions, type RoomSettings } from '../src/rooms/matchmaker.js';
import { signSeat } from '../src/rooms/seat.js';
import { admitSeat } from '../src/rooms/seatAdmission.js';

const secret = Buffer.from('a test secret of at least thirty-two characters');
const rules = {
  scenarios: ['game', 'arena'],
  defaultScenario: 'arena',
  defaultMaxPlayers: 8,
  maxPlayersCeiling: 1024,
  defaultTickRate: 30,
  defaultSnapshotRate: 30,
  defaultViewRadius: (scenario: string) => (scenario === 'world' ? 1000 : 0),
  maxViewRadius: 4000,
};
const NOW = 1_700_000_000_000;

function setup(over: Partial<MatchmakerOptions> = {}, maxRooms = Number.POSITIVE_INFINITY) {
  const directory = new InMemoryDirectory();
  const created: RoomSettings[] = [];
  const createRoom = async (settings: RoomSettings): Promise<CreateOutcome> => {
    await new Promise((resolve) => setImmediate(resolve)); // the process's creation may yield
    if (created.length >= maxRooms) return { ok: false, reason: 'at-capacity' };
    created.push(settings);
    return { ok: true, tickRate: 30 };
  };
  const mm = new Matchmaker({ directory, createRoom, secret, rules, guesses: new GuessLimiter(3), ...over });
  return { directory, created, mm };
}

/** Admit every seat into its room, as each room's door would, counting players per room. */
function admitAll(directory: InMemoryDirectory, results: { roomId: string; seat: string }[]) {
  const players = new Map<string, number>();
  for (const r of results) {
    const listing = directory.seatsOf(r.roomId)!;
    const door = { secret, roomId: r.roomId, seats: listing, players: players.get(r.roomId) ?? 0, maxPlayers: 8 };
    const admission = admitSeat(door, r.seat, NOW + 1000);
    expect(admission.ok).toBe(true);
    players.set(r.roomId, door.players + 1);
  }
  return players;
}

describe('Matchmaker', () => {
  it('never overfills a room under 500 concurrent joinOrCreate calls, and every seat admits once', async () => {
    const { directory, created, mm } = setup();
    const results = await Promise.all(
      Array.from({ length: 500 }, () => mm.matchmake({ mode: 'joinOrCreate', maxPlayers: 8 }, undefined, NOW)),
    );
    const seated = results.map((r) => {
      if (!r.ok) throw new Error(`${r.error}: ${r.message}`);
      return r;
    });
    for (const room of await directory.listPublic(NOW)) expect(room.players + room.pending).toBeLessThanOrEqual(8);
    const players = admitAll(directory, seated);
    for (const count of players.values()) expect(count).toBeLessThanOrEqual(8);
    // Compact: 500 players need 63 rooms of 8, and no more were made.
    expect(created).toHaveLength(63);
    expect([...players.values()].filter((n) => n === 8)).toHaveLength(62);
  });

  it('fills the fullest joinable room before creating one', async () => {
    const { directory, mm } = setup();
    const first = await mm.matchmake({ mode: 'joinOrCreate' }, undefined, NOW);
    const second = await mm.matchmake({ mode: 'joinOrCreate' }, undefined, NOW);
    expect(first.ok && second.ok && first.roomId === second.roomId).toBe(true);
    expect(await directory.listPublic(NOW)).toHaveLength(1);
  });

  it('answers a seat that expires after 15 s', async () => {
    const { mm } = setup();
    const r = await mm.matchmake({ mode: 'create' }, undefined, NOW);
    expect(r.ok && r.expiresAt).toBe(NOW + 15_000);
  });

  it('creates a private room with a code, unlisted, joinable by code and by id', async () => {
    const { directory, mm } = setup();
    const made = await mm.matchmake({ mode: 'create', private: true, scenario: 'game' }, undefined, NOW);
    if (!made.ok) throw new Error(made.message);
    expect(made.code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    expect(await directory.listPublic(NOW)).toEqual([]);
    expect((await mm.matchmake({ mode: 'joinOrCreate', scenario: 'game' }, undefined, NOW)).ok && true).toBe(true);
    const byCode = await mm.matchmake({ mode: 'join', roomId: made.code!.toLowerCase() }, 'k', NOW);
    const byId = await mm.matchmake({ mode: 'join', roomId: made.roomId }, 'k', NOW);
    expect(byCode.ok && byCode.roomId).toBe(made.roomId);
    expect(byId.ok && byId.roomId).toBe(made.roomId);
  });

  it('refuses a join to a room that does not exist (404) or is full (409)', async () => {
    const { mm } = setup();
    expect(await mm.matchmake({ mode: 'join', roomId: 'AAAAAAAAAAAAAAAA' }, undefined, NOW)).toMatchObject({
      ok: false,
      error: 'no-such-room',
    });
    const made = await mm.matchmake({ mode: 'create', maxPlayers: 1 }, undefined, NOW);
    if (!made.ok) throw new Error(made.message);
    expect(await mm.matchmake({ mode: 'join', roomId: made.roomId }, undefined, NOW)).toMatchObject({
      ok: false,
      error: 'room-full',
    });
  });

  it('rate-limits wrong code guesses per address, even a right guess once out of tokens', async () => {
    const { mm } = setup();
    const made = await mm.matchmake({ mode: 'create', private: true }, undefined, NOW);
    if (!made.ok) throw new Error(made.message);
    const wrong = made.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
    for (let i = 0; i < 3; i++) {
      expect(await mm.matchmake({ mode: 'join', roomId: wrong }, 'attacker', NOW)).toMatchObject({
        error: 'no-such-room',
      });
    }
    expect(await mm.matchmake({ mode: 'join', roomId: made.code }, 'attacker', NOW)).toMatchObject({
      error: 'too-many-requests',
    });
    expect((await mm.matchmake({ mode: 'join', roomId: made.code }, 'friend', NOW)).ok).toBe(true);
    // A minute later the attacker has its tokens back (3 a minute).
    expect((await mm.matchmake({ mode: 'join', roomId: made.code }, 'attacker', NOW + 60_000)).ok).toBe(true);
  });

  it('answers 503 reasons when the process cannot take a room or a player', async () => {
    const atCap = setup({}, 0);
    expect(await atCap.mm.matchmake({ mode: 'joinOrCreate' }, undefined, NOW)).toMatchObject({ error: 'at-capacity' });
    const draining = setup({ refusal: () => 'draining' });
    expect(await draining.mm.matchmake({ mode: 'joinOrCreate' }, undefined, NOW)).toMatchObject({ error: 'draining' });
  });

  it.each([
    ['not an object', 'joinOrCreate'],
    ['no mode', {}],
    ['an unknown mode', { mode: 'steal' }],
    ['an unknown scenario', { mode: 'create', scenario: 'chess' }],
    ['a size of 0', { mode: 'create', maxPlayers: 0 }],
    ['a size over the ceiling', { mode: 'create', maxPlayers: 1025 }],
    ['a fractional size', { mode: 'create', maxPlayers: 2.5 }],
    ['a private joinOrCreate', { mode: 'joinOrCreate', private: true }],
    ['private as a string', { mode: 'create', private: 'yes' }],
    ['a join without a room', { mode: 'join' }],
    ['a join naming neither an id nor a code', { mode: 'join', roomId: '../etc' }],
    ['a create naming a room', { mode: 'create', roomId: 'AAAAAAAAAAAAAAAA' }],
  ])('refuses a body with %s as a bad request', async (_name, body) => {
    const { created, mm } = setup();
    expect(await mm.matchmake(body, undefined, NOW)).toMatchObject({ ok: false, error: 'bad-request' });
    expect(created).toEqual([]);
  });
});

describe('Matchmaker requestId', () => {
  it('answers a retry of the same requestId with the first answer, room and seat, without a second room', async () => {
    const { created, mm } = setup();
    const body = { mode: 'create', maxPlayers: 4, requestId: 'retried-request' };
    const [first, second] = await Promise.all([mm.matchmake(body, undefined, NOW), mm.matchmake(body, undefined, NOW)]);
    const third = await mm.matchmake(body, undefined, NOW + 1000);
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(created).toHaveLength(1);
  });

  it('forgets an answer after the seat lifetime, and does not keep a refusal', async () => {
    const { created, mm } = setup({}, 1);
    const body = { mode: 'create', maxPlayers: 4, requestId: 'later-request' };
    expect((await mm.matchmake(body, undefined, NOW)).ok).toBe(true);
    expect((await mm.matchmake(body, undefined, NOW + 20_000)).ok).toBe(false); // a new call: at capacity
    expect(created).toHaveLength(1);
  });

  it.each([
    ['too short', 'abc'],
    ['a bad symbol', 'request id!'],
    ['not a string', 12345678],
  ])('refuses a requestId that is %s with 400', async (_what, requestId) => {
    const { mm } = setup();
    expect(await mm.matchmake({ mode: 'joinOrCreate', requestId }, undefined, NOW)).toMatchObject({
      ok: false,
      error: 'bad-request',
    });
  });
});

describe('Matchmaker resume', () => {
  const ROOM = 'roomAAAAAAAAAAAA';
  const tokenFor = (roomId: string) => resumeTokens({ secret, roomId, epochNow: () => NOW }).issue(3, 1).token;

  it("answers where a resume token's room is, with no seat, even while draining", async () => {
    const { mm } = setup({ liveRoom: (id) => id === ROOM, refusal: () => 'draining' });
    expect(await mm.matchmake({ mode: 'resume', resumeToken: tokenFor(ROOM) }, undefined, NOW)).toEqual({
      ok: true,
      roomId: ROOM,
      seat: '',
      expiresAt: 0,
      nonce: '',
    });
  });

  it('answers 404 for a room that ended and 400 for a forged token or a seat', async () => {
    const { mm } = setup({ liveRoom: () => false });
    expect(await mm.matchmake({ mode: 'resume', resumeToken: tokenFor(ROOM) }, undefined, NOW)).toMatchObject({
      ok: false,
      error: 'no-such-room',
    });
    const forged = `${tokenFor(ROOM).slice(0, -2)}AA`;
    expect(await mm.matchmake({ mode: 'resume', resumeToken: forged }, undefined, NOW)).toMatchObject({
      error: 'bad-request',
    });
    const seat = signSeat(secret, { room: ROOM, exp: NOW + 1000, nonce: 'n1' });
    expect(await mm.matchmake({ mode: 'resume', resumeToken: seat }, undefined, NOW)).toMatchObject({
      error: 'bad-request',
    });
    expect(await mm.matchmake({ mode: 'resume' }, undefined, NOW)).toMatchObject({ error: 'bad-request' });
  });
});

describe('GuessLimiter', () => {
  it('refills at its rate per minute and exempts an undefined key', () => {
    const g = new GuessLimiter(2);
    g.wrongGuess('a', 0);
    g.wrongGuess('a', 0);
    expect(g.allows('a', 0)).toBe(false);
    expect(g.allows('a', 30_000)).toBe(true);
    g.wrongGuess(undefined, 0);
    expect(g.allows(undefined, 0)).toBe(true);
  });

  it('remembers a bounded number of addresses', () => {
    const g = new GuessLimiter(10, 100);
    for (let i = 0; i < 10_000; i++) g.wrongGuess(`k${i}`, i);
    expect(g.tracked).toBeLessThanOrEqual(100);
  });
});
