// Integration: what once stopped the process, or held its resources forever, against the real
// server: the 183-byte frame, request targets new URL() threw on, silent and half-sent
// connections, idle players, and a close frame whose reason is not UTF-8.
import { connect, type Socket } from 'node:net';
import { CloseCode } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSeat } from './support/seats.js';
import { getHealth, type ServerProcess, startServer } from './support/serverProcess.js';
import { TestClient } from './support/testClient.js';

const REQUEST_TIMEOUT_MS = 1000;
const IDLE_KICK_MS = 1500;

/** "€" × 60 as a MessagePack str 8, then one trailing byte: 183 bytes. */
const EURO_FRAME = (() => {
  const text = Buffer.from('€'.repeat(60));
  return Uint8Array.from([0xd9, text.length, ...text, 0x00]);
})();

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer([
    '--request-timeout-ms',
    String(REQUEST_TIMEOUT_MS),
    '--idle-kick-ms',
    String(IDLE_KICK_MS),
  ]);
});

afterAll(async () => {
  const exit = await server.stop();
  // Still running until stopped, and stopped cleanly: nothing above brought it down.
  expect(exit.code).toBe(0);
});

/** Open a TCP connection; resolves with the socket and a promise of everything it read until it closed. */
function rawConnection(): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    const closed = new Promise<string>((done) => socket.on('close', () => done(text)));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

async function rawRequest(head: string): Promise<string> {
  const { socket, closed } = await rawConnection();
  socket.write(head);
  return closed;
}

describe('one request or frame no longer stops the process', () => {
  it('closes the 183-byte frame’s connection with 4001 while another player plays on', async () => {
    const honest = await TestClient.join(await joinSeat(server.url), 'honest');
    const hostile = await TestClient.connect(await joinSeat(server.url));
    hostile.sendBytes(EURO_FRAME);
    expect((await hostile.waitClosed()).code).toBe(CloseCode.UNDECODABLE);
    const before = honest.snapshots.items.length;
    honest.input();
    await honest.nextSnapshot();
    expect(honest.snapshots.items.length).toBeGreaterThan(before);
    await honest.close();
  });

  /**
   * The process is still up and ticking: /healthz answers. Its verdict may be 'overloaded' on a
   * loaded test machine (late ticks), which is a live process's honest answer, not a stop.
   */
  async function expectStillServing(): Promise<void> {
    expect(['ok', 'overloaded']).toContain((await getHealth(server)).status);
  }

  it.each(['//', '///', '//[', '/\\'])('answers GET %s with 404', async (target) => {
    const answer = await rawRequest(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer.startsWith('HTTP/1.1 404')).toBe(true);
    await expectStillServing();
  });

  it.each(['//', '///', '//[', '/\\'])('refuses an upgrade to %s with 404', async (target) => {
    const answer = await rawRequest(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(answer.startsWith('HTTP/1.1 404')).toBe(true);
    await expectStillServing();
  });
});

describe('connections that never finish a request', () => {
  it('closes a connection that sends nothing once the request timeout has passed', async () => {
    const { closed } = await rawConnection();
    // Resolves only when the server closes it: nothing is written from this side. Node answers
    // 408 Request Timeout on the way out.
    const answer = await closed;
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('closes a connection that sends half a request and stalls (slowloris)', async () => {
    const { socket, closed } = await rawConnection();
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const answer = await closed;
    // Node answers 408 Request Timeout where it can, then closes.
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('leaves an upgraded WebSocket alone past the request timeout', async () => {
    const player = await TestClient.join(await joinSeat(server.url), 'mover');
    const joined = player.snapshots.items.length;
    // Keep moving until twice the request timeout's worth of snapshots (30 per second) has arrived.
    while (player.snapshots.items.length < joined + (2 * REQUEST_TIMEOUT_MS * 30) / 1000) {
      player.input({ moveX: 1 });
      await player.nextSnapshot();
    }
    expect(player.isOpen).toBe(true);
    await player.close();
  });
});

describe('the idle kick', () => {
  it('closes a player who sends only still inputs with 4011, and keeps one who moves', async () => {
    const idle = await TestClient.join(await joinSeat(server.url), 'idle');
    const mover = await TestClient.join(await joinSeat(server.url), 'mover');
    const closed = idle.waitClosed(30_000);
    let done = false;
    void closed.then(() => {
      done = true;
    });
    while (!done) {
      idle.input();
      mover.input({ moveX: 1 });
      await mover.nextSnapshot();
    }
    expect((await closed).code).toBe(CloseCode.IDLE_KICK);
    expect(mover.isOpen).toBe(true);
    await mover.close();
  });
});

describe('a close frame whose reason is not UTF-8', () => {
  it('is answered with 1007', async () => {
    const room = await joinSeat(server.url);
    const { socket, closed } = await rawConnection();
    let head = '';
    const upgraded = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
    });
    socket.write(
      `GET ${new URL(room.wsUrl).pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    await upgraded;
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    // A masked close frame (mask 0): code 1000, then the bytes 0xff 0xfe, which are never UTF-8.
    socket.write(Buffer.from([0x88, 0x84, 0, 0, 0, 0, 0x03, 0xe8, 0xff, 0xfe]));
    const answer = Buffer.from(await closed, 'latin1');
    const at = answer.indexOf(Buffer.from('\r\n\r\n')) + 4;
    const frame = answer.subarray(at);
    expect(frame[0]).toBe(0x88);
    expect(frame.readUInt16BE(2)).toBe(CloseCode.INVALID_PAYLOAD);
  });
});
