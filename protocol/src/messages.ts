// Every message's fields in wire order, and the TypeScript types derived from them.
// Read once per frame by the codec; PROTOCOL.md's message tables mirror this file (a test checks).
import type { FieldSpec, FieldsObject } from './fields.js';
import { ClientMessageId, ServerMessageId } from './messageIds.js';

const UINT32_MAX = 0xffff_ffff;
const UINT16_MAX = 0xffff;

/** Longest player name, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 16;
/** Most players one snapshot may list (a decoder's bound, not the room's configured maximum). */
export const MAX_SNAPSHOT_PLAYERS = 1024;

export const helloFields = [
  { name: 'protocolVersion', type: 'uint', max: UINT16_MAX, doc: 'PROTOCOL_VERSION the client speaks' },
  { name: 'name', type: 'string', maxLength: MAX_NAME_LENGTH, doc: 'display name, may be empty' },
] as const satisfies readonly FieldSpec[];

export const inputFields = [
  {
    name: 'seq',
    type: 'uint',
    min: 1,
    max: UINT32_MAX,
    doc: 'input sequence number, 1 for the first, strictly increasing',
  },
  {
    name: 'ackTick',
    type: 'uint',
    max: UINT32_MAX,
    doc: 'tick of the newest snapshot the client applied, 0 before the first',
  },
  {
    name: 'moveX',
    type: 'float',
    min: -1,
    max: 1,
    doc: 'desired direction, x (+ is east); a longer (x, y) is normalized',
  },
  { name: 'moveY', type: 'float', min: -1, max: 1, doc: 'desired direction, y (+ is south, screen coordinates)' },
  { name: 'buttons', type: 'uint', max: 255, doc: 'bit field of held buttons; no bit is defined yet, send 0' },
] as const satisfies readonly FieldSpec[];

export const welcomeFields = [
  { name: 'protocolVersion', type: 'uint', max: UINT16_MAX, doc: "the server's PROTOCOL_VERSION" },
  { name: 'playerId', type: 'uint', max: UINT16_MAX, doc: "this client's player id in snapshots" },
  { name: 'tick', type: 'uint', max: UINT32_MAX, doc: 'the server tick at which the player joined' },
  { name: 'tickRate', type: 'uint', max: 1000, doc: 'simulation ticks per second' },
  { name: 'snapshotRate', type: 'uint', max: 1000, doc: 'snapshots per second' },
  { name: 'worldWidth', type: 'uint', max: 4095, doc: 'world width in units' },
  { name: 'worldHeight', type: 'uint', max: 4095, doc: 'world height in units' },
  { name: 'positionScale', type: 'uint', max: 1024, doc: 'position quanta per world unit' },
  { name: 'angleSteps', type: 'uint', max: UINT16_MAX, doc: 'angle quanta per full turn' },
  { name: 'speed', type: 'uint', max: UINT16_MAX, doc: 'top speed in world units per second' },
] as const satisfies readonly FieldSpec[];

export const snapshotPlayerFields = [
  { name: 'id', type: 'uint', max: UINT16_MAX, doc: 'player id' },
  { name: 'x', type: 'uint', max: UINT16_MAX, doc: 'position x in quanta (units × positionScale)' },
  { name: 'y', type: 'uint', max: UINT16_MAX, doc: 'position y in quanta' },
  { name: 'vx', type: 'int', min: -32768, max: 32767, doc: 'velocity x in quanta per tick, before edge clamping' },
  { name: 'vy', type: 'int', min: -32768, max: 32767, doc: 'velocity y in quanta per tick' },
  { name: 'angle', type: 'uint', max: UINT16_MAX, doc: 'facing in angle quanta, 0 = +x, towards +y' },
  { name: 'hp', type: 'uint', max: UINT16_MAX, doc: 'health points' },
] as const satisfies readonly FieldSpec[];

export const snapshotFields = [
  { name: 'tick', type: 'uint', max: UINT32_MAX, doc: 'the server tick this state is from' },
  { name: 'lastInputSeq', type: 'uint', max: UINT32_MAX, doc: "seq of this client's newest input applied, 0 for none" },
  {
    name: 'players',
    type: 'list',
    maxItems: MAX_SNAPSHOT_PLAYERS,
    item: snapshotPlayerFields,
    doc: 'every player in the room, each a tuple laid out as below',
  },
] as const satisfies readonly FieldSpec[];

/** The field list of every message id: the codec and the doc test walk this table. */
export const clientMessageFields = {
  [ClientMessageId.HELLO]: helloFields,
  [ClientMessageId.INPUT]: inputFields,
} as const;
export const serverMessageFields = {
  [ServerMessageId.WELCOME]: welcomeFields,
  [ServerMessageId.SNAPSHOT]: snapshotFields,
} as const;

export type HelloMessage = { id: typeof ClientMessageId.HELLO } & FieldsObject<typeof helloFields>;
export type InputMessage = { id: typeof ClientMessageId.INPUT } & FieldsObject<typeof inputFields>;
export type ClientMessage = HelloMessage | InputMessage;

export type WelcomeMessage = { id: typeof ServerMessageId.WELCOME } & FieldsObject<typeof welcomeFields>;
export type SnapshotPlayer = FieldsObject<typeof snapshotPlayerFields>;
export type SnapshotMessage = { id: typeof ServerMessageId.SNAPSHOT } & FieldsObject<typeof snapshotFields>;
export type ServerMessage = WelcomeMessage | SnapshotMessage;
