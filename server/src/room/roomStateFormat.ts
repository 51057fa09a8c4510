// A room's state in one explicit, versioned format, and its MessagePack encoding: written once per
// room handed over to another process (captureRoom.ts) and read once by the process that takes it
// (restoreRoom.ts). The bytes cross a process boundary (through Redis), so decodeRoomState checks
// every field before anything is built from them, and refuses a stateVersion it cannot read.
// PROTOCOL.md, "Room state (handover)", is the contract; the version rule: any change to what this
// file holds, or to what a field means, is a new stateVersion.
import { MAX_POSITION_UNITS, packr, type SpawnerState } from '@tickwire/protocol';
import { Types } from 'ecsy';
import type { LagHistoryState } from '../sim/combat/lagHistory.js';
import { allComponents } from '../sim/components.js';
import { MAX_ROOM_PLAYERS, type RoomOptions, SCENARIOS } from './roomOptions.js';
import type { RosterState } from './roster.js';

/** The one state version this build reads and writes. */
export const ROOM_STATE_VERSION = 1;

/** One entity's components: component class name → its schema's fields (a tag component: `{}`). */
export type ComponentsV1 = Record<string, Record<string, number | boolean>>;

/** A player of the room, in the room's join (or resume) order. */
export interface PlayerStateV1 {
  playerId: number;
  name: string;
  /** The nonce of the player's newest resume token: that token is accepted by the restored room. */
  resumeNonce: string;
  /** Grace left when captured, ms, for a player already away; null for one connected then (it gets a whole grace). */
  graceLeftMs: number | null;
  components: ComponentsV1;
}

export interface RoomStateV1 {
  stateVersion: typeof ROOM_STATE_VERSION;
  /** What the room is made with (roomOptions.ts: a moved room carries only these). */
  options: RoomOptions;
  /** The last tick run: the restored room runs tick + 1 next. */
  tick: number;
  /** The next session's connection id (they go on rising, as in the room that never moved). */
  nextConnectionId: number;
  /** The spawn-point generator's state and its round (scenario.ts). */
  spawner: SpawnerState;
  /** The last entity generation handed out (GameContext). */
  lastGeneration: number;
  /** A kill since the roster last heard of it (GameContext.rosterChanged; false at a tick boundary). */
  rosterChanged: boolean;
  /** The player ids taken (IdAllocator). */
  takenIds: number[];
  players: PlayerStateV1[];
  /** The projectile pool: every projectile created (ids in order), and which are in flight and stopped, in order. */
  projectiles: { created: ComponentsV1[]; active: number[]; free: number[] };
  /**
   * Each system query's entities, by network id, in the query's order ("WeaponSystem.shooters"):
   * the systems visit entities in that order (which player respawns where, whose hit lands first).
   */
  queryOrder: Record<string, number[]>;
  roster: RosterState;
  /** Lag compensation's positions of the last second of ticks. */
  lagHistory: LagHistoryState;
}

/** Why bytes are no room state this build can restore: another version, or not the format at all. */
export class RoomStateRefused extends Error {
  constructor(
    readonly why: 'version' | 'malformed',
    message: string,
    /** The stateVersion the bytes carry, when they carry one. */
    readonly stateVersion?: number,
  ) {
    super(message);
    this.name = 'RoomStateRefused';
  }
}

/** Int32Array fields travel as their bytes, little-endian (every platform Node runs on is). */
const INT32_ARRAYS = ['ticks', 'xs', 'ys', 'generations', 'stamps'] as const;

export function encodeRoomState(state: RoomStateV1): Uint8Array {
  const lagHistory: Record<string, unknown> = { ...state.lagHistory };
  for (const name of INT32_ARRAYS) {
    const array = state.lagHistory[name];
    lagHistory[name] = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  }
  return packr.pack({ ...state, lagHistory });
}

/** Untrusted bytes → a checked RoomStateV1; throws RoomStateRefused ('version' or 'malformed'). */
export function decodeRoomState(bytes: Uint8Array): RoomStateV1 {
  let value: unknown;
  try {
    value = packr.unpack(bytes);
  } catch {
    throw new RoomStateRefused('malformed', 'not one MessagePack value');
  }
  const root = object(value, 'state');
  const version = root.stateVersion;
  if (version !== ROOM_STATE_VERSION) {
    const carried = typeof version === 'number' ? version : undefined;
    throw new RoomStateRefused(
      'version',
      `room state version ${String(version).slice(0, 12)}: this process reads version ${ROOM_STATE_VERSION}`,
      carried,
    );
  }
  return checkState(root);
}

function checkState(root: Record<string, unknown>): RoomStateV1 {
  const options = checkOptions(object(root.options, 'options'));
  const players = array(root.players, 'players').map((p, i) => checkPlayer(p, `players[${i}]`));
  const projectiles = object(root.projectiles, 'projectiles');
  const roster = object(root.roster, 'roster');
  const spawner = object(root.spawner, 'spawner');
  const queryOrder = object(root.queryOrder, 'queryOrder');
  return {
    stateVersion: ROOM_STATE_VERSION,
    options,
    tick: int(root.tick, 'tick', 0),
    nextConnectionId: int(root.nextConnectionId, 'nextConnectionId', 1),
    spawner: {
      random: int(spawner.random, 'spawner.random', -(2 ** 31), 2 ** 31 - 1),
      round: ints(spawner.round, 'spawner.round', 0),
    },
    lastGeneration: int(root.lastGeneration, 'lastGeneration', 0),
    rosterChanged: bool(root.rosterChanged, 'rosterChanged'),
    takenIds: ints(root.takenIds, 'takenIds', 1, options.maxPlayers),
    players,
    projectiles: {
      created: array(projectiles.created, 'projectiles.created').map((c, i) =>
        checkComponents(c, `projectiles.created[${i}]`),
      ),
      active: ints(projectiles.active, 'projectiles.active', 1),
      free: ints(projectiles.free, 'projectiles.free', 1),
    },
    queryOrder: Object.fromEntries(
      Object.entries(queryOrder).map(([key, ids]) => [key, ints(ids, `queryOrder.${key}`, 1)]),
    ),
    roster: {
      version: int(roster.version, 'roster.version', 0),
      listed: array(roster.listed, 'roster.listed').map((entry, i) => {
        const e = object(entry, `roster.listed[${i}]`);
        const at = `roster.listed[${i}]`;
        return {
          id: int(e.id, `${at}.id`, 1),
          name: string(e.name, `${at}.name`),
          kills: int(e.kills, `${at}.kills`, 0),
          deaths: int(e.deaths, `${at}.deaths`, 0),
          reconnecting: int(e.reconnecting, `${at}.reconnecting`, 0, 1),
          current: bool(e.current, `${at}.current`),
        };
      }),
      membersChanged: bool(roster.membersChanged, 'roster.membersChanged'),
      scoresDirty: bool(roster.scoresDirty, 'roster.scoresDirty'),
      lastFlushTick: roster.lastFlushTick === null ? null : int(roster.lastFlushTick, 'roster.lastFlushTick', 0),
    },
    lagHistory: checkLagHistory(object(root.lagHistory, 'lagHistory')),
  };
}

/** Every RoomOptions field, and what it must be; the type check keeps this table complete. */
const OPTION_CHECKS: { readonly [K in keyof Required<RoomOptions>]: (value: unknown, path: string) => RoomOptions[K] } =
  {
    scenario: (v, path) => {
      if (!SCENARIOS.includes(v as never)) throw malformed(path, `not one of ${SCENARIOS.join(', ')}`);
      return v as RoomOptions['scenario'];
    },
    tickRate: (v, path) => int(v, path, 1, 1000),
    snapshotRate: (v, path) => int(v, path, 1, 1000),
    maxPlayers: (v, path) => int(v, path, 1, MAX_ROOM_PLAYERS),
    // Absent in a state from a process older than the option: the scenario's default, as there.
    viewRadius: (v, path) => (v === undefined ? undefined : int(v, path, 0, MAX_POSITION_UNITS)),
    seed: (v, path) => int(v, path, Number.MIN_SAFE_INTEGER),
    inputQueue: (v, path) => int(v, path, 1, 1000),
    handshakeTimeoutMs: (v, path) => finite(v, path, 0),
    idleKickMs: (v, path) => finite(v, path, 0),
    backpressureBytes: (v, path) => finite(v, path, 0),
    backpressureTimeoutMs: (v, path) => finite(v, path, 0),
    debugState: (v, path) => bool(v, path),
    tickTiming: (v, path) => bool(v, path),
    lagCompensation: (v, path) => bool(v, path),
    maxRewindMs: (v, path) => finite(v, path, 0, 1000),
    reconnectGraceMs: (v, path) => (v === undefined ? undefined : finite(v, path, 0)),
    tickClockLeadMs: (v, path) => (v === undefined ? undefined : finite(v, path, 0)),
    clientBudgetBytesPerSecond: (v, path) => (v === undefined ? undefined : finite(v, path, 0)),
  };

/** Only the RoomOptions fields of `config` (a room may be made with the process's whole config). */
export function pickRoomOptions(config: RoomOptions): RoomOptions {
  const options: Record<string, unknown> = {};
  for (const name of Object.keys(OPTION_CHECKS)) {
    const value = (config as unknown as Record<string, unknown>)[name];
    if (value !== undefined) options[name] = value;
  }
  return options as unknown as RoomOptions;
}

function checkOptions(raw: Record<string, unknown>): RoomOptions {
  const options: Record<string, unknown> = {};
  for (const [name, check] of Object.entries(OPTION_CHECKS)) {
    const value = check(raw[name], `options.${name}`);
    if (value !== undefined) options[name] = value;
  }
  return options as unknown as RoomOptions;
}

function checkPlayer(value: unknown, path: string): PlayerStateV1 {
  const p = object(value, path);
  return {
    playerId: int(p.playerId, `${path}.playerId`, 1),
    name: string(p.name, `${path}.name`),
    resumeNonce: string(p.resumeNonce, `${path}.resumeNonce`),
    graceLeftMs: p.graceLeftMs === null ? null : finite(p.graceLeftMs, `${path}.graceLeftMs`, 0),
    components: checkComponents(p.components, `${path}.components`),
  };
}

/** Each component's schema: field name → 'number' | 'boolean', by class name (allComponents is the table). */
const SCHEMAS = new Map(
  allComponents.map((component) => {
    const schema = (component as unknown as { schema?: Record<string, { type: unknown }> }).schema ?? {};
    const fields = Object.entries(schema).map(
      ([field, { type }]) => [field, type === Types.Boolean ? 'boolean' : 'number'] as const,
    );
    return [component.name, fields] as const;
  }),
);

function checkComponents(value: unknown, path: string): ComponentsV1 {
  const raw = object(value, path);
  const components: ComponentsV1 = {};
  for (const [name, fieldsValue] of Object.entries(raw)) {
    const schema = SCHEMAS.get(name);
    if (schema === undefined) throw malformed(`${path}.${name.slice(0, 40)}`, 'no such component');
    const fields = object(fieldsValue, `${path}.${name}`);
    if (Object.keys(fields).length !== schema.length) throw malformed(`${path}.${name}`, 'fields of another schema');
    const checked: Record<string, number | boolean> = {};
    for (const [field, type] of schema) {
      const at = `${path}.${name}.${field}`;
      checked[field] = type === 'boolean' ? bool(fields[field], at) : number(fields[field], at);
    }
    components[name] = checked;
  }
  if (components.NetworkId === undefined) throw malformed(path, 'an entity without NetworkId');
  return components;
}

function checkLagHistory(raw: Record<string, unknown>): LagHistoryState {
  const state = {
    size: int(raw.size, 'lagHistory.size', 2, 100_000),
    maxId: int(raw.maxId, 'lagHistory.maxId', 0, 100_000),
    newest: int(raw.newest, 'lagHistory.newest', 0),
  } as LagHistoryState;
  for (const name of INT32_ARRAYS) {
    const bytes = raw[name];
    if (!(bytes instanceof Uint8Array) || bytes.byteLength % 4 !== 0) {
      throw malformed(`lagHistory.${name}`, 'not the bytes of 32-bit integers');
    }
    // A copy: aligned, and owned (the decoder's buffer may be shared).
    state[name] = new Int32Array(new Uint8Array(bytes).buffer);
  }
  return state;
}

function malformed(path: string, problem: string): RoomStateRefused {
  return new RoomStateRefused('malformed', `${path}: ${problem}`);
}

/** A MessagePack map decodes to a plain object; anything else (msgpackr's marker for 0xc1 too) is not one. */
function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
    throw malformed(path, 'not a map');
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(path, 'not an array');
  return value;
}

function number(value: unknown, path: string): number {
  if (typeof value !== 'number') throw malformed(path, 'not a number');
  return value;
}

function finite(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw malformed(path, `not a number in [${min}, ${max}]`);
  }
  return value;
}

function int(value: unknown, path: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw malformed(path, `not an integer in [${min}, ${max}]`);
  }
  return value;
}

function ints(value: unknown, path: string, min?: number, max?: number): number[] {
  return array(value, path).map((v, i) => int(v, `${path}[${i}]`, min, max));
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw malformed(path, 'not a boolean');
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw malformed(path, 'not a string');
  return value;
}
