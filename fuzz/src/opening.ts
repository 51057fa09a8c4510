// How a fuzzing connection reaches a room and gets past the handshake to fuzz the playing state:
// pluggable, so the fuzzer itself knows nothing of seats. door() runs once per game-socket
// connection, before its upgrade; enter() once per connection that asks for the opening, after it.
import {
  ClientMessageId,
  decodeServerFrame,
  encodeClientMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  ServerMessageId,
} from '@tickwire/protocol';
import { matchmake } from '../../client/src/net/matchmake.js';
import type { RawConnection } from './rawConnection.js';

/** What an opening may do on an upgraded connection: send one message as a client frame, read what came back. */
export interface OpeningChannel {
  /** Send `payload` as one masked binary WebSocket frame. */
  sendBinary(payload: Uint8Array): void;
  /** The connection, to wait on (until) and read server messages from. */
  readonly connection: RawConnection;
}

/** Where a game-socket connection goes: a room socket's path, and the seat its HELLO carries ('' for none). */
export interface Door {
  path: string;
  seat: string;
}

export interface Opening {
  /** The door of connection `index`; `seated`: it will run enter(), so it needs a seat of its own. */
  door(index: number, seated: boolean): Promise<Door>;
  /**
   * Brings connection `index`, upgraded at `door`, into the playing state; resolves true once the
   * server accepted it (for Tickwire 7: WELCOME received), false when it refused or did not answer
   * within `timeoutMs`.
   */
  enter(channel: OpeningChannel, index: number, timeoutMs: number, door: Door): Promise<boolean>;
}

/**
 * Today's opening: POST /matchmake joinOrCreate on `httpUrl` for a seat, then HELLO with it and wait
 * for WELCOME. A connection that will not say HELLO reuses the last room seen, without a seat of its
 * own: an unused seat holds a place in its room for 15 s, and thousands of them would fill the
 * process's player cap with nobody.
 */
export function matchmakeOpening(httpUrl: string): Opening {
  let lastPath: string | undefined;
  const seat = async (): Promise<Door> => {
    const answer = await matchmake(httpUrl, { mode: 'joinOrCreate' });
    if (!answer.ok) throw new Error(`fuzz opening: POST /matchmake answered ${answer.status} ${answer.error}`);
    lastPath = new URL(answer.wsUrl).pathname;
    return { path: lastPath, seat: answer.seat };
  };
  return {
    async door(_index, seated) {
      if (seated || lastPath === undefined) return seat();
      return { path: lastPath, seat: '' };
    },
    async enter(channel, index, timeoutMs, door) {
      channel.sendBinary(
        encodeClientMessage({
          id: ClientMessageId.HELLO,
          protocolVersion: PROTOCOL_VERSION,
          name: `fuzz${index % 10_000}`,
          seat: door.seat,
        }),
      );
      const welcomed = () =>
        channel.connection.messages.some((bytes) => {
          // Looks for WELCOME only; a SNAPSHOT read from a fresh state may fail, which is not WELCOME either way.
          const decoded = decodeServerFrame(bytes, newSnapshotHeaderState());
          return decoded.ok && decoded.message.id === ServerMessageId.WELCOME;
        });
      return channel.connection.until(welcomed, timeoutMs);
    },
  };
}
