// Bench: roster traffic under join/leave churn against the real server on 127.0.0.1. Run by hand
// (npm run bench:roster); bounded by --seconds. Every player is in one room (the first steady player
// creates it, everyone else joins it by id through POST /matchmake). Steady players keep the roster
// from PLAYERS and ROSTER_CHANGES and count its bytes; churners matchmake, join and leave in a loop. Prints one line per figure,
// and beside the measured roster bytes the naive cost of the same events: the whole list to every
// player after every tick that changed it (protocol 5's PLAYERS), encoded from each steady
// player's own roster after each change.
//
//   npm run bench:roster -- [--steady 20] [--churners 1] [--seconds 20] [--warmup 3]
import { parseArgs } from 'node:util';
import {
  ClientMessageId,
  decodeServerFrame,
  encodeClientMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  packr,
  peekSnapshotTick,
  RosterBook,
  ServerMessageId,
} from '@tickwire/protocol';
import { WebSocket } from 'ws';
import { frameId } from '../server/test/support/frameId.js';
import { delay, getJson, machine, type Seat, seatFor, startServer, stopProcess } from './support.js';

const { values } = parseArgs({
  options: {
    steady: { type: 'string', default: '20' },
    churners: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
  },
});
const steadyCount = Number(values.steady);
const churnerCount = Number(values.churners);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);

/** Protocol 5's PLAYERS, [67, [[id, name, kills, deaths], …]]: what every change cost every player. */
function naiveListBytes(book: RosterBook): number {
  return packr.pack([67, book.list().map(({ id, name, kills, deaths }) => [id, name, kills, deaths])]).byteLength;
}

/** A player that stays: keeps the roster, acks snapshots with an idle INPUT every 100 ms, counts bytes. */
class SteadyPlayer {
  readonly book = new RosterBook();
  rosterBytes = 0;
  naiveBytes = 0;
  changes = 0;
  errors: string[] = [];
  private latestTick = 0;
  /** For the frames decoded whole (never a SNAPSHOT: those are peeked, latestTick keeps their tick). */
  private readonly snapshotHeader = newSnapshotHeaderState();
  private seq = 0;
  private readonly ws: WebSocket;
  private readonly timer: NodeJS.Timeout;
  readonly welcomed: Promise<void>;

  constructor(ticket: Seat, name: string) {
    this.ws = new WebSocket(ticket.wsUrl, { perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    let welcomed: () => void;
    this.welcomed = new Promise((resolve) => {
      welcomed = resolve;
    });
    this.ws.on('open', () =>
      this.send(
        encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name, seat: ticket.seat }),
      ),
    );
    this.ws.on('error', (error) => this.errors.push(String(error)));
    this.ws.on('close', (code) => this.errors.push(`closed ${code}`));
    this.ws.on('message', (data: Buffer) => {
      const tick = peekSnapshotTick(data, this.latestTick);
      if (tick !== undefined) {
        this.latestTick = tick;
        return;
      }
      const decoded = decodeServerFrame(data, this.snapshotHeader);
      if (!decoded.ok) return void this.errors.push(decoded.reason);
      const message = decoded.message;
      if (message.id === ServerMessageId.WELCOME) welcomed();
      if (message.id === ServerMessageId.PLAYERS) {
        this.rosterBytes += data.byteLength;
        const problem = this.book.applyPage(message);
        if (problem !== undefined) this.errors.push(problem);
      } else if (message.id === ServerMessageId.ROSTER_CHANGES) {
        this.rosterBytes += data.byteLength;
        const problem = this.book.applyChanges(message);
        if (problem !== undefined) this.errors.push(problem);
        this.changes++;
        this.naiveBytes += naiveListBytes(this.book);
      }
    });
    this.timer = setInterval(() => {
      if (this.latestTick === 0 || this.ws.readyState !== WebSocket.OPEN) return;
      this.send(
        encodeClientMessage({
          id: ClientMessageId.INPUT,
          seq: ++this.seq,
          ackTick: this.latestTick,
          tick: 0,
          moveX: 0,
          moveY: 0,
          buttons: 0,
          aimAngle: 0,
          viewTick: 0,
        }),
      );
    }, 100);
  }

  private send(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  close(): void {
    clearInterval(this.timer);
    this.ws.removeAllListeners('close');
    this.ws.close(1000);
  }
}

/** One join and leave: a seat in the room, open, HELLO, wait for WELCOME, close. Resolves when the socket has closed. */
async function joinAndLeave(roomId: string, name: string): Promise<void> {
  const ticket = await seatFor(server.url, { mode: 'join', roomId });
  return new Promise((resolve) => {
    const ws = new WebSocket(ticket.wsUrl, { perMessageDeflate: false });
    ws.on('open', () =>
      ws.send(
        encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name, seat: ticket.seat }),
      ),
    );
    ws.on('message', (data: Buffer) => {
      if (frameId(data) === ServerMessageId.WELCOME) ws.close(1000);
    });
    ws.on('error', () => {});
    ws.on('close', () => resolve());
  });
}

interface Stats {
  timeMs: number;
  players: number;
  counters: { joins: number; leaves: number; rosterBytes: number; rosterMessages: number };
}

const server = await startServer(['--scenario', 'arena', '--max-players', String(steadyCount + churnerCount + 8)]);
const first = await seatFor(server.url, { mode: 'create', scenario: 'arena' });
const tickets = [first];
for (let i = 1; i < steadyCount; i++) tickets.push(await seatFor(server.url, { mode: 'join', roomId: first.roomId }));
const steady = tickets.map((ticket, i) => new SteadyPlayer(ticket, `steady${i}`));
await Promise.all(steady.map((player) => player.welcomed));

let running = true;
let cycles = 0;
const loops = Array.from({ length: churnerCount }, async (_, c) => {
  while (running) {
    await joinAndLeave(first.roomId, `churn${c}`);
    cycles++;
  }
});

await delay(warmupSeconds * 1000);
const startStats = await getJson<Stats>(`${server.url}/stats`);
const start = steady.map((p) => ({ roster: p.rosterBytes, naive: p.naiveBytes, changes: p.changes }));
const startCycles = cycles;
const startMs = performance.now();
await delay(seconds * 1000);
const elapsedS = (performance.now() - startMs) / 1000;
const endStats = await getJson<Stats>(`${server.url}/stats`);
const end = steady.map((p) => ({ roster: p.rosterBytes, naive: p.naiveBytes, changes: p.changes }));
const endCycles = cycles;
running = false;
await Promise.all(loops);

const mean = (f: (i: number) => number) => steady.reduce((sum, _, i) => sum + f(i), 0) / steady.length;
const rosterPerS = mean((i) => end[i]!.roster - start[i]!.roster) / elapsedS;
const naivePerS = mean((i) => end[i]!.naive - start[i]!.naive) / elapsedS;
const changesPerS = mean((i) => end[i]!.changes - start[i]!.changes) / elapsedS;
const serverRosterPerS = (endStats.counters.rosterBytes - startStats.counters.rosterBytes) / elapsedS;
const errors = steady.flatMap((p) => p.errors);

console.log(`machine: ${machine()}`);
console.log(
  `window: ${elapsedS.toFixed(1)} s after ${warmupSeconds} s warm-up, ${steadyCount} steady players, ${churnerCount} churner(s)`,
);
console.log(`join/leave cycles: ${((endCycles - startCycles) / elapsedS).toFixed(1)} per s`);
console.log(`roster updates (ROSTER_CHANGES) per steady player: ${changesPerS.toFixed(1)} per s`);
console.log(`roster bytes per steady player, deltas (measured): ${(rosterPerS / 1000).toFixed(2)} KB/s`);
console.log(
  `roster bytes per steady player, whole list per change (naive, same events): ${(naivePerS / 1000).toFixed(2)} KB/s`,
);
console.log(`naive / deltas: ${(naivePerS / rosterPerS).toFixed(1)}×`);
console.log(`server roster bytes out, all players (/stats rosterBytes): ${(serverRosterPerS / 1000).toFixed(2)} KB/s`);
console.log(`roster errors or closes among steady players: ${errors.length}`);
// Every steady player applied the same deltas: once the last ones in flight have arrived (polled,
// at most 5 s), all hold the same version and the same list.
const settled = performance.now() + 5000;
const versions = () => new Set(steady.map((p) => p.book.version));
while (versions().size > 1 && performance.now() < settled) await delay(50);
const reference = JSON.stringify([steady[0]!.book.version, steady[0]!.book.list()]);
const agree = steady.every((p) => JSON.stringify([p.book.version, p.book.list()]) === reference);
console.log(`steady players holding the same roster: ${agree ? 'all' : 'NOT all'}`);
if (!agree) errors.push('steady players disagree on the roster');

for (const player of steady) player.close();
await stopProcess(server.child);
if (errors.length > 0) {
  console.error(errors.slice(0, 5).join('\n'));
  process.exitCode = 1;
}
