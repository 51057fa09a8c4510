// A room's state as a handover carries it (room/roomStateFormat.ts, captureRoom.ts, restoreRoom.ts):
// the round trip, the refusals (another version, malformed bytes, a state that does not hold
// together), players restored away and resumed with their tokens, and continuity: a restored room fed
// the same inputs sends the same bytes as the room that never moved, for 300 ticks, with combat.
import { packr, ServerMessageId } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.js';
import { Room } from '../src/room/room.js';
import {
  decodeRoomState,
  encodeRoomState,
  ROOM_STATE_VERSION,
  RoomStateRefused,
  type RoomStateV1,
} from '../src/room/roomStateFormat.js';
import { Away, Dead, Health, PlayerControl, Position, Score } from '../src/sim/components.js';
import { frameId } from './support/frameId.js';
import { DrivenRoom, fightingInputs, GRACE_MS } from './support/handoverRooms.js';

const TICK_MS = 1000 / 30;

/** A room of four players who fought for `ticks` ticks, all dropped (away) at the end. */
function foughtRoom(scenario: 'arena' | 'game', ticks: number, drop = true) {
  const a = DrivenRoom.create({ scenario, maxPlayers: 8, seed: 42 });
  const ids = ['ann', 'bob', 'cat', 'dan'].map((name) => a.join(name));
  for (let i = 0; i < ticks; i++) {
    for (const [id, input] of fightingInputs(a.room, ids)) a.input(id, input);
    a.tick(TICK_MS);
  }
  if (drop) a.dropAll();
  return { a, ids };
}

function roundTrip(state: RoomStateV1): RoomStateV1 {
  return decodeRoomState(encodeRoomState(state));
}

function refusal(run: () => unknown): RoomStateRefused {
  try {
    run();
  } catch (error) {
    if (error instanceof RoomStateRefused) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('room state round trip', () => {
  it('captures, encodes, decodes and restores to a room whose capture is equal', () => {
    const { a } = foughtRoom('game', 120);
    const state = a.room.captureState(a.clock.ms);
    expect(state.stateVersion).toBe(ROOM_STATE_VERSION);
    expect(state.players).toHaveLength(4);
    const b = DrivenRoom.restore(roundTrip(state), a.clock.ms, 0);
    expect(b.room.captureState(b.clock.ms)).toEqual(state);
  });

  it('holds every random generator, the projectiles in flight and the lag history', () => {
    const { a } = foughtRoom('game', 120);
    const state = roundTrip(a.room.captureState(a.clock.ms));
    expect(state.projectiles.created.length).toBeGreaterThan(0);
    expect(state.lastGeneration).toBeGreaterThan(4);
    expect(state.lagHistory.newest).toBe(120);
    expect(state.spawner.random).not.toBe(42);
    expect(Object.keys(state.queryOrder)).toContain('WeaponSystem.shooters');
  });
});

describe('players restored away', () => {
  it('a player connected when captured comes back away: standing still, reconnecting, a whole grace', () => {
    const { a, ids } = foughtRoom('arena', 30, false);
    const state = roundTrip(a.room.captureState(a.clock.ms));
    expect(state.players.every((p) => p.graceLeftMs === null)).toBe(true);
    const b = DrivenRoom.restore(state, a.clock.ms, 50_000);
    expect(b.room.awayCount).toBe(4);
    const entity = b.room.game.players.get(ids[0]!)!;
    expect(entity.hasComponent(Away)).toBe(true);
    const control = entity.getComponent(PlayerControl)!;
    expect([control.moveX, control.moveY, control.buttons, control.seq]).toEqual([0, 0, 0, 0]);
    // The grace runs from the restore: just before its end nobody has gone, at its end everyone has.
    b.clock.ms += GRACE_MS - 1;
    b.room.expireSessions(b.clock.ms);
    expect(b.room.playerCount).toBe(4);
    b.clock.ms += 1;
    b.room.expireSessions(b.clock.ms);
    expect(b.room.playerCount).toBe(0);
  });

  it('a player away when captured keeps the grace it had left', () => {
    const { a } = foughtRoom('arena', 30);
    a.clock.ms += 4000;
    const state = roundTrip(a.room.captureState(a.clock.ms));
    expect(state.players.map((p) => p.graceLeftMs)).toEqual([6000, 6000, 6000, 6000]);
    const b = DrivenRoom.restore(state, a.clock.ms, 50_000);
    b.clock.ms += 6000;
    b.room.expireSessions(b.clock.ms);
    expect(b.room.playerCount).toBe(0);
  });

  it('resumes with the token the old room issued: same id, name, score, health and position', () => {
    const { a, ids } = foughtRoom('game', 150);
    const state = roundTrip(a.room.captureState(a.clock.ms));
    const b = DrivenRoom.restore(state, a.clock.ms, 50_000);
    for (const id of ids) {
      const before = a.room.game.players.get(id)!;
      b.resume(id, a.sockets.get(id)!.token);
      const socket = b.sockets.get(id)!;
      expect(socket.closed).toBeUndefined();
      const welcome = socket.frames.find((f) => frameId(f) === ServerMessageId.WELCOME);
      expect(welcome).toBeDefined();
      const after = b.room.game.players.get(id)!;
      expect(after.getComponent(Position)).toEqual(before.getComponent(Position));
      expect(after.getComponent(Health)).toEqual(before.getComponent(Health));
      expect(after.getComponent(Score)).toEqual(before.getComponent(Score));
      expect(after.hasComponent(Away)).toBe(false);
    }
    expect(b.room.awayCount).toBe(0);
    expect(b.room.counters.resumes).toBe(4);
  });
});

describe('refused states', () => {
  it('refuses a state of version 2, and one without a version', () => {
    const { a } = foughtRoom('arena', 5);
    const state = a.room.captureState(a.clock.ms);
    const v2 = refusal(() => decodeRoomState(packr.pack({ ...state, stateVersion: 2, lagHistory: {} })));
    expect(v2.why).toBe('version');
    expect(v2.stateVersion).toBe(2);
    expect(refusal(() => decodeRoomState(packr.pack({ tick: 5 }))).why).toBe('version');
  });

  it('refuses bytes that are not one MessagePack value', () => {
    const bytes = encodeRoomState(foughtRoom('arena', 5).a.room.captureState(0));
    expect(refusal(() => decodeRoomState(bytes.subarray(0, bytes.length - 3))).why).toBe('malformed');
    expect(refusal(() => decodeRoomState(new Uint8Array([0xc1]))).why).toBe('malformed');
  });

  it.each([
    ['a field of the wrong type', (s: Record<string, unknown>) => ({ ...s, tick: 'five' })],
    ['a missing field', (s: Record<string, unknown>) => ({ ...s, roster: undefined })],
    ['an unknown scenario', (s: RoomStateV1) => ({ ...s, options: { ...s.options, scenario: 'moon' } })],
    [
      'an unknown component',
      (s: RoomStateV1) => ({ ...s, players: [{ ...s.players[0]!, components: { Teleporter: {} } }] }),
    ],
    [
      'a component field of the wrong type',
      (s: RoomStateV1) => ({
        ...s,
        players: [{ ...s.players[0]!, components: { ...s.players[0]!.components, Health: { hp: 'full' } } }],
      }),
    ],
    [
      'lag history bytes that are no 32-bit integers',
      (s: RoomStateV1) => ({ ...s, lagHistory: { ...s.lagHistory, xs: new Uint8Array(3) } }),
    ],
  ])('refuses %s as malformed', (_, change) => {
    const state = foughtRoom('arena', 5).a.room.captureState(0);
    const encoded = packr.unpack(encodeRoomState(state)) as RoomStateV1;
    const refused = refusal(() => decodeRoomState(packr.pack(change(encoded as never))));
    expect(refused.why).toBe('malformed');
  });

  it.each([
    ['taken ids that are not the players', (s: RoomStateV1) => ({ ...s, takenIds: [1, 2, 3] })],
    [
      'a query order that names other entities',
      (s: RoomStateV1) => ({ ...s, queryOrder: { ...s.queryOrder, 'InputSystem.players': [1, 2, 3, 7] } }),
    ],
    [
      'a query this build does not have',
      (s: RoomStateV1) => ({ ...s, queryOrder: { ...s.queryOrder, 'JetpackSystem.flyers': [] } }),
    ],
    [
      'a projectile named twice',
      (s: RoomStateV1) => ({
        ...s,
        projectiles: { ...s.projectiles, free: [...s.projectiles.active, ...s.projectiles.free] },
      }),
    ],
    [
      'a player without its components',
      (s: RoomStateV1) => ({
        ...s,
        players: s.players.map((p) => ({ ...p, components: { NetworkId: p.components.NetworkId! } })),
      }),
    ],
  ])('refuses to restore %s', (_, change) => {
    const { a } = foughtRoom('game', 120);
    const state = change(roundTrip(a.room.captureState(a.clock.ms)));
    expect(refusal(() => Room.restore(roundTrip(state), silentLogger, () => 0, {})).why).toBe('malformed');
  });
});

describe('continuity', () => {
  it.each(['arena', 'game'] as const)(
    '%s: a restored room fed the same inputs sends byte-identical frames to the room that never moved for 300 ticks',
    (scenario) => {
      const { a, ids } = foughtRoom(scenario, 150);
      const state = encodeRoomState(a.room.captureState(a.clock.ms));
      // Another process: another clock, the state through bytes.
      const b = DrivenRoom.restore(decodeRoomState(state), a.clock.ms, 123_456.5);
      for (const id of ids) {
        const token = a.sockets.get(id)!.token;
        a.resume(id, token);
        b.resume(id, token);
      }
      let kills = 0;
      let respawns = 0;
      for (let i = 0; i < 300; i++) {
        for (const [id, input] of fightingInputs(a.room, ids)) {
          a.input(id, input);
          b.input(id, input);
        }
        const deadBefore = ids.filter((id) => a.room.game.players.get(id)!.hasComponent(Dead)).length;
        const killsBefore = a.room.game.counters.kills;
        a.tick(TICK_MS);
        b.tick(TICK_MS);
        kills += a.room.game.counters.kills - killsBefore;
        respawns += Math.max(
          0,
          deadBefore - ids.filter((id) => a.room.game.players.get(id)!.hasComponent(Dead)).length,
        );
      }
      // Combat happened after the move: kills, respawns (spawn draws) and projectiles.
      expect(kills).toBeGreaterThan(0);
      expect(respawns).toBeGreaterThan(0);
      expect(a.room.game.counters.projectilesLaunched).toBeGreaterThan(0);
      for (const id of ids) {
        const sent = a.sockets.get(id)!;
        const moved = b.sockets.get(id)!;
        expect(sent.snapshots().length).toBeGreaterThanOrEqual(300);
        expect(moved.snapshots()).toEqual(sent.snapshots());
        expect(moved.framesButWelcome()).toEqual(sent.framesButWelcome());
      }
    },
  );
});
