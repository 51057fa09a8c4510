// Bench: how the server treats a client that stops applying snapshots. Run by hand, once per figure
// (npm run bench:slow); one raw WebSocket client, seated by POST /matchmake, against the real server
// process, polled via /healthz.
//
//   npm run bench:slow -- --mode paused  [--seconds 60]   a reader that stops reading its socket but
//        keeps sending INPUT (30 per second) with the ackTick of the last snapshot it read: prints
//        the time from the pause to its first skipped snapshot and to its 4009 SLOW_CLIENT close
//   npm run bench:slow -- --mode ack-only [--seconds 600]  a hidden-tab-like client: reads every
//        frame and ACKs [7, tick] from its message handler on the net client's schedule (250 ms, or
//        250 ms of server ticks), and sends no INPUT: prints whether it was ever skipped or closed
//
// Anything after `--` that the bench does not know is passed to the server (`-- --idle-kick-ms 0`).

import { parseArgs } from 'node:util';
import { AckSchedule } from '@tickwire/client/net';
import {
  ClientMessageId,
  decodeServerFrame,
  encodeClientMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  peekSnapshotTick,
  ServerMessageId,
} from '@tickwire/protocol';
import { WebSocket } from 'ws';
import { delay, getJson, machine, seatFor, startServer, stopProcess } from './support.js';

interface Health {
  tick: number;
  players: number;
  closes: Record<string, number>;
  snapshots: { backpressureSkips: number };
}

/** How often /healthz is read while waiting. @default 100 ms */
const POLL_MS = 100;

const { values, tokens } = parseArgs({
  options: {
    mode: { type: 'string', default: 'paused' },
    seconds: { type: 'string' },
  },
  strict: false,
  tokens: true,
});
const mode = values.mode === 'ack-only' ? 'ack-only' : 'paused';
const seconds = Number(values.seconds ?? (mode === 'paused' ? 60 : 600));
if (!(seconds > 0 && seconds <= 3600)) throw new Error('--seconds must be in (0, 3600]');
const serverArgs = tokens.flatMap((token) =>
  token.kind === 'option' && token.name !== 'mode' && token.name !== 'seconds'
    ? [token.rawName, ...(token.value === undefined ? [] : [token.value])]
    : token.kind === 'positional'
      ? [token.value]
      : [],
);

const server = await startServer(serverArgs);
const health = () => getJson<Health>(`${server.url}/healthz`);
console.log(`machine: ${machine()}`);
console.log(`server flags: ${serverArgs.join(' ') || '(defaults)'}`);
try {
  const ticket = await seatFor(server.url);
  const ws = new WebSocket(ticket.wsUrl, { perMessageDeflate: false });
  let newestTick = 0;
  let closeCode: number | undefined;
  ws.on('close', (code) => {
    closeCode = code;
  });
  /** The net client's own ACK schedule, from WELCOME on. */
  let acks: AckSchedule | undefined;
  ws.on('message', (data: Buffer) => {
    const tick = peekSnapshotTick(data, newestTick);
    if (tick === undefined) {
      // Only WELCOME is read here: SNAPSHOTs never reach this line, so a fresh header state serves.
      const decoded = decodeServerFrame(data, newSnapshotHeaderState());
      if (decoded.ok && decoded.message.id === ServerMessageId.WELCOME)
        acks = new AckSchedule(decoded.message.tickRate);
      return;
    }
    newestTick = tick;
    const now = performance.now();
    if (mode === 'ack-only' && acks?.due(tick, now)) {
      acks.sent(tick, now);
      ws.send(encodeClientMessage({ id: ClientMessageId.ACK, ackTick: tick }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(
    encodeClientMessage({
      id: ClientMessageId.HELLO,
      protocolVersion: PROTOCOL_VERSION,
      name: mode,
      seat: ticket.seat,
    }),
  );
  while (newestTick === 0) {
    if (closeCode !== undefined) throw new Error(`closed with ${closeCode} before its first snapshot`);
    await delay(10);
  }
  const skipsBefore = (await health()).snapshots.backpressureSkips;
  const startMs = performance.now();
  let firstSkipMs: number | undefined;
  let slowCloseMs: number | undefined;
  let inputs: ReturnType<typeof setInterval> | undefined;
  if (mode === 'paused') {
    // The reader stops here: what it read last is what it acknowledges from now on.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const staleAck = newestTick;
    let seq = 1;
    inputs = setInterval(() => {
      const input = { id: ClientMessageId.INPUT, seq: seq++, ackTick: staleAck, tick: 0 } as const;
      ws.send(encodeClientMessage({ ...input, moveX: 0, moveY: 0, buttons: 0, aimAngle: 0, viewTick: 0 }));
    }, 33);
  }
  let last = await health();
  while (performance.now() - startMs < seconds * 1000) {
    await delay(POLL_MS);
    last = await health();
    const elapsed = performance.now() - startMs;
    if (firstSkipMs === undefined && last.snapshots.backpressureSkips > skipsBefore) firstSkipMs = elapsed;
    if ((last.closes['4009'] ?? 0) > 0) {
      slowCloseMs = elapsed;
      break;
    }
    if (mode === 'ack-only' && closeCode !== undefined) break;
  }
  if (inputs !== undefined) clearInterval(inputs);
  const figure = (ms: number | undefined) =>
    ms === undefined ? `none within ${seconds} s` : `${(ms / 1000).toFixed(2)} s`;
  const polled = `(polled every ${POLL_MS} ms)`;
  if (mode === 'paused') {
    console.log(`paused reader: first skipped snapshot after ${figure(firstSkipMs)} ${polled}`);
    console.log(`paused reader: 4009 SLOW_CLIENT after ${figure(slowCloseMs)} ${polled}`);
  } else {
    const ranSeconds = ((performance.now() - startMs) / 1000).toFixed(1);
    console.log(
      `ack-only client: ran ${ranSeconds} s, open: ${closeCode === undefined}, close code: ${closeCode ?? '-'}`,
    );
    console.log(
      `ack-only client: snapshots skipped ${last.snapshots.backpressureSkips - skipsBefore}, newest tick read ${newestTick} of ${last.tick}`,
    );
  }
  console.log(`server closes: ${JSON.stringify(last.closes)}`);
  ws.terminate();
} finally {
  await stopProcess(server.child);
}
