// Bench plumbing: POST a JSON body to /matchmake over a keep-alive node:http agent (cheaper per call
// than fetch, so more of the 2 cores are left to the servers). Called once per matchmaking call of
// bench:matchmake and bench:matchmake-redis.
import { type Agent, request } from 'node:http';
import { MATCHMAKE_PATH } from '@tickwire/protocol';

export interface Answer {
  status: number;
  body: string;
  /** Whether the call was a joinOrCreate (its answer names a seat's room). */
  seat: boolean;
}

/** POST `body` as JSON to /matchmake over `agent`; resolves with the status and the body. */
export function post(agent: Agent, port: number, body: string, seat: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: MATCHMAKE_PATH,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, seat }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
