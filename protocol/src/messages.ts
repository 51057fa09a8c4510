// Every message's fields in wire order, and the TypeScript types derived from them.
// Read once per frame by the codec; PROTOCOL.md's message tables mirror this file (a test checks).
import type { FieldSpec, FieldsObject } from './fields.js';
import { MAX_CHAT_LENGTH } from './game/chat.js';
import { BUTTONS_MAX } from './game/weapons.js';
import { ClientMessageId, ServerMessageId } from './messageIds.js';
import { MAX_POSITION_Q, MAX_POSITION_UNITS } from './quantize.js';
import { ENTITY_FIELDS, FIELD_COUNT } from './snapshot/entityFields.js';

const UINT32_MAX = 0xffff_ffff;
const UINT16_MAX = 0xffff;

/** Longest player name, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 16;
/**
 * Longest player name the server relays, in visible characters (extended grapheme clusters): a
 * name tag and a scoreboard column stay readable, and an emoji sequence of several code units
 * still counts as one.
 */
export const MAX_NAME_GRAPHEMES = 12;
/**
 * Most items of one roster list in one frame: a PLAYERS page's `players`, and each list of a
 * ROSTER_CHANGES. A longer roster goes out as several PLAYERS pages, more changes in one tick as
 * several ROSTER_CHANGES, so no roster frame grows with the room (64 full entries: about 2 KB).
 */
export const MAX_ROSTER_ITEMS = 64;
/** Most entities one snapshot may list (a decoder's bound, not the room's configured maximum). */
export const MAX_SNAPSHOT_ENTITIES = 1024;
/** The largest entity id (a uint16 on the wire): a room's players and projectiles together stay within it. */
export const MAX_ENTITY_ID = UINT16_MAX;
/** Most shots one snapshot may list: about a second of a full room firing both weapons (decoder's bound). */
export const MAX_SNAPSHOT_SHOTS = 4096;
/** Most kills one snapshot may list (a decoder's bound). */
export const MAX_SNAPSHOT_KILLS = 1024;

/** Longest seat token, in characters (the server never signs a longer one). */
export const MAX_SEAT_LENGTH = 512;
/** Longest resume token, in characters: a resume token is a seat-format token (see Resuming). */
export const MAX_RESUME_TOKEN_LENGTH = 512;
/** Longest reconnect grace a WELCOME may announce, ms (ten minutes). */
export const MAX_RECONNECT_GRACE_MS = 600_000;

export const helloFields = [
  { name: 'protocolVersion', type: 'uint', max: UINT16_MAX, doc: 'PROTOCOL_VERSION the client speaks' },
  { name: 'name', type: 'string', maxLength: MAX_NAME_LENGTH, doc: 'display name, may be empty' },
  {
    name: 'seat',
    type: 'string',
    maxLength: MAX_SEAT_LENGTH,
    doc: "the seat POST /matchmake issued for this room (see Matchmaking); may be '' with a resumeToken",
  },
  {
    name: 'resumeToken',
    type: 'string',
    maxLength: MAX_RESUME_TOKEN_LENGTH,
    optional: true,
    doc: "the resumeToken of this client's last WELCOME, to take its player back (see Resuming); absent or '' for a fresh join",
  },
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
    name: 'tick',
    type: 'uint',
    max: UINT32_MAX,
    doc: 'the server tick this input is meant for, as the client estimates it; 0 when it has no estimate',
  },
  {
    name: 'moveX',
    type: 'float',
    min: -1,
    max: 1,
    doc: 'desired direction, x (+ is east); a longer (x, y) is normalized',
  },
  { name: 'moveY', type: 'float', min: -1, max: 1, doc: 'desired direction, y (+ is south, screen coordinates)' },
  {
    name: 'buttons',
    type: 'uint',
    max: BUTTONS_MAX,
    doc: 'held buttons: bit 0 (1) primary fire, bit 1 (2) secondary fire; no other bit may be set',
  },
  {
    name: 'aimAngle',
    type: 'float',
    min: -Math.PI,
    max: Math.PI,
    doc: 'aim direction in radians, 0 = +x (east), π/2 = +y (south)',
  },
  {
    name: 'viewTick',
    type: 'float',
    min: 0,
    max: UINT32_MAX,
    doc: 'server tick time the client was drawing other players at (its interpolation time); 0 = none',
  },
] as const satisfies readonly FieldSpec[];

export const ackFields = [
  {
    name: 'ackTick',
    type: 'uint',
    max: UINT32_MAX,
    doc: 'tick of the newest snapshot the client applied, as INPUT ackTick',
  },
] as const satisfies readonly FieldSpec[];

export const chatFields = [
  { name: 'text', type: 'string', maxLength: MAX_CHAT_LENGTH, doc: 'the line to say to the room, plain text' },
] as const satisfies readonly FieldSpec[];

export const welcomeFields = [
  { name: 'protocolVersion', type: 'uint', max: UINT16_MAX, doc: "the server's PROTOCOL_VERSION" },
  { name: 'playerId', type: 'uint', max: UINT16_MAX, doc: "this client's player id in snapshots" },
  { name: 'tick', type: 'uint', max: UINT32_MAX, doc: 'the server tick at which the player joined' },
  { name: 'tickRate', type: 'uint', max: 1000, doc: 'simulation ticks per second' },
  { name: 'snapshotRate', type: 'uint', max: 1000, doc: 'snapshots per second' },
  { name: 'worldWidth', type: 'uint', max: MAX_POSITION_UNITS, doc: 'world width in units' },
  { name: 'worldHeight', type: 'uint', max: MAX_POSITION_UNITS, doc: 'world height in units' },
  { name: 'positionScale', type: 'uint', max: 1024, doc: 'position quanta per world unit' },
  { name: 'angleSteps', type: 'uint', max: UINT16_MAX, doc: 'angle quanta per full turn' },
  { name: 'speed', type: 'uint', max: UINT16_MAX, doc: 'top speed in world units per second' },
  { name: 'maxEntityId', type: 'uint', max: MAX_ENTITY_ID, doc: 'the largest entity id snapshots will use' },
  {
    name: 'mapHash',
    type: 'uint',
    max: UINT32_MAX,
    doc: 'FNV-1a 32 of the world the server simulates; a predicting client must hold the same',
  },
  {
    name: 'resumeToken',
    type: 'string',
    maxLength: MAX_RESUME_TOKEN_LENGTH,
    doc: "sent in a HELLO after a dropped connection, takes this player back once (see Resuming); '' when the server keeps no player",
  },
  {
    name: 'reconnectGraceMs',
    type: 'uint',
    max: MAX_RECONNECT_GRACE_MS,
    doc: 'how long the server keeps this player after its connection drops; 0 = not at all',
  },
  {
    name: 'viewRadius',
    type: 'uint',
    max: MAX_POSITION_UNITS,
    doc: 'how far this client sees, world units (see Interest management); 0 = everything',
  },
  {
    name: 'budgetBytesPerSecond',
    type: 'uint',
    max: UINT32_MAX,
    doc: 'snapshot bytes a second the server may send this client (see Deferred entities); 0 = no budget',
  },
] as const satisfies readonly FieldSpec[];

/** A pong: the server's receive and send times of a PING, on its tick clock (fractional ticks). */
export const pongFields = [
  { name: 'pingId', type: 'uint', max: UINT32_MAX, doc: "the PING's pingId" },
  { name: 'clientTimeMs', type: 'float', min: 0, max: 1e15, doc: "the PING's clientTimeMs, echoed" },
  {
    name: 'serverReceiveTick',
    type: 'float',
    min: 0,
    max: UINT32_MAX,
    doc: 'server tick time when the PING arrived: tick + fraction of the tick period since it was due',
  },
  {
    name: 'serverSendTick',
    type: 'float',
    min: 0,
    max: UINT32_MAX,
    doc: 'server tick time when this SNAPSHOT was written',
  },
] as const satisfies readonly FieldSpec[];

/** An entity sent whole: its id, then every field of ENTITY_FIELDS in order. */
export const entityTupleFields = [
  { name: 'id', type: 'uint', max: MAX_ENTITY_ID, doc: 'entity id' },
  ...ENTITY_FIELDS,
] as const satisfies readonly FieldSpec[];

/** A shot fired: a hitscan ray, a projectile launch, or a projectile hitting a player. */
export const shotFields = [
  { name: 'tick', type: 'uint', max: UINT32_MAX, doc: 'the server tick it happened at' },
  { name: 'shooterId', type: 'uint', max: UINT16_MAX, doc: 'player id of the shooter' },
  { name: 'weapon', type: 'uint', max: 1, doc: '0 primary (hitscan), 1 secondary (projectile)' },
  { name: 'x0', type: 'uint', max: MAX_POSITION_Q, doc: 'x where it started: the shooter, or the launch point' },
  { name: 'y0', type: 'uint', max: MAX_POSITION_Q, doc: 'y where it started' },
  {
    name: 'x1',
    type: 'uint',
    max: MAX_POSITION_Q,
    doc: 'x where it ended: the hit, a wall, or the end of its reach (see Shots)',
  },
  { name: 'y1', type: 'uint', max: MAX_POSITION_Q, doc: 'y where it ended' },
  { name: 'hitId', type: 'uint', max: UINT16_MAX, doc: 'player id it hit, 0 for none' },
] as const satisfies readonly FieldSpec[];

/** A player killed. */
export const killFields = [
  { name: 'tick', type: 'uint', max: UINT32_MAX, doc: 'the server tick of the killing hit' },
  { name: 'killerId', type: 'uint', max: UINT16_MAX, doc: 'player id of the killer, 0 if it has left' },
  { name: 'victimId', type: 'uint', max: UINT16_MAX, doc: 'player id of the player killed' },
  { name: 'weapon', type: 'uint', max: 1, doc: 'the weapon of the killing hit: 0 primary, 1 secondary' },
] as const satisfies readonly FieldSpec[];

export const snapshotFields = [
  { name: 'tick', type: 'uint', max: UINT32_MAX, doc: 'the server tick this state is from' },
  { name: 'lastInputSeq', type: 'uint', max: UINT32_MAX, doc: "seq of this client's newest input applied, 0 for none" },
  {
    name: 'inputBuffer',
    type: 'uint',
    max: UINT16_MAX,
    doc: "this client's inputs still queued on the server after this tick took one",
  },
  {
    name: 'starvedInputs',
    type: 'uint',
    max: UINT32_MAX,
    doc: "ticks so far that found this client's queue empty and repeated its latest input",
  },
  {
    name: 'droppedInputs',
    type: 'uint',
    max: UINT32_MAX,
    doc: "this client's inputs dropped so far because its queue was full",
  },
  {
    name: 'pong',
    type: 'list',
    maxItems: 1,
    item: pongFields,
    doc: "empty, or the answer to this client's newest PING since its last snapshot, laid out as below",
  },
  {
    name: 'baseAge',
    type: 'uint',
    max: UINT16_MAX,
    doc: 'ticks since the baseline (the last SNAPSHOT sent to this client); 0 = full snapshot',
  },
  {
    name: 'created',
    type: 'list',
    maxItems: MAX_SNAPSHOT_ENTITIES,
    item: entityTupleFields,
    doc: 'entities the baseline lacks, each sent whole as a tuple laid out as below',
  },
  {
    name: 'changed',
    type: 'ints',
    maxItems: MAX_SNAPSHOT_ENTITIES * (2 + FIELD_COUNT),
    min: -32768,
    max: MAX_POSITION_Q,
    doc: 'flat: id, mask, then the value of each field whose bit is set in mask, per entity that differs from its prediction',
  },
  {
    name: 'removed',
    type: 'ints',
    maxItems: MAX_SNAPSHOT_ENTITIES,
    min: 0,
    max: UINT16_MAX,
    doc: 'ids of baseline entities that no longer exist',
  },
  {
    name: 'shots',
    type: 'list',
    maxItems: MAX_SNAPSHOT_SHOTS,
    item: shotFields,
    doc: 'shots of the ticks after the baseline up to this one, oldest first, laid out as below',
  },
  {
    name: 'kills',
    type: 'list',
    maxItems: MAX_SNAPSHOT_KILLS,
    item: killFields,
    doc: 'kills of the ticks after the baseline up to this one, oldest first, laid out as below',
  },
  {
    name: 'deferred',
    type: 'ints',
    maxItems: MAX_SNAPSHOT_ENTITIES,
    min: 0,
    max: MAX_ENTITY_ID,
    doc: 'ids of baseline entities a byte budget did not update: kept as held, unpredicted (see Deferred entities); on the wire only with head bit 64',
  },
] as const satisfies readonly FieldSpec[];

/** One player of the roster. */
export const rosterFields = [
  { name: 'id', type: 'uint', max: UINT16_MAX, doc: 'player id (its entity id in snapshots)' },
  {
    name: 'name',
    type: 'string',
    maxLength: MAX_NAME_LENGTH,
    doc: 'display name: its HELLO name cleaned, bounded and made unique in the room (see Roster)',
  },
  { name: 'kills', type: 'uint', max: UINT32_MAX, doc: 'players it has killed since it joined' },
  { name: 'deaths', type: 'uint', max: UINT32_MAX, doc: 'times it has died since it joined' },
  {
    name: 'reconnecting',
    type: 'uint',
    max: 1,
    doc: '1 while its connection has dropped and the server keeps it for a resume (see Resuming), else 0',
  },
] as const satisfies readonly FieldSpec[];

export const playersFields = [
  { name: 'version', type: 'uint', max: UINT32_MAX, doc: 'the roster version this list is' },
  { name: 'page', type: 'uint', max: UINT16_MAX, doc: 'this page, 0 for the first' },
  { name: 'pages', type: 'uint', min: 1, max: UINT16_MAX, doc: 'pages of this version, sent back to back' },
  {
    name: 'players',
    type: 'list',
    maxItems: MAX_ROSTER_ITEMS,
    item: rosterFields,
    doc: 'this page of the players in the room, ordered by id across the pages, laid out as below',
  },
] as const satisfies readonly FieldSpec[];

/** A player renamed. */
export const renameFields = [
  { name: 'id', type: 'uint', max: UINT16_MAX, doc: 'player id' },
  { name: 'name', type: 'string', maxLength: MAX_NAME_LENGTH, doc: 'its new display name' },
] as const satisfies readonly FieldSpec[];

/** A player's new score. */
export const scoreFields = [
  { name: 'id', type: 'uint', max: UINT16_MAX, doc: 'player id' },
  { name: 'kills', type: 'uint', max: UINT32_MAX, doc: 'players it has killed since it joined' },
  { name: 'deaths', type: 'uint', max: UINT32_MAX, doc: 'times it has died since it joined' },
] as const satisfies readonly FieldSpec[];

export const rosterChangesFields = [
  {
    name: 'version',
    type: 'uint',
    min: 1,
    max: UINT32_MAX,
    doc: 'the roster version after these changes; they apply to version − 1 only',
  },
  {
    name: 'joined',
    type: 'list',
    maxItems: MAX_ROSTER_ITEMS,
    item: rosterFields,
    doc: 'players who joined, each whole; one replaces any entry with its id',
  },
  {
    name: 'left',
    type: 'ints',
    maxItems: MAX_ROSTER_ITEMS,
    min: 0,
    max: UINT16_MAX,
    doc: 'ids of players who left',
  },
  {
    name: 'renamed',
    type: 'list',
    maxItems: MAX_ROSTER_ITEMS,
    item: renameFields,
    doc: 'players whose name changed, laid out as below',
  },
  {
    name: 'scores',
    type: 'list',
    maxItems: MAX_ROSTER_ITEMS,
    item: scoreFields,
    doc: 'players whose kills or deaths changed, laid out as below',
  },
] as const satisfies readonly FieldSpec[];

export const serverChatFields = [
  { name: 'fromId', type: 'uint', max: UINT16_MAX, doc: 'player id of the sender; 0 = a notice from the server' },
  { name: 'text', type: 'string', maxLength: MAX_CHAT_LENGTH, doc: 'the line, plain text (never markup)' },
] as const satisfies readonly FieldSpec[];

export const debugStateRequestFields = [] as const satisfies readonly FieldSpec[];

export const pingFields = [
  { name: 'pingId', type: 'uint', max: UINT32_MAX, doc: 'chosen by the client, echoed in the pong' },
  { name: 'clientTimeMs', type: 'float', min: 0, max: 1e15, doc: "the client's clock when it sent the PING, echoed" },
] as const satisfies readonly FieldSpec[];

export const debugNudgeFields = [
  {
    name: 'dx',
    type: 'int',
    min: -32768,
    max: 32767,
    doc: 'position quanta to move the player along x, before the next tick',
  },
  { name: 'dy', type: 'int', min: -32768, max: 32767, doc: 'position quanta to move the player along y' },
] as const satisfies readonly FieldSpec[];

export const debugStateFields = [
  { name: 'tick', type: 'uint', max: UINT32_MAX, doc: 'the tick of the newest snapshot state the server holds' },
  { name: 'page', type: 'uint', max: UINT16_MAX, doc: 'this page, 0 for the first' },
  { name: 'pages', type: 'uint', min: 1, max: UINT16_MAX, doc: 'pages of this reply, sent back to back' },
  {
    name: 'entities',
    type: 'list',
    maxItems: MAX_SNAPSHOT_ENTITIES,
    item: entityTupleFields,
    doc: 'this page of every entity at that tick, as the server holds it, ordered by id across the pages',
  },
  {
    name: 'interest',
    type: 'ints',
    maxItems: MAX_SNAPSHOT_ENTITIES,
    min: 0,
    max: UINT16_MAX,
    doc: 'this page of the ids in your view at your last snapshot, sorted across the pages (see DEBUG_STATE)',
  },
] as const satisfies readonly FieldSpec[];

/** The field list of every message id: the codec and the doc test walk this table. */
export const clientMessageFields = {
  [ClientMessageId.HELLO]: helloFields,
  [ClientMessageId.INPUT]: inputFields,
  [ClientMessageId.DEBUG_STATE_REQUEST]: debugStateRequestFields,
  [ClientMessageId.PING]: pingFields,
  [ClientMessageId.DEBUG_NUDGE]: debugNudgeFields,
  [ClientMessageId.CHAT]: chatFields,
  [ClientMessageId.ACK]: ackFields,
} as const;
export const serverMessageFields = {
  [ServerMessageId.WELCOME]: welcomeFields,
  [ServerMessageId.SNAPSHOT]: snapshotFields,
  [ServerMessageId.DEBUG_STATE]: debugStateFields,
  [ServerMessageId.PLAYERS]: playersFields,
  [ServerMessageId.CHAT]: serverChatFields,
  [ServerMessageId.ROSTER_CHANGES]: rosterChangesFields,
} as const;

export type HelloMessage = { id: typeof ClientMessageId.HELLO } & FieldsObject<typeof helloFields>;
export type InputMessage = { id: typeof ClientMessageId.INPUT } & FieldsObject<typeof inputFields>;
export type DebugStateRequestMessage = { id: typeof ClientMessageId.DEBUG_STATE_REQUEST } & FieldsObject<
  typeof debugStateRequestFields
>;
export type PingMessage = { id: typeof ClientMessageId.PING } & FieldsObject<typeof pingFields>;
export type DebugNudgeMessage = { id: typeof ClientMessageId.DEBUG_NUDGE } & FieldsObject<typeof debugNudgeFields>;
export type ChatMessage = { id: typeof ClientMessageId.CHAT } & FieldsObject<typeof chatFields>;
export type AckMessage = { id: typeof ClientMessageId.ACK } & FieldsObject<typeof ackFields>;
export type ClientMessage =
  | HelloMessage
  | InputMessage
  | DebugStateRequestMessage
  | PingMessage
  | DebugNudgeMessage
  | ChatMessage
  | AckMessage;

export type WelcomeMessage = { id: typeof ServerMessageId.WELCOME } & FieldsObject<typeof welcomeFields>;
export type EntityTuple = FieldsObject<typeof entityTupleFields>;
export type Pong = FieldsObject<typeof pongFields>;
export type SnapshotMessage = { id: typeof ServerMessageId.SNAPSHOT } & FieldsObject<typeof snapshotFields>;
export type DebugStateMessage = { id: typeof ServerMessageId.DEBUG_STATE } & FieldsObject<typeof debugStateFields>;
export type ShotEvent = FieldsObject<typeof shotFields>;
export type KillEvent = FieldsObject<typeof killFields>;
export type RosterEntry = FieldsObject<typeof rosterFields>;
export type PlayersMessage = { id: typeof ServerMessageId.PLAYERS } & FieldsObject<typeof playersFields>;
export type ServerChatMessage = { id: typeof ServerMessageId.CHAT } & FieldsObject<typeof serverChatFields>;
export type RosterRename = FieldsObject<typeof renameFields>;
export type RosterScore = FieldsObject<typeof scoreFields>;
export type RosterChangesMessage = { id: typeof ServerMessageId.ROSTER_CHANGES } & FieldsObject<
  typeof rosterChangesFields
>;
export type ServerMessage =
  | WelcomeMessage
  | SnapshotMessage
  | DebugStateMessage
  | PlayersMessage
  | ServerChatMessage
  | RosterChangesMessage;
