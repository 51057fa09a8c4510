// GET /rooms: the public rooms, oldest first, as the directory lists them. Runs once per request to
// /rooms (the page polls nothing: /lobby pushes the same list live; this is for bots and tools).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoomsAnswer } from '@tickwire/protocol';
import type { RoomListing } from '../rooms/directory.js';
import type { Refusals } from './refusals.js';

export interface RoomsRouteDeps {
  /** The directory's public rooms now (rooms/directory.ts listPublic), oldest first. */
  listPublic(): Promise<readonly RoomListing[]>;
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
          rooms: rooms.map(({ id, scenario, players, maxPlayers, tickRate, createdAt }) => ({
            id,
            scenario,
            players,
            maxPlayers,
            tickRate,
            createdAt,
          })),
        };
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
      },
      (error: unknown) => {
        deps.fault(error, req);
        deps.refusals?.count(500);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('internal server error\n');
      },
    );
  };
}
