// Server messages for client tests: an arena server's WELCOME and an empty full SNAPSHOT (no entities,
// no shots or kills), with any field overridden. Built per test.
import {
  ANGLE_STEPS,
  ARENA_MAP_HASH,
  ARENA_RULES,
  EntityKind,
  type EntityTuple,
  POSITION_SCALE,
  PROTOCOL_VERSION,
  ServerMessageId,
  type SnapshotMessage,
  type WelcomeMessage,
} from '@tickwire/protocol';

export function welcomeMessage(overrides: Partial<Omit<WelcomeMessage, 'id'>> = {}): WelcomeMessage {
  return {
    id: ServerMessageId.WELCOME,
    protocolVersion: PROTOCOL_VERSION,
    playerId: 1,
    tick: 0,
    tickRate: 30,
    snapshotRate: 30,
    worldWidth: ARENA_RULES.width,
    worldHeight: ARENA_RULES.height,
    positionScale: POSITION_SCALE,
    angleSteps: ANGLE_STEPS,
    speed: ARENA_RULES.speed,
    maxEntityId: 64,
    mapHash: ARENA_MAP_HASH,
    resumeToken: '',
    reconnectGraceMs: 0,
    viewRadius: 0,
    budgetBytesPerSecond: 0,
    ...overrides,
  };
}

/** A player as a snapshot lists it: standing at (16000, 8000) quanta with 100 hp, but for `fields`. */
export function playerTuple(id: number, fields: Partial<EntityTuple> = {}): EntityTuple {
  return { id, vx: 0, vy: 0, x: 16000, y: 8000, angle: 0, hp: 100, kind: EntityKind.PLAYER, ...fields };
}

/** A full snapshot (baseAge 0) of an empty world at `tick`. */
export function emptySnapshot(tick: number): SnapshotMessage {
  return {
    id: ServerMessageId.SNAPSHOT,
    tick,
    lastInputSeq: 0,
    inputBuffer: 0,
    starvedInputs: 0,
    droppedInputs: 0,
    pong: [],
    baseAge: 0,
    created: [],
    changed: [],
    removed: [],
    shots: [],
    kills: [],
    deferred: [],
  };
}
