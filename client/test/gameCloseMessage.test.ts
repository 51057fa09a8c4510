// The disconnected screen's message: every close code of the protocol's table has its own text, and
// codes a browser reports without a server (1006) read as a lost connection.
import { CloseCode } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { disconnectMessage } from '../src/game/model/closeMessage.js';

describe('disconnectMessage', () => {
  it('says the room is full for ROOM_FULL, with the name, number and reason', () => {
    const message = disconnectMessage(CloseCode.ROOM_FULL, 'room full (2 players)');
    expect(message.title).toMatch(/room is full/i);
    expect(message.detail).toBe('ROOM_FULL (4006): room full (2 players)');
  });

  it('tells a version mismatch to reload the page', () => {
    expect(disconnectMessage(CloseCode.VERSION_MISMATCH, '').title).toMatch(/version.*reload/i);
    expect(disconnectMessage(CloseCode.VERSION_MISMATCH, '').detail).toBe('VERSION_MISMATCH (4005)');
  });

  it('reads 1006 (no close frame) as a lost connection and 1001 as a shutdown', () => {
    expect(disconnectMessage(1006, '').title).toMatch(/connection lost/i);
    expect(disconnectMessage(1006, '').detail).toBe('connection lost (1006)');
    expect(disconnectMessage(CloseCode.SERVER_SHUTDOWN, 'shutting down').title).toMatch(/shut down/i);
  });

  it('has a distinct title for every code in the table', () => {
    const titles = Object.values(CloseCode).map((code) => disconnectMessage(code, '').title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('still says something for a code outside the table', () => {
    expect(disconnectMessage(4999, 'odd')).toEqual({ title: 'The connection ended.', detail: 'code (4999): odd' });
  });
});
