// DBSIZE of a Redis on loopback over one plain TCP connection (RESP by hand: one command, one integer
// answer), so the soak counts the keys a cluster left without a client library. Once per soak.
import { connect } from 'node:net';

/** The number of keys in `port`'s database 0; rejects on an error answer or after `timeoutMs`. */
export function redisKeyCount(port: number, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`DBSIZE: no answer within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write('*1\r\n$6\r\nDBSIZE\r\n'));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      const end = answer.indexOf('\r\n');
      if (end === -1) return;
      socket.end();
      const line = answer.slice(0, end);
      // ":<n>" is an integer reply; anything else ("-ERR ...") is not a count.
      if (/^:\d+$/.test(line)) resolve(Number(line.slice(1)));
      else reject(new Error(`DBSIZE answered ${line.slice(0, 200)}`));
    });
  });
}
