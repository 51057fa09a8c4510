// A world room at the size issue 16 asks for: 4,096 players in one room, made in-process (no sockets:
// each client's socket drops what it is sent), ticked on a driven clock with every player firing;
// a joiner's roster comes as PLAYERS pages past the item cap. And a world room that moves keeps its
// spawner and its viewRadius.
import {
  Button,
  ClientMessageId,
  decodeServerFrame,
  encodeClientMessage,
  MAX_POSITION_Q,
  MAX_ROSTER_ITEMS,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  ServerMessageId,
  WORLD_MAP_HASH,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { Room } from '../src/room/room.js';
import { decodeRoomState, encodeRoomState } from '../src/room/roomStateFormat.js';
import type { ClientSocket, Session } from '../src/session/session.js';
import { projectilePoolSize } from '../src/sim/combat/projectilePool.js';
import { Position } from '../src/sim/components.js';
import { DrivenRoom } from './support/handoverRooms.js';

const PLAYERS = 4096;

/** Every player holds both triggers, aimed its own way, moving the arena's way. */
function firingInput(i: number, tick: number): Uint8Array {
  const angle = i + tick / 20;
  return encodeClientMessage({
    id: ClientMessageId.INPUT,
    seq: tick,
    ackTick: 0,
    tick: 0,
    moveX: Math.cos(angle),
    moveY: Math.sin(angle),
    buttons: Button.PRIMARY | Button.SECONDARY,
    aimAngle: Math.atan2(Math.sin(angle), Math.cos(angle)),
    viewTick: 0,
  });
}

describe('a world room of 4,096 players', () => {
  it('is created, lists 4,095 others to a joiner in PLAYERS pages, and ticks with weapons firing within the id space', () => {
    // One snapshot a second: the ticks below run before the first, as the lead's interest code is
    // what makes a 4,096-entity snapshot per client affordable; this test is about the room.
    const config = { ...defaultConfig(), scenario: 'world' as const, maxPlayers: PLAYERS, snapshotRate: 1 };
    const room = new Room(config, silentLogger, () => 0);
    expect(room.scenario.mapHash).toBe(WORLD_MAP_HASH);
    expect(projectilePoolSize(PLAYERS)).toBe(2 * PLAYERS);
    expect(room.snapshots.maxEntityId).toBe(PLAYERS + 2 * PLAYERS);
    let closed = 0;
    const socket = { send() {}, close: () => closed++, queuedBytes: 0 };
    // The last joiner's frames: its roster arrives as PLAYERS pages, each within the item cap.
    const lastFrames: Uint8Array[] = [];
    const lastSocket = { ...socket, send: (frame: Uint8Array) => void lastFrames.push(frame.slice()) };
    const sessions: Session[] = [];
    const join = (i: number, at: ClientSocket) => {
      const session = room.open(at, 0);
      const hello = { id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name: `p${i}`, seat: '' } as const;
      room.receive(session, encodeClientMessage(hello), true, 0);
      sessions.push(session);
    };
    for (let i = 0; i < PLAYERS - 1; i++) join(i, socket);
    let nowMs = 1000 / config.tickRate;
    room.runTick(1, nowMs, nowMs);
    // Joined after the flush that listed the others: its PLAYERS pages hold all 4,095, 64 at most a page.
    join(PLAYERS - 1, lastSocket);
    expect(room.playerCount).toBe(PLAYERS);
    // Decoded in order with one connection's header state, as its client would.
    const held = newSnapshotHeaderState();
    const pages = lastFrames
      .map((frame) => decodeServerFrame(frame, held))
      .flatMap((decoded) => (decoded.ok && decoded.message.id === ServerMessageId.PLAYERS ? [decoded.message] : []));
    expect(pages.map((page) => page.page)).toEqual([...Array(PLAYERS / MAX_ROSTER_ITEMS).keys()]);
    expect(pages.every((page) => page.players.length <= MAX_ROSTER_ITEMS)).toBe(true);
    expect(new Set(pages.flatMap((page) => page.players.map((player) => player.id))).size).toBe(PLAYERS - 1);
    for (let tick = 2; tick <= 6; tick++) {
      for (let i = 0; i < PLAYERS; i++) room.receive(sessions[i]!, firingInput(i, tick), true, nowMs);
      nowMs += 1000 / config.tickRate;
      room.runTick(tick, nowMs, nowMs);
    }
    const pool = room.game.projectiles!;
    // Everyone launched one projectile at tick 1 (the cooldown holds the second back), none refused;
    // some have since hit someone.
    expect(room.game.counters.projectilesLaunched).toBe(PLAYERS);
    expect(pool.active.length).toBeGreaterThan(PLAYERS / 2);
    expect(pool.size).toBe(2 * PLAYERS);
    expect(room.game.counters.primaryShots).toBe(PLAYERS);
    for (const shot of room.game.events.shotsBetween(0, 5)) {
      expect(Math.max(shot.x0, shot.y0, shot.x1, shot.y1)).toBeLessThanOrEqual(MAX_POSITION_Q);
    }
    expect(room.game.counters.projectilesRefused).toBe(0);
    expect(closed).toBe(0);
  }, 120_000);
});

describe('a world room that moves to another process', () => {
  it('spawns its next players where the room that never moved would, and keeps its viewRadius', () => {
    const TICK_MS = 1000 / 30;
    const a = DrivenRoom.create({ scenario: 'world', maxPlayers: 8, seed: 7, viewRadius: 1500 });
    a.join('ann');
    a.join('bob');
    a.tick(TICK_MS);
    const state = decodeRoomState(encodeRoomState(a.room.captureState(a.clock.ms)));
    const b = DrivenRoom.restore(state, a.clock.ms, 0);
    expect(b.room.options).toMatchObject({ scenario: 'world', viewRadius: 1500 });
    const spawned = (driven: DrivenRoom) => {
      const id = driven.join('cat');
      driven.tick(TICK_MS);
      const position = driven.room.game.players.get(id)!.getComponent(Position)!;
      return { x: position.x, y: position.y };
    };
    const there = spawned(b);
    expect(there).toEqual(spawned(a));
    expect(Math.max(there.x, there.y)).toBeLessThanOrEqual(MAX_POSITION_Q);
  });
});
