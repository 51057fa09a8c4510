// Test harness for rooms: a fake socket that decodes snapshots as a real client would (deltas
// included), and a room driven tick by tick with a fake clock.
import {
  ClientMessageId,
  decodeServerFrame,
  type EntityTuple,
  encodeClientMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  RosterBook,
  type ServerMessage,
  ServerMessageId,
  SnapshotDecoder,
  type SnapshotMessage,
  WorldState,
} from '@tickwire/protocol';
import { defaultConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { Room } from '../../src/room/room.js';
import type { Session } from '../../src/session/session.js';
import { frameId } from './frameId.js';

/** A client's view of one snapshot: the world it reconstructed, as a list sorted by id. */
export interface AppliedSnapshot extends SnapshotMessage {
  players: EntityTuple[];
}

/** A socket that decodes what the server sends as a real client would, deltas included. */
export class FakeSocket {
  readonly received: ServerMessage[] = [];
  readonly applied: AppliedSnapshot[] = [];
  closed: { code: number; reason: string } | undefined;
  /** Set by a test to simulate a socket whose send buffer is backed up. */
  queuedBytes = 0;
  /** Payload bytes of every roster frame received (PLAYERS 67 and ROSTER_CHANGES 69). */
  rosterBytes = 0;
  /** Payload bytes of every SNAPSHOT (65) received. */
  snapshotBytes = 0;
  /** The roster as this client holds it: PLAYERS pages, then every ROSTER_CHANGES applied. */
  readonly roster = new RosterBook();
  /** The decoder of this connection's snapshots (undefined before WELCOME): which entities it holds deferred. */
  decoder: SnapshotDecoder | undefined;
  /** What this connection's SNAPSHOT headers left. */
  private readonly snapshotHeader = newSnapshotHeaderState();
  world: WorldState | undefined;
  send(bytes: Uint8Array): void {
    // Counted by message id, read from the frame's first bytes (frameId.ts).
    const id = frameId(bytes);
    if (id === 67 || id === 69) this.rosterBytes += bytes.byteLength;
    if (id === 65) this.snapshotBytes += bytes.byteLength;
    const decoded = decodeServerFrame(bytes, this.snapshotHeader);
    if (!decoded.ok) throw new Error(`server sent an undecodable frame: ${decoded.reason}`);
    const message = decoded.message;
    this.received.push(message);
    if (message.id === ServerMessageId.WELCOME) {
      this.decoder = new SnapshotDecoder(message.maxEntityId, {
        maxX: message.worldWidth * message.positionScale,
        maxY: message.worldHeight * message.positionScale,
      });
    }
    if (message.id === ServerMessageId.PLAYERS || message.id === ServerMessageId.ROSTER_CHANGES) {
      const problem =
        message.id === ServerMessageId.PLAYERS ? this.roster.applyPage(message) : this.roster.applyChanges(message);
      if (problem !== undefined) throw new Error(`roster frame did not apply: ${problem}`);
    }
    if (message.id === ServerMessageId.SNAPSHOT) {
      const next = new WorldState(1024, 1024);
      const result = this.decoder!.apply(this.world, message, next);
      if (!result.ok) throw new Error(`snapshot did not apply: ${result.reason}`);
      this.world = next;
      const players = Object.entries(next.toObject()).map(([id, state]) => ({ id: Number(id), ...state }));
      this.applied.push({ ...message, players });
    }
  }
  /** Refuses what ws's close() refuses (ws 8, websocket.js): a reason over 123 UTF-8 bytes throws a RangeError. */
  close(code: number, reason: string): void {
    if (Buffer.byteLength(reason) > 123) throw new RangeError('The message must not be greater than 123 bytes');
    this.closed = { code, reason };
  }
  snapshots(): AppliedSnapshot[] {
    return this.applied;
  }
  lastSnapshot(): AppliedSnapshot {
    const all = this.snapshots();
    if (all.length === 0) throw new Error('no snapshot yet');
    return all[all.length - 1]!;
  }
}

export function makeRoom(overrides: Partial<ReturnType<typeof defaultConfig>> = {}) {
  // The room tests were written for the arena (no walls, 2048 × 2048); a test can ask for 'game'.
  const config = { ...defaultConfig(), scenario: 'arena' as const, ...overrides };
  const room = new Room(config, silentLogger);
  let tick = 0;
  let now = 0;
  const frame = (message: Parameters<typeof encodeClientMessage>[0]) => encodeClientMessage(message);
  return {
    room,
    /** Advance `n` ticks, each one tick period of fake time after the last. */
    ticks(n: number) {
      for (let i = 0; i < n; i++) {
        tick++;
        now += 1000 / config.tickRate;
        room.runTick(tick, now);
      }
    },
    connect(name = 'p') {
      const socket = new FakeSocket();
      const session = room.open(socket, now);
      room.receive(
        session,
        frame({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name, seat: '' }),
        true,
        now,
      );
      return { socket, session };
    },
    openOnly() {
      const socket = new FakeSocket();
      return { socket, session: room.open(socket, now) };
    },
    input(
      session: Session,
      seq: number,
      moveX: number,
      moveY: number,
      ackTick = 0,
      fire: { buttons?: number; aimAngle?: number; viewTick?: number } = {},
    ) {
      const { buttons = 0, aimAngle = 0, viewTick = 0 } = fire;
      room.receive(
        session,
        frame({ id: ClientMessageId.INPUT, seq, ackTick, tick: 0, moveX, moveY, buttons, aimAngle, viewTick }),
        true,
        now,
      );
    },
    send(session: Session, bytes: Uint8Array, isBinary = true) {
      room.receive(session, bytes, isBinary, now);
    },
    get now() {
      return now;
    },
    set now(value: number) {
      now = value;
    },
  };
}

export type RoomHarness = ReturnType<typeof makeRoom>;
