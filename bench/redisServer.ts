// Bench plumbing for the scale-out benches: a throwaway redis-server on a free loopback port (the
// tests' own starter, server/test/support/redisServer.ts, stopped by its PID) and single commands
// sent to it over RESP. Used once per bench run, a handful of commands per figure.
import { connect, type Socket } from 'node:net';

export {
  freePort,
  type RedisServer as BenchRedis,
  startRedis,
} from '../server/test/support/redisServer.js';

type Reply = string | number | null | Reply[];

/** One command on a fresh connection; resolves with its reply (an error reply rejects). */
export function redisCommand(port: number, args: readonly (string | number)[]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const parsed = parseReply(buffer, 0);
      if (parsed === undefined) return;
      socket.end();
      if (parsed.error !== undefined) reject(new Error(parsed.error));
      else resolve(parsed.value);
    });
    const parts = args.map(String);
    socket.write(`*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`);
  });
}

/** One RESP2 reply from `at`, or undefined while incomplete. */
function parseReply(buf: Buffer, at: number): { value: Reply; end: number; error?: string } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const head = buf.toString('utf8', at + 1, eol);
  switch (String.fromCharCode(buf[at]!)) {
    case '+':
      return { value: head, end: eol + 2 };
    case '-':
      return { value: null, end: eol + 2, error: head };
    case ':':
      return { value: Number(head), end: eol + 2 };
    case '$': {
      const n = Number(head);
      if (n < 0) return { value: null, end: eol + 2 };
      if (buf.length < eol + 2 + n + 2) return undefined;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + n), end: eol + 2 + n + 2 };
    }
    case '*': {
      const n = Number(head);
      const items: Reply[] = [];
      let next = eol + 2;
      for (let i = 0; i < n; i++) {
        const item = parseReply(buf, next);
        if (item === undefined) return undefined;
        items.push(item.value);
        next = item.end;
      }
      return { value: n < 0 ? null : items, end: next };
    }
    default:
      throw new Error(`unexpected RESP byte ${buf[at]}`);
  }
}

/** Per command (lower case, e.g. evalsha): calls and server-side µs, from INFO commandstats. */
export type CommandStats = Map<string, { calls: number; usec: number }>;

export async function commandStats(port: number): Promise<CommandStats> {
  const text = String(await redisCommand(port, ['INFO', 'commandstats']));
  const stats: CommandStats = new Map();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

/** after − before per command, commands with no new call left out; INFO itself is not counted. */
export function diffCommandStats(after: CommandStats, before: CommandStats): CommandStats {
  const diff: CommandStats = new Map();
  for (const [name, a] of after) {
    if (name === 'info') continue;
    const b = before.get(name) ?? { calls: 0, usec: 0 };
    if (a.calls > b.calls) diff.set(name, { calls: a.calls - b.calls, usec: a.usec - b.usec });
  }
  return diff;
}
