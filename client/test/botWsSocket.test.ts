// Tests for the ws adapter of the bots (client/src/bot/wsSocket.ts) against a ws server on 127.0.0.1.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ClientMessageId, decodeClientFrame, encodeServerMessage, PROTOCOL_VERSION } from '@tickwire/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { openWsSocket } from '../src/bot/wsSocket.js';
import { Connection } from '../src/net/connection.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

let server: WebSocketServer | undefined;

afterEach(async () => {
  if (server === undefined) return;
  for (const client of server.clients) client.terminate();
  server.close();
  await once(server, 'close');
  server = undefined;
});

async function listen(): Promise<string> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  await once(server, 'listening');
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
}

describe('openWsSocket', () => {
  it('carries a Connection through HELLO, WELCOME, SNAPSHOT and a 1000 close, uncompressed', async () => {
    const url = await listen();
    const connected = once(server!, 'connection') as Promise<[WebSocket, { headers: Record<string, string> }]>;
    const snapshotArrived = new Promise<number>((resolve) => {
      const connection = new Connection(openWsSocket(url), {
        name: 'bot0',
        seat: '',
        now: () => 0,
        onSnapshot: (snapshot) => {
          resolve(snapshot.tick);
          connection.close(1000, 'bots done');
        },
      });
    });
    const [peer, request] = await connected;
    expect(request.headers['sec-websocket-extensions']).toBeUndefined();
    const [hello] = (await once(peer, 'message')) as [Buffer];
    expect(decodeClientFrame(hello)).toMatchObject({
      ok: true,
      message: { id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name: 'bot0' },
    });
    peer.send(encodeServerMessage(welcomeMessage({ tick: 5 })));
    peer.send(encodeServerMessage(emptySnapshot(6)));
    expect(await snapshotArrived).toBe(6);
    const [code] = (await once(peer, 'close')) as [number];
    expect(code).toBe(1000);
  });

  it('rejects a binaryType ws does not have', () => {
    const socket = openWsSocket('ws://127.0.0.1:1/ws');
    socket.onerror = () => {};
    expect(() => {
      socket.binaryType = 'blob';
    }).toThrow(TypeError);
    socket.close();
  });
});
