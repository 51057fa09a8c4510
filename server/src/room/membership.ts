// Joining and leaving a room: a socket opens (per connection), a HELLO joins (per join), a socket
// goes away or is refused (per close). Keeps the room's tables (sessions, players, ids, the combat
// players, the input feed, the roster) in step: a player is in all of them or in none (an away
// player, kept for a resume, is in all but the sessions and the input feed; see resume.ts).
import {
  ANGLE_STEPS,
  CloseCode,
  encodeServerMessage,
  NORMAL_CLOSURE,
  POSITION_SCALE,
  PROTOCOL_VERSION,
  ServerMessageId,
  toPositionQ,
} from '@tickwire/protocol';
import type { Entity } from 'ecsy';
import { type ClientSocket, Session, type SessionOptions } from '../session/session.js';
import { NetworkId, PlayerControl } from '../sim/components.js';
import { createPlayer } from '../sim/createPlayer.js';
import { writable } from '../sim/writable.js';
import { playerName } from './playerName.js';
import { goAway } from './resume.js';
import type { RoomState } from './roomState.js';

/** A socket opened: its session waits for HELLO. `addressKey`: its client's, undefined if exempt. */
export function open(room: RoomState, socket: ClientSocket, nowMs: number, addressKey?: string): Session {
  const session = new Session(room.nextConnectionId++, socket, sessionOptions(room), nowMs);
  session.addressKey = addressKey;
  room.sessions.add(session);
  return session;
}

/** What every session of this room is made with (a connection's, or a restored away player's). */
export function sessionOptions(room: RoomState): SessionOptions {
  const burst = 2 * room.config.tickRate;
  return { inputQueue: room.config.inputQueue, floodBurst: burst, floodRate: burst, sent: room.counters };
}

/**
 * Whether the end of a connection was a consented leave (the player is removed at once) or a drop
 * (kept for a resume while the room has a grace). `serverCode`: the code the server closed it with,
 * if it did; `peerCode`: the code of the close that ended the socket (1006 without a close frame).
 * Consented: the client's 1000, and the server's own refusals and kicks, except 4009 SLOW_CLIENT (a
 * link that could not keep up, which a resume on a better one may fix). Everything else (1006, a
 * client's 1001 from a page reload, a heartbeat timeout, a reset) is a drop.
 */
export function consentedLeave(serverCode: number | undefined, peerCode: number | undefined): boolean {
  if (serverCode !== undefined) return serverCode !== CloseCode.SLOW_CLIENT;
  return peerCode === NORMAL_CLOSURE;
}

/**
 * The socket is gone (closed by either side, `peerCode` the close it ended with): the player leaves
 * everyone's snapshots, or, after a drop in a room with a grace, stays away for a resume (resume.ts).
 */
export function leave(room: RoomState, session: Session, peerCode?: number): void {
  if (!room.sessions.delete(session)) return;
  if (session.closeCode !== undefined) {
    room.counters.closes[session.closeCode] = (room.counters.closes[session.closeCode] ?? 0) + 1;
  }
  const entity = room.players.get(session);
  if (
    entity !== undefined &&
    room.reconnectGraceMs > 0 &&
    !room.failed &&
    !consentedLeave(session.closeCode, peerCode)
  ) {
    return goAway(room, session, entity, room.now());
  }
  session.markClosed();
  if (entity === undefined) return;
  stopInputs(room, session);
  removePlayer(room, session, entity);
}

/** The connection's inputs end (a leave, a drop, a takeover): its totals join the room's, its queue leaves the feed. */
export function stopInputs(room: RoomState, session: Session): void {
  room.counters.starvedTicks += session.inputs.starved;
  room.counters.droppedInputs += session.inputs.dropped;
  room.inputs.remove(session);
}

/** Player `session` leaves the room for good (a leave, or its grace over): its entity goes, everyone is told. */
export function removePlayer(room: RoomState, session: Session, entity: Entity): void {
  room.away.delete(session.playerId);
  session.markClosed();
  room.roster.changed();
  room.counters.leaves++;
  forget(room, session, session.playerId, entity);
  room.hooks.onPlayers?.(room.players.size);
  room.log.debug('leave', { playerId: session.playerId, connectionId: session.connectionId });
}

/**
 * Take player `playerId` of `session` out of every table (players, away, the combat players, the
 * input feed, the ids), then remove its entity, if any. Last, once every table has let go of it: a
 * world left half-way through a failed tick may throw there, and the tables must agree all the same.
 */
function forget(room: RoomState, session: Session, playerId: number, entity: Entity | undefined): void {
  room.players.delete(session);
  room.away.delete(playerId);
  room.game.players.delete(playerId);
  room.inputs.remove(session);
  room.ids.release(playerId);
  if (entity?.alive) entity.remove();
}

/** Close one client with `code` and take it out of the room. */
export function reject(room: RoomState, session: Session, code: CloseCode, reason: string): void {
  room.log.info('closing client', { connectionId: session.connectionId, code, reason });
  session.close(code, reason);
  leave(room, session);
}

/** A valid HELLO: the session becomes a player (WELCOME, then the roster), or is refused when full. */
export function join(room: RoomState, session: Session, name: string, nowMs: number): void {
  const { config, scenario } = room;
  if (room.players.size >= config.maxPlayers) {
    return reject(room, session, CloseCode.ROOM_FULL, `room full (${config.maxPlayers} players)`);
  }
  const playerId = room.ids.take();
  if (playerId === undefined) return reject(room, session, CloseCode.ROOM_FULL, 'no free player id');
  let entity: Entity | undefined;
  try {
    const spawn = scenario.nextSpawn();
    entity = createPlayer(room.world, {
      id: playerId,
      generation: room.game.nextGeneration(),
      x: toPositionQ(spawn.x),
      y: toPositionQ(spawn.y),
      hp: scenario.startHp,
    });
    session.state = 'playing';
    session.name = playerName(name, room.players.keys());
    session.playerId = playerId;
    session.markActive(nowMs);
    // Nothing before this tick was sent to it: its ack lag counts from here (see SnapshotClient.ackTick).
    session.ackTick = room.tick;
    room.players.set(session, entity);
    room.game.players.set(playerId, entity);
    room.inputs.add(session, writable(entity, PlayerControl));
  } catch (error) {
    // Nothing of this player may stay behind in one table and not the others: undo, and let the
    // caller's guard close the connection (1011).
    forget(room, session, playerId, entity);
    session.playerId = 0;
    throw error;
  }
  room.roster.changed();
  room.counters.joins++;
  room.hooks.onPlayers?.(room.players.size);
  welcome(room, session);
  room.log.debug('join', { playerId, name, connectionId: session.connectionId });
}

/**
 * WELCOME with a new resume token (the only one accepted from now on), then the whole roster as of
 * the last tick, before the first snapshot; this tick's changes (the joiner among them) reach
 * everyone, the joiner too, as ROSTER_CHANGES after the next tick. Per accepted HELLO.
 */
export function welcome(room: RoomState, session: Session): void {
  const { config, scenario } = room;
  const generation = room.players.get(session)?.getComponent(NetworkId)?.generation ?? 0;
  const issued = room.reconnectGraceMs > 0 ? room.hooks.resumeTokens?.issue(session.playerId, generation) : undefined;
  session.resumeNonce = issued?.nonce ?? '';
  session.send(
    encodeServerMessage({
      id: ServerMessageId.WELCOME,
      protocolVersion: PROTOCOL_VERSION,
      playerId: session.playerId,
      tick: room.tick,
      tickRate: config.tickRate,
      snapshotRate: config.snapshotRate,
      worldWidth: scenario.rules.width,
      worldHeight: scenario.rules.height,
      positionScale: POSITION_SCALE,
      angleSteps: ANGLE_STEPS,
      speed: scenario.rules.speed,
      maxEntityId: room.snapshots.maxEntityId,
      mapHash: scenario.mapHash,
      resumeToken: issued?.token ?? '',
      reconnectGraceMs: issued === undefined ? 0 : room.reconnectGraceMs,
      // So the page can draw the view's edge and the net graph the budget (0 = none for both).
      viewRadius: config.viewRadius,
      budgetBytesPerSecond: Math.floor(room.budgetBytesPerSecond),
    }),
  );
  room.roster.sendTo(session);
}
