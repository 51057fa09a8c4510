// Tests for the ws adapter of the bots (client/src/bot/wsSocket.ts) against a ws server on 127.0.0.1.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import {
  ClientMessageId,
  decodeClientFrame,
  encodeServerMessage,
  encodeSnapshotMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
} from '@tickwire/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { openWsSocket } from '../src/bot/wsSocket.js';
import { Connection } from '../src/net/connection.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

let server: WebSocketServer | undefined;
let tcp: Server | undefined;

afterEach(async () => {
  tcp?.close();
  tcp = undefined;
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
    peer.send(encodeSnapshotMessage(emptySnapshot(6), newSnapshotHeaderState()));
    expect(await snapshotArrived).toBe(6);
    const [code] = (await once(peer, 'close')) as [number];
    expect(code).toBe(1000);
  });

  it('a socket closed while still connecting, its handlers removed (Connection.abandon), raises nothing', async () => {
    // A TCP server that accepts and never answers the upgrade: the socket stays connecting.
    const accepted = new Promise<Socket>((resolve) => {
      tcp = createServer((peer) => resolve(peer));
    });
    await new Promise<void>((resolve) => tcp!.listen(0, '127.0.0.1', () => resolve()));
    const socket = openWsSocket(`ws://127.0.0.1:${(tcp!.address() as AddressInfo).port}/ws`);
    const connection = new Connection(socket, { name: 'bot0', seat: '', now: () => 0 });
    const peer = await accepted;
    expect(socket.readyState).toBe(0);
    connection.abandon();
    // ws aborts the handshake (the peer sees the close) and emits its error on the next turns: with
    // nobody listening Node would throw it and the run would report an uncaught error.
    await once(peer, 'close');
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.readyState).toBe(3);
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
