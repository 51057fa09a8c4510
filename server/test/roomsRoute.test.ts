// GET /rooms on a real node:http server: the public rooms with the listed fields only, no caching,
// 405 for other methods, 500 (reported) when the directory fails.
import { createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Refusals } from '../src/http/refusals.js';
import { createRoomsRoute, type RoomsRouteDeps } from '../src/http/roomsRoute.js';
import type { RoomListing } from '../src/rooms/directory.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(listPublic: RoomsRouteDeps['listPublic']) {
  const faults: unknown[] = [];
  const refusals = new Refusals();
  const route = createRoomsRoute({ listPublic, refusals, fault: (error) => faults.push(error) });
  const server = createServer((req, res) => route(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, faults, refusals };
}

function get(
  port: number,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/rooms', method, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const listing = (id: string, createdAt: number): RoomListing => ({
  id,
  scenario: 'arena',
  maxPlayers: 8,
  players: 3,
  pending: 2,
  tickRate: 30,
  viewRadius: 1000,
  createdAt,
  private: false,
  code: undefined,
});

describe('GET /rooms', () => {
  it('lists the public rooms in the directory order with id, scenario, players, maxPlayers, tickRate, viewRadius, createdAt only', async () => {
    const { port } = await serve(async () => [listing('aaaaaaaaaaaaaaaa', 1), listing('bbbbbbbbbbbbbbbb', 2)]);
    const reply = await get(port);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(reply.body)).toEqual({
      rooms: [
        {
          id: 'aaaaaaaaaaaaaaaa',
          scenario: 'arena',
          players: 3,
          maxPlayers: 8,
          tickRate: 30,
          viewRadius: 1000,
          createdAt: 1,
        },
        {
          id: 'bbbbbbbbbbbbbbbb',
          scenario: 'arena',
          players: 3,
          maxPlayers: 8,
          tickRate: 30,
          viewRadius: 1000,
          createdAt: 2,
        },
      ],
    });
  });

  it('answers an empty list when there is no room, and HEAD without a body', async () => {
    const { port } = await serve(async () => []);
    expect(JSON.parse((await get(port)).body)).toEqual({ rooms: [] });
    const head = await get(port, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses other methods with 405 and counts them', async () => {
    const { port, refusals } = await serve(async () => []);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const reply = await get(port, method);
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD');
    }
    expect(refusals.byStatus).toEqual({ 405: 4 });
  });

  it('answers 500 and reports the fault when the directory fails', async () => {
    const { port, faults } = await serve(async () => {
      throw new Error('directory down');
    });
    expect((await get(port)).status).toBe(500);
    expect(faults).toHaveLength(1);
  });
});
