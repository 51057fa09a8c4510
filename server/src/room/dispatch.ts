// The receive path: one client frame in, checked and dispatched by message id. Runs per received
// frame (INPUT, nearly every frame, on a fast path). Bad frames close that client only; nothing here
// throws on input.
import {
  type ClientMessage,
  ClientMessageId,
  CloseCode,
  decodeClientFrame,
  type InputMessage,
  PROTOCOL_VERSION,
} from '@tickwire/protocol';
import type { Session } from '../session/session.js';
import { nudge, sendDebugState } from './debugState.js';
import { join, reject } from './membership.js';
import { resume } from './resume.js';
import type { RoomState } from './roomState.js';
import { tickTimeAt } from './tick.js';

/** One frame from a client. */
export function receive(room: RoomState, session: Session, data: Uint8Array, isBinary: boolean, nowMs: number): void {
  if (session.state === 'closed') return;
  session.framesIn++;
  session.bytesIn += data.byteLength;
  room.counters.messagesIn++;
  room.counters.bytesIn += data.byteLength;
  if (!session.takeFloodToken(nowMs)) return reject(room, session, CloseCode.INPUT_FLOOD, 'too many messages');
  if (!isBinary) return reject(room, session, CloseCode.TEXT_FRAME, 'binary frames only');
  // INPUT, nearly every frame, is read in place into one reused object; anything else, or an
  // INPUT the fast path leaves alone, goes through the general decoder (see inputFrame.ts).
  const input = room.inputReader.read(data);
  if (input !== undefined) return receiveInput(room, session, input, nowMs);
  const decoded = decodeClientFrame(data);
  if (!decoded.ok) return reject(room, session, decoded.code, decoded.reason);
  handleMessage(room, session, decoded.message, nowMs);
}

/** A WebSocket control frame (ping) from a client: it counts towards the flood limit. */
export function chargeControlFrame(room: RoomState, session: Session, nowMs: number): void {
  if (session.state === 'closed') return;
  if (!session.takeFloodToken(nowMs)) reject(room, session, CloseCode.INPUT_FLOOD, 'too many messages');
}

/** A checked INPUT: queue it. `message` may be reused by the caller once this returns. */
function receiveInput(room: RoomState, session: Session, message: InputMessage, nowMs: number): void {
  if (session.state !== 'playing') {
    return reject(room, session, CloseCode.UNEXPECTED_MESSAGE, 'INPUT before WELCOME');
  }
  if (message.seq <= session.lastReceivedSeq) {
    return reject(
      room,
      session,
      CloseCode.INVALID_MESSAGE,
      `INPUT.seq ${message.seq} not above ${session.lastReceivedSeq}`,
    );
  }
  if (!acknowledge(room, session, 'INPUT', message.ackTick, nowMs)) return;
  session.lastReceivedSeq = message.seq;
  if (message.moveX !== 0 || message.moveY !== 0 || message.buttons !== 0) session.markActive(nowMs);
  session.inputs.push(message);
  if (message.tick > 0) measureClockOffset(room, session, message.tick);
}

function handleMessage(room: RoomState, session: Session, message: ClientMessage, nowMs: number): void {
  switch (message.id) {
    case ClientMessageId.HELLO: {
      if (session.state !== 'awaiting-hello') return reject(room, session, CloseCode.UNEXPECTED_MESSAGE, 'HELLO twice');
      if (room.failed) return reject(room, session, CloseCode.INTERNAL_ERROR, 'this room failed (a server error)');
      // Every HELLO spends a join, refused or not: a client looping on a full room is still looping.
      if (session.addressKey !== undefined && room.hooks.admitJoin?.(session.addressKey, nowMs) === false)
        return reject(room, session, CloseCode.JOIN_RATE, 'too many joins from this address');
      if (message.protocolVersion !== PROTOCOL_VERSION) {
        return reject(
          room,
          session,
          CloseCode.VERSION_MISMATCH,
          `server speaks protocol ${PROTOCOL_VERSION}, client ${message.protocolVersion}`,
        );
      }
      // A token takes a player back; the seat, if any, is left unclaimed (the token wins).
      if (message.resumeToken !== undefined && message.resumeToken !== '') {
        return resume(room, session, message.resumeToken, nowMs);
      }
      // The seat last: a HELLO refused for its rate or version keeps its seat unclaimed.
      const refused = room.hooks.admitSeat?.(message.seat, room.players.size);
      if (refused !== undefined) return reject(room, session, refused.code, refused.reason);
      return join(room, session, message.name, nowMs);
    }
    case ClientMessageId.INPUT:
      return receiveInput(room, session, message, nowMs);
    case ClientMessageId.ACK: {
      // Not an input: it enters no queue and is no activity for the idle kick; only the ack counts.
      if (session.state !== 'playing') return reject(room, session, CloseCode.UNEXPECTED_MESSAGE, 'ACK before WELCOME');
      acknowledge(room, session, 'ACK', message.ackTick, nowMs);
      return;
    }
    case ClientMessageId.CHAT: {
      if (session.state !== 'playing')
        return reject(room, session, CloseCode.UNEXPECTED_MESSAGE, 'CHAT before WELCOME');
      return room.chat.receive(session, message.text, nowMs, room.players.keys());
    }
    case ClientMessageId.PING: {
      if (session.state !== 'playing')
        return reject(room, session, CloseCode.UNEXPECTED_MESSAGE, 'PING before WELCOME');
      // Only the newest unanswered ping is kept: its pong goes out with this client's next snapshot.
      session.pendingPong = {
        pingId: message.pingId,
        clientTimeMs: message.clientTimeMs,
        serverReceiveTick: tickTimeAt(room, nowMs),
        serverSendTick: 0,
      };
      return;
    }
    case ClientMessageId.DEBUG_NUDGE: {
      if (!room.config.debugState) {
        return reject(
          room,
          session,
          CloseCode.UNEXPECTED_MESSAGE,
          'debug messages are off (server flag --debug-state)',
        );
      }
      if (session.state !== 'playing')
        return reject(room, session, CloseCode.UNEXPECTED_MESSAGE, 'nudge before WELCOME');
      return nudge(room, session, message.dx, message.dy);
    }
    case ClientMessageId.DEBUG_STATE_REQUEST: {
      if (!room.config.debugState) {
        return reject(room, session, CloseCode.UNEXPECTED_MESSAGE, 'debug state is off (server flag --debug-state)');
      }
      if (session.state !== 'playing')
        return reject(room, session, CloseCode.UNEXPECTED_MESSAGE, 'debug before WELCOME');
      return sendDebugState(room, session);
    }
  }
}

/**
 * An INPUT's or ACK's ackTick: refused (4002, false) when it names a tick never sent to this client;
 * a newer one is kept, and is one round-trip sample (for an INPUT it includes the wait for the
 * client's next input).
 */
function acknowledge(
  room: RoomState,
  session: Session,
  from: 'INPUT' | 'ACK',
  ackTick: number,
  nowMs: number,
): boolean {
  if (ackTick > session.baselineTick) {
    reject(room, session, CloseCode.INVALID_MESSAGE, `${from}.ackTick ${ackTick} was never sent`);
    return false;
  }
  if (ackTick <= session.ackTick) return true;
  session.ackTick = ackTick;
  // An ack of a snapshot older than the ring is no baseline any more, and gives no sample.
  const sentAt = room.sendTimes.sentAt(ackTick);
  if (sentAt !== undefined) session.addRttSample(nowMs - sentAt);
  return true;
}

/**
 * INPUT.tick is the tick the client expects the input to be applied at. The server applies it at
 * the last tick run plus its place in the queue (one input per tick), so the difference is how far
 * the client's estimate of the server's clock is ahead (+) or behind (−), queue included.
 */
function measureClockOffset(room: RoomState, session: Session, stampedTick: number): void {
  session.addClockOffsetSample((stampedTick - (room.tick + session.inputs.length)) * room.tickMs);
}
