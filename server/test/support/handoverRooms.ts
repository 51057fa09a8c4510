// Test harness for a room handed over to another process: a room with resume tokens on a driven
// clock, players on sockets that keep every frame's bytes, scripted inputs that fight (move towards
// and fire at the nearest other player), and a restore into a second room whose clock is offset.
import {
  ABNORMAL_CLOSURE,
  Button,
  ClientMessageId,
  decodeServerFrame,
  encodeClientMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  ServerMessageId,
} from '@tickwire/protocol';
import { defaultConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { resumeTokens } from '../../src/room/resumeTokens.js';
import { Room } from '../../src/room/room.js';
import type { RoomOptions } from '../../src/room/roomOptions.js';
import type { RoomStateV1 } from '../../src/room/roomStateFormat.js';
import type { Session } from '../../src/session/session.js';
import { Position } from '../../src/sim/components.js';
import { frameId } from './frameId.js';

const SECRET = new Uint8Array(32).fill(9);
const EPOCH = 1_700_000_000_000;
export const GRACE_MS = 10_000;

/** A socket that keeps the bytes of every frame sent to it. */
export class RecordingSocket {
  readonly frames: Uint8Array[] = [];
  queuedBytes = 0;
  closed: number | undefined;
  /** The newest snapshot tick received: what the client acks. */
  snapshotTick = 0;
  /** What this connection's SNAPSHOT headers left. */
  private readonly snapshotHeader = newSnapshotHeaderState();
  /** The newest resume token received (WELCOME). */
  token = '';
  send(bytes: Uint8Array): void {
    this.frames.push(bytes.slice());
    const decoded = decodeServerFrame(bytes, this.snapshotHeader);
    if (!decoded.ok) throw new Error(`undecodable frame: ${decoded.reason}`);
    const message = decoded.message;
    if (message.id === ServerMessageId.SNAPSHOT) this.snapshotTick = message.tick;
    if (message.id === ServerMessageId.WELCOME) this.token = message.resumeToken;
  }
  close(code: number): void {
    this.closed = code;
  }
  /** Every frame but WELCOME (whose resume token has a random nonce), as hex. */
  framesButWelcome(): string[] {
    return this.frames.filter((f) => frameId(f) !== ServerMessageId.WELCOME).map((f) => Buffer.from(f).toString('hex'));
  }
  /** The snapshot frames only, as hex. */
  snapshots(): string[] {
    return this.frames
      .filter((f) => frameId(f) === ServerMessageId.SNAPSHOT)
      .map((f) => Buffer.from(f).toString('hex'));
  }
}

/** One room on a clock of its own (`offsetMs` from the test's clock: another process's performance.now). */
export class DrivenRoom {
  room: Room;
  readonly clock: { ms: number };
  readonly sockets = new Map<number, RecordingSocket>();
  readonly sessions = new Map<number, Session>();
  private readonly seqs = new Map<number, number>();

  constructor(room: Room, clock: { ms: number }) {
    this.room = room;
    this.clock = clock;
  }

  static create(options: Partial<RoomOptions>, clock = { ms: 1000 }): DrivenRoom {
    const config = { ...defaultConfig(), idleKickMs: 0, reconnectGraceMs: GRACE_MS, ...options };
    return new DrivenRoom(new Room(config, silentLogger, () => clock.ms, { resumeTokens: tokens() }), clock);
  }

  /** `state` restored into a new room on a clock `offsetMs` ahead of `at` (another process). */
  static restore(state: RoomStateV1, at: number, offsetMs: number): DrivenRoom {
    const clock = { ms: at + offsetMs };
    return new DrivenRoom(
      Room.restore(state, silentLogger, () => clock.ms, { resumeTokens: tokens() }),
      clock,
    );
  }

  join(name: string): number {
    const socket = new RecordingSocket();
    const session = this.hello(socket, name, '');
    this.sockets.set(session.playerId, socket);
    this.sessions.set(session.playerId, session);
    return session.playerId;
  }

  /** Player `id` resumes on a new socket with `token`. */
  resume(id: number, token: string): Session {
    const socket = new RecordingSocket();
    // A new connection: its input seq starts again (PROTOCOL.md, Resuming).
    this.seqs.delete(id);
    const session = this.hello(socket, 'ignored', token);
    this.sockets.set(id, socket);
    this.sessions.set(id, session);
    return session;
  }

  /** Every player's connection drops (no close frame): they go away. */
  dropAll(): void {
    for (const session of this.sessions.values()) this.room.disconnected(session, ABNORMAL_CLOSURE);
  }

  private hello(socket: RecordingSocket, name: string, resumeToken: string): Session {
    const session = this.room.open(socket, this.clock.ms);
    this.room.receive(
      session,
      encodeClientMessage({
        id: ClientMessageId.HELLO,
        protocolVersion: PROTOCOL_VERSION,
        name,
        seat: '',
        resumeToken,
      }),
      true,
      this.clock.ms,
    );
    return session;
  }

  input(id: number, input: ScriptedInput): void {
    const socket = this.sockets.get(id)!;
    const seq = (this.seqs.get(id) ?? 0) + 1;
    this.seqs.set(id, seq);
    this.room.receive(
      this.sessions.get(id)!,
      encodeClientMessage({ id: ClientMessageId.INPUT, seq, ackTick: socket.snapshotTick, tick: 0, ...input }),
      true,
      this.clock.ms,
    );
  }

  /** One tick at `tickMs` after the last; the sweep once a second of ticks. */
  tick(tickMs: number): void {
    this.clock.ms += tickMs;
    const tick = this.room.tick + 1;
    this.room.runTick(tick, this.clock.ms);
    if (tick % 30 === 0) this.room.expireSessions(this.clock.ms);
  }
}

function tokens() {
  return resumeTokens({ secret: SECRET, roomId: 'moving-room', epochNow: () => EPOCH });
}

export interface ScriptedInput {
  moveX: number;
  moveY: number;
  buttons: number;
  aimAngle: number;
  viewTick: number;
}

/**
 * Each player's input for the next tick, from the room's state now: towards the nearest other
 * player and aimed at it, firing the primary most ticks and the secondary now and then, with a
 * view a few ticks behind (lag compensation rewinds). Computed once and fed to both rooms.
 */
export function fightingInputs(room: Room, ids: readonly number[]): Map<number, ScriptedInput> {
  const inputs = new Map<number, ScriptedInput>();
  const tick = room.tick + 1;
  for (const [index, id] of ids.entries()) {
    const me = room.game.players.get(id)!.getComponent(Position)!;
    let best: { dx: number; dy: number; d: number } | undefined;
    for (const other of ids) {
      if (other === id) continue;
      const at = room.game.players.get(other)!.getComponent(Position)!;
      const dx = at.x - me.x;
      const dy = at.y - me.y;
      const d = Math.hypot(dx, dy);
      if (best === undefined || d < best.d) best = { dx, dy, d };
    }
    const aim = best === undefined ? 0 : Math.atan2(best.dy, best.dx);
    // Some wobble so paths differ, and the odd player strafing.
    const wobble = Math.sin((tick + index * 7) / 5) * 0.6;
    inputs.set(id, {
      moveX: Math.cos(aim + wobble),
      moveY: Math.sin(aim + wobble),
      buttons: (tick + index) % 11 === 0 ? Button.SECONDARY : Button.PRIMARY,
      aimAngle: aim,
      viewTick: Math.max(0, tick - 3),
    });
  }
  return inputs;
}
