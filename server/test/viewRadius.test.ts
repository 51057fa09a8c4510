// viewRadius, the room option the interest code reads: its flags (--view-radius, --max-view-radius),
// the POST /matchmake body's field (refused when too big, negative, not an integer, or 0 in a world
// room), the scenario defaults, and a room that keeps it through a move (the room state format).
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, parseConfig, roomOptionsOf, viewRadiusOf } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { Room } from '../src/room/room.js';
import { DEFAULT_VIEW_RADIUS } from '../src/room/roomOptions.js';
import { decodeRoomState, encodeRoomState } from '../src/room/roomStateFormat.js';
import {
  defaultPlayersOf,
  MAX_WHOLE_VIEW_PLAYERS,
  parseMatchmakeRequest,
  type RequestRules,
} from '../src/rooms/matchmakeRequest.js';
import { projectilePoolSize } from '../src/sim/combat/projectilePool.js';

function rulesOf(argv: string[] = []): RequestRules {
  const config = parseConfig(argv, {});
  return {
    scenarios: ['game', 'arena', 'world'],
    defaultScenario: 'game',
    defaultMaxPlayers: 8,
    maxPlayersCeiling: 64,
    defaultTickRate: 30,
    defaultSnapshotRate: 30,
    defaultViewRadius: (scenario) => viewRadiusOf(config, scenario),
    maxViewRadius: config.maxViewRadius,
  };
}

function parsed(body: Record<string, unknown>, argv: string[] = []) {
  return parseMatchmakeRequest(body, rulesOf(argv));
}

describe('the --view-radius and --max-view-radius flags', () => {
  it('leave viewRadius to the scenario when unset: 0 (everything) for game and arena, 1,000 for world', () => {
    const config = defaultConfig();
    expect(config.viewRadius).toBeUndefined();
    expect(config.maxViewRadius).toBe(4000);
    expect(DEFAULT_VIEW_RADIUS).toEqual({ game: 0, arena: 0, world: 1000 });
    expect(roomOptionsOf({ ...config, scenario: 'world' }).viewRadius).toBe(1000);
    expect(roomOptionsOf({ ...config, scenario: 'arena' }).viewRadius).toBe(0);
  });

  it('set every room of the process when given, within --max-view-radius', () => {
    const config = parseConfig(['--view-radius', '3000', '--scenario', 'world'], {});
    expect(roomOptionsOf(config).viewRadius).toBe(3000);
    expect(parseConfig([], { TICKWIRE_VIEW_RADIUS: '0', TICKWIRE_MAX_VIEW_RADIUS: '8000' })).toMatchObject({
      viewRadius: 0,
      maxViewRadius: 8000,
    });
  });

  it.each([
    [['--view-radius', '5000']],
    [['--view-radius', '-1']],
    [['--view-radius', '2.5']],
    [['--view-radius', 'far']],
    [['--max-view-radius', '0']],
    [['--view-radius', '2000', '--max-view-radius', '1000']],
  ])('refuse %j', (argv) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
  });
});

describe('POST /matchmake viewRadius', () => {
  it('gives a create the asked radius, and the scenario default when it names none', () => {
    expect(parsed({ mode: 'create', scenario: 'world', viewRadius: 2500 })).toMatchObject({
      ok: true,
      request: { viewRadius: 2500 },
    });
    expect(parsed({ mode: 'create', scenario: 'world' })).toMatchObject({ ok: true, request: { viewRadius: 1000 } });
    expect(parsed({ mode: 'create', scenario: 'arena' })).toMatchObject({ ok: true, request: { viewRadius: 0 } });
    expect(parsed({ mode: 'joinOrCreate', scenario: 'world' })).toMatchObject({
      ok: true,
      request: { viewRadius: 1000 },
    });
    expect(parsed({ mode: 'create', scenario: 'world' }, ['--view-radius', '700'])).toMatchObject({
      ok: true,
      request: { viewRadius: 700 },
    });
  });

  it('allows 0 (everything) in game and arena rooms', () => {
    expect(parsed({ mode: 'create', scenario: 'arena', viewRadius: 0 })).toMatchObject({ ok: true });
    expect(parsed({ mode: 'create', scenario: 'game', viewRadius: 0 })).toMatchObject({ ok: true });
  });

  it.each([
    ['too big', 4001, 'viewRadius must be an integer from 0 to 4000'],
    ['negative', -1, 'viewRadius must be an integer from 0 to 4000'],
    ['not an integer', 999.5, 'viewRadius must be an integer from 0 to 4000'],
    ['a string', '1000', 'viewRadius must be an integer from 0 to 4000'],
    ['0 in a world room', 0, 'viewRadius 0 (everything) is not allowed in a world room'],
  ])('refuses a radius %s', (_name, viewRadius, message) => {
    const answer = parsed({ mode: 'create', scenario: 'world', viewRadius });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.message).toContain(message);
  });

  it('follows --max-view-radius, and refuses a radius in joinOrCreate (a room it makes has the default)', () => {
    expect(parsed({ mode: 'create', scenario: 'world', viewRadius: 6000 }, ['--max-view-radius', '6000']).ok).toBe(
      true,
    );
    expect(parsed({ mode: 'joinOrCreate', scenario: 'world', viewRadius: 1000 })).toEqual({
      ok: false,
      message: 'joinOrCreate takes no viewRadius; use create',
    });
  });
});

describe('rooms above 1,024 players', () => {
  const big = (body: Record<string, unknown>) =>
    parseMatchmakeRequest(body, { ...rulesOf(), defaultMaxPlayers: 4096, maxPlayersCeiling: 4096 });

  it('are made with a view radius (the world), not in a room that sends everyone everything', () => {
    expect(big({ mode: 'create', scenario: 'world', maxPlayers: 4096 })).toMatchObject({
      ok: true,
      request: { maxPlayers: 4096, viewRadius: 1000 },
    });
    expect(big({ mode: 'create', scenario: 'arena', maxPlayers: 4096, viewRadius: 500 }).ok).toBe(true);
    expect(big({ mode: 'create', scenario: 'arena', maxPlayers: 1025 })).toEqual({
      ok: false,
      message: 'maxPlayers above 1024 needs a view radius: a room that sends everyone everything must fit one snapshot',
    });
  });

  it('are not the default of a whole-view room: --max-players 4096 gives an arena room 1,024', () => {
    expect(big({ mode: 'create', scenario: 'arena' })).toMatchObject({ ok: true, request: { maxPlayers: 1024 } });
    expect(big({ mode: 'create', scenario: 'world' })).toMatchObject({ ok: true, request: { maxPlayers: 4096 } });
    expect(defaultPlayersOf({ defaultMaxPlayers: 4096 }, 0)).toBe(MAX_WHOLE_VIEW_PLAYERS);
  });

  it('keep their projectiles within one snapshot only when everyone is sent everything', () => {
    expect(projectilePoolSize(400, true)).toBe(MAX_WHOLE_VIEW_PLAYERS - 400);
    expect(projectilePoolSize(1024, true)).toBe(0);
    expect(projectilePoolSize(400)).toBe(800);
    expect(
      new Room({ ...defaultConfig(), scenario: 'arena', maxPlayers: 400 }, silentLogger).snapshots.maxEntityId,
    ).toBe(MAX_WHOLE_VIEW_PLAYERS);
  });
});

describe('a room', () => {
  it('exposes its viewRadius as room.options.viewRadius, the scenario default when none was given', () => {
    const { viewRadius: _none, ...options } = roomOptionsOf({ ...defaultConfig(), scenario: 'world' });
    expect(new Room(options, silentLogger, () => 0).options.viewRadius).toBe(1000);
    expect(new Room({ ...options, viewRadius: 2500 }, silentLogger, () => 0).options.viewRadius).toBe(2500);
  });

  it('keeps its viewRadius when it moves: the state carries it and the restored room runs with it', () => {
    const options = { ...roomOptionsOf({ ...defaultConfig(), scenario: 'world' }), viewRadius: 2500 };
    const room = new Room(options, silentLogger, () => 0);
    room.runTick(1, 0, 0);
    const state = decodeRoomState(encodeRoomState(room.captureState(0)));
    expect(state.options.viewRadius).toBe(2500);
    expect(Room.restore(state, silentLogger, () => 0, {}).options.viewRadius).toBe(2500);
  });

  it('refuses a moved state whose viewRadius is not a whole number of units in the world', () => {
    const room = new Room(roomOptionsOf({ ...defaultConfig(), scenario: 'world' }), silentLogger, () => 0);
    room.runTick(1, 0, 0);
    const state = room.captureState(0);
    for (const viewRadius of [-1, 1.5, 20_000]) {
      expect(() => decodeRoomState(encodeRoomState({ ...state, options: { ...state.options, viewRadius } }))).toThrow(
        /options\.viewRadius/,
      );
    }
  });
});
