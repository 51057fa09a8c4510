// Load harness: an interest-managed `world` room full of virtual clients, built once per run and
// stepped one tick at a time on a driven clock (bench/world-thousands.ts, worldCrowd.test.ts). Each
// client sends one INPUT per tick moving like arena bot i (ArenaSchedule(i), the bots' own schedule,
// input k at k × 33 ms), acknowledging the newest snapshot its socket was sent; its socket counts
// what it is sent and drops it.
import {
  ARENA_INPUT_INTERVAL_MS,
  ArenaSchedule,
  ClientMessageId,
  encodeClientMessage,
  FIELD_COUNT,
  PROTOCOL_VERSION,
  ServerMessageId,
  type WorldState,
} from '@tickwire/protocol';
import { defaultConfig, type ServerConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { Room } from '../../src/room/room.js';
import type { ClientSocket, Session } from '../../src/session/session.js';
import { moveInput } from './crowdRoom.js';

/** A socket that counts what the room sends it, drops it, and remembers the newest snapshot tick it was sent. */
export class DroppingSocket implements ClientSocket {
  snapshotBytes = 0;
  snapshots = 0;
  /** The tick of the newest SNAPSHOT sent here (what the client acknowledges next); 0 before one. */
  heldTick = 0;
  closed: { code: number; reason: string } | undefined;
  readonly queuedBytes = 0;
  /** `room.tick` while the room sends: the tick of a SNAPSHOT frame (no decode on the hot path). */
  constructor(private readonly tickNow: () => number) {}
  send(bytes: Uint8Array): void {
    this.count(bytes, 0, bytes.byteLength);
  }
  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    this.count(buffer, start, end);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  private count(buffer: Uint8Array, start: number, end: number): void {
    const length = end - start;
    // A frame is [id, …]: a fixarray header, then the id as a positive fixint.
    if (buffer[start + 1] === ServerMessageId.SNAPSHOT) {
      this.snapshotBytes += length;
      this.snapshots++;
      this.heldTick = this.tickNow();
    }
  }
}

export interface VirtualClient {
  readonly index: number;
  readonly session: Session;
  readonly socket: DroppingSocket;
  readonly schedule: ArenaSchedule;
}

/**
 * A `world` room of `players` virtual clients, all joined at time 0 (config: the defaults, scenario
 * world, maxPlayers = players, then `overrides`). `step()` delivers every client's next input, then
 * runs the next tick at its due time; it returns the ms spent in runTick (wall clock, and this
 * process's CPU time, which a busy machine inflates less) and in delivering inputs.
 */
export function makeWorldCrowd(players: number, overrides: Partial<ServerConfig> = {}) {
  const config: ServerConfig = { ...defaultConfig(), scenario: 'world', maxPlayers: players, ...overrides };
  const room = new Room(config, silentLogger);
  const tickMs = 1000 / config.tickRate;
  const clients: VirtualClient[] = [];
  for (let i = 0; i < players; i++) {
    const socket = new DroppingSocket(() => room.tick);
    const session = room.open(socket, 0);
    const hello = { id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name: `bot${i}`, seat: '' } as const;
    room.receive(session, encodeClientMessage(hello), true, 0);
    clients.push({ index: i, session, socket, schedule: new ArenaSchedule(i) });
  }
  if (room.playerCount !== players) throw new Error(`${room.playerCount} of ${players} players joined`);
  let tick = 0;
  return {
    room,
    clients,
    get tick() {
      return tick;
    },
    step(): { tickMs: number; tickCpuMs: number; inputMs: number } {
      const k = tick;
      const nowMs = (tick + 1) * tickMs;
      const inputsStarted = performance.now();
      for (const client of clients) {
        const [moveX, moveY] = client.schedule.directionAt(k * ARENA_INPUT_INTERVAL_MS);
        const frame = moveInput(k + 1, client.socket.heldTick, moveX, moveY);
        room.receive(client.session, frame, true, nowMs);
      }
      const tickStarted = performance.now();
      const cpuBefore = process.cpuUsage();
      tick++;
      room.runTick(tick, nowMs, nowMs);
      const cpu = process.cpuUsage(cpuBefore);
      const ended = performance.now();
      return {
        tickMs: ended - tickStarted,
        tickCpuMs: (cpu.user + cpu.system) / 1000,
        inputMs: tickStarted - inputsStarted,
      };
    },
  };
}

export type WorldCrowd = ReturnType<typeof makeWorldCrowd>;

/**
 * `out` becomes `source` restricted to the entities `ids` (those of them it holds), at source's tick,
 * in the order of `ids`: the world one client's view holds. O(ids).
 */
export function restrictTo(source: WorldState, ids: ArrayLike<number>, out: WorldState): void {
  out.reset(source.tick);
  for (let i = 0; i < ids.length; i++) {
    const from = source.rowOf(ids[i]!);
    if (from < 0) continue;
    const row = out.add(source.ids[from]!, source.generations[from]!);
    out.values.set(source.values.subarray(from * FIELD_COUNT, from * FIELD_COUNT + FIELD_COUNT), row * FIELD_COUNT);
  }
}
