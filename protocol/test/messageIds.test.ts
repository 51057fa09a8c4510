// The message id table: unique ids in each direction's range, and log names derived from it.
import { describe, expect, it } from 'vitest';
import {
  ClientMessageId,
  clientMessageFields,
  isClientMessageId,
  isServerMessageId,
  messageIdName,
  ServerMessageId,
  serverMessageFields,
} from '../src/index.js';

const clientIds = Object.entries(ClientMessageId);
const serverIds = Object.entries(ServerMessageId);

describe('message ids', () => {
  it('are unique across both directions', () => {
    const ids = [...clientIds, ...serverIds].map(([, id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('put client → server ids in 1..63 and server → client ids in 64..127 (one positive fixint byte)', () => {
    for (const [name, id] of clientIds) expect(id >= 1 && id <= 63, name).toBe(true);
    for (const [name, id] of serverIds) expect(id >= 64 && id <= 127, name).toBe(true);
  });

  it('derive log names from the table, and name an unknown id', () => {
    for (const [name, id] of [...clientIds, ...serverIds]) expect(messageIdName(id)).toBe(name);
    expect(messageIdName(17)).toBe('unknown(17)');
    expect(messageIdName(70)).toBe('unknown(70)');
    expect(messageIdName(-1)).toBe('unknown(-1)');
  });

  it('tell the directions apart', () => {
    for (const [, id] of clientIds) {
      expect(isClientMessageId(id)).toBe(true);
      expect(isServerMessageId(id)).toBe(false);
    }
    for (const [, id] of serverIds) {
      expect(isServerMessageId(id)).toBe(true);
      expect(isClientMessageId(id)).toBe(false);
    }
    // 8 and 70 are the first ids after each direction's last one.
    for (const id of [0, 8, 17, 63, 70, 127, 128, -4, 4.5, 1.5, Number.NaN]) {
      expect(isClientMessageId(id) || isServerMessageId(id), String(id)).toBe(false);
    }
  });

  it('know the version 3 client ids: PING 4 (clock sync) and DEBUG_NUDGE 5 (debug)', () => {
    expect(ClientMessageId.PING).toBe(4);
    expect(ClientMessageId.DEBUG_NUDGE).toBe(5);
    for (const id of [4, 5]) {
      expect(isClientMessageId(id), String(id)).toBe(true);
      expect(isServerMessageId(id), String(id)).toBe(false);
    }
    expect(messageIdName(4)).toBe('PING');
    expect(messageIdName(5)).toBe('DEBUG_NUDGE');
  });

  it('know the version 5 ids: CHAT both ways (6 from clients, 68 from the server) and PLAYERS 67', () => {
    expect(ClientMessageId.CHAT).toBe(6);
    expect(ServerMessageId.PLAYERS).toBe(67);
    expect(ServerMessageId.CHAT).toBe(68);
    expect(isClientMessageId(6)).toBe(true);
    expect(isServerMessageId(6)).toBe(false);
    expect(isServerMessageId(68)).toBe(true);
    expect(isClientMessageId(68)).toBe(false);
    expect([messageIdName(6), messageIdName(67), messageIdName(68)]).toEqual(['CHAT', 'PLAYERS', 'CHAT']);
  });

  it('know the version 6 id: ROSTER_CHANGES 69, from the server', () => {
    expect(ServerMessageId.ROSTER_CHANGES).toBe(69);
    expect(isServerMessageId(69)).toBe(true);
    expect(isClientMessageId(69)).toBe(false);
    expect(messageIdName(69)).toBe('ROSTER_CHANGES');
  });

  it('know the version 6 client id ACK 7, an acknowledgement that is not an input', () => {
    expect(ClientMessageId.ACK).toBe(7);
    expect(isClientMessageId(7)).toBe(true);
    expect(isServerMessageId(7)).toBe(false);
    expect(messageIdName(7)).toBe('ACK');
    expect(clientMessageFields[ClientMessageId.ACK].map((field) => field.name)).toEqual(['ackTick']);
  });

  it('have a field list for every id and no field list without an id', () => {
    expect(Object.keys(clientMessageFields).map(Number).sort()).toEqual(clientIds.map(([, id]) => id).sort());
    expect(Object.keys(serverMessageFields).map(Number).sort()).toEqual(serverIds.map(([, id]) => id).sort());
  });

  it('keep field names unique within each message', () => {
    for (const fields of [...Object.values(clientMessageFields), ...Object.values(serverMessageFields)]) {
      const names = fields.map((field) => field.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
