// GET /rooms: the public rooms, oldest first, as the directory lists them. Runs once per request to
// /rooms (the page polls nothing: /lobby pushes the same list live; this is for bots and tools).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoomsAnswer } from '@tickwire/protocol';
import type { RoomListing } from '../rooms/directory.js';

/** What a listing needs of a room; `process` (its id and public URL) only with --redis-url. */
export type ListedRoom = Pick<
  RoomListing,
  'id' | 'scenario' | 'players' | 'maxPlayers' | 'tickRate' | 'viewRadius' | 'createdAt'
> & {
  process?: { id: string; url: string };
};

import type { Refusals } from './refusals.js';

export interface RoomsRouteDeps {
  /** The directory's public rooms now (rooms/directory.ts listPublic, or the cluster's), oldest first. */
  listPublic(): Promise<readonly ListedRoom[]>;
  /** Where a non-2xx answer is counted, by status. */
  refusals?: Refusals;
  /** An exception from listPublic: the request is answered 500 and the exception reported here. */
  fault(error: unknown, req: IncomingMessage): void;
}

export function createRoomsRoute(deps: RoomsRouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      deps.refusals?.count(405);
      res.writeHead(405, { allow: 'GET, HEAD', 'cache-control': 'no-store' }).end();
      return;
    }
    deps.listPublic().then(
      (rooms) => {
        // Only the listed fields: a room's code, pending seats and privacy stay on the server.
        const body: RoomsAnswer = {
          rooms: rooms.map(({ id, scenario, players, maxPlayers, tickRate, viewRadius, createdAt, process }) => ({
            id,
            scenario,
            players,
            maxPlayers,
            tickRate,
            viewRadius,
            createdAt,
            ...(process === undefined ? {} : { process: { id: process.id, url: process.url } }),
          })),
        };
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
      },
      (error: unknown) => {
        if (error instanceof Error && error.name === 'RedisUnavailableError') {
          // The cluster's directory is unreachable: not this server's fault, and worth a retry.
          deps.refusals?.count(503);
          res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': '1' });
          res.end(JSON.stringify({ error: 'unavailable', message: 'the room directory cannot be reached; try again' }));
          return;
        }
        deps.fault(error, req);
        deps.refusals?.count(500);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('internal server error\n');
      },
    );
  };
}
