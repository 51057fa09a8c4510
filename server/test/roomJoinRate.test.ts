// The room's join hook: a HELLO from an address over its join rate closes with JOIN_RATE (4012)
// and takes no seat; an exempt session (no address key) is never asked.
import { ClientMessageId, CloseCode, encodeClientMessage, PROTOCOL_VERSION } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { Room } from '../src/room/room.js';
import { AddressLimits } from '../src/transport/addressLimits.js';
import { FakeSocket } from './support/fakeRoom.js';

function roomWithJoinRate(joinsPerMinutePerIp: number) {
  const config = { ...defaultConfig(), scenario: 'arena' as const };
  const limits = new AddressLimits({ maxConnectionsPerIp: 0, joinsPerMinutePerIp });
  const asked: [string, number][] = [];
  const room = new Room(config, silentLogger, () => 0, {
    admitJoin: (key, nowMs) => {
      asked.push([key, nowMs]);
      return limits.admitJoin(key, nowMs);
    },
  });
  const hello = encodeClientMessage({
    id: ClientMessageId.HELLO,
    protocolVersion: PROTOCOL_VERSION,
    name: 'p',
    seat: '',
  });
  const join = (addressKey: string | undefined, nowMs: number) => {
    const socket = new FakeSocket();
    const session = room.open(socket, nowMs, addressKey);
    room.receive(session, hello, true, nowMs);
    return { socket, session };
  };
  return { room, join, asked };
}

describe('Room join rate', () => {
  it('closes the HELLO over the rate with JOIN_RATE (4012) and gives it no seat', () => {
    const t = roomWithJoinRate(3);
    for (let i = 0; i < 3; i++) expect(t.join('203.0.113.7', 1000).session.state).toBe('playing');
    const refused = t.join('203.0.113.7', 1000);
    expect(refused.socket.closed?.code).toBe(CloseCode.JOIN_RATE);
    expect(refused.session.state).toBe('closed');
    expect(t.room.playerCount).toBe(3);
    expect(t.room.counters.closes[CloseCode.JOIN_RATE]).toBe(1);
  });

  it('counts per address, with the time the HELLO arrived, and never asks about an exempt (loopback) session', () => {
    const t = roomWithJoinRate(1);
    for (let i = 0; i < 5; i++) expect(t.join(undefined, 0).session.state).toBe('playing');
    expect(t.join('203.0.113.7', 5).session.state).toBe('playing');
    expect(t.join('203.0.113.8', 7).session.state).toBe('playing');
    expect(t.join('203.0.113.7', 9).socket.closed?.code).toBe(CloseCode.JOIN_RATE);
    expect(t.asked).toEqual([
      ['203.0.113.7', 5],
      ['203.0.113.8', 7],
      ['203.0.113.7', 9],
    ]);
    // A minute later the address has its join back.
    expect(t.join('203.0.113.7', 60_009).session.state).toBe('playing');
  });
});
