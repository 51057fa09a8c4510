// How a fuzzing connection gets past the handshake to fuzz the playing state: pluggable, because the
// rooms issue will require a signed seat in HELLO. An Opening runs once per connection that asks for
// one, right after the WebSocket upgrade.
import {
  ClientMessageId,
  decodeServerFrame,
  encodeClientMessage,
  PROTOCOL_VERSION,
  ServerMessageId,
} from '@tickwire/protocol';
import type { RawConnection } from './rawConnection.js';

/** What an opening may do on an upgraded connection: send one message as a client frame, read what came back. */
export interface OpeningChannel {
  /** Send `payload` as one masked binary WebSocket frame. */
  sendBinary(payload: Uint8Array): void;
  /** The connection, to wait on (until) and read server messages from. */
  readonly connection: RawConnection;
}

/**
 * Brings connection number `index` into the playing state; resolves true once the server accepted
 * it (for Tickwire 6: WELCOME received), false when it refused or did not answer within `timeoutMs`.
 */
export type Opening = (channel: OpeningChannel, index: number, timeoutMs: number) => Promise<boolean>;

/** Today's opening: HELLO with this protocol version and a name, then wait for WELCOME. */
export const helloOpening: Opening = async (channel, index, timeoutMs) => {
  channel.sendBinary(
    encodeClientMessage({
      id: ClientMessageId.HELLO,
      protocolVersion: PROTOCOL_VERSION,
      name: `fuzz${index % 10_000}`,
      seat: '',
    }),
  );
  const welcomed = () =>
    channel.connection.messages.some((bytes) => {
      const decoded = decodeServerFrame(bytes);
      return decoded.ok && decoded.message.id === ServerMessageId.WELCOME;
    });
  return channel.connection.until(welcomed, timeoutMs);
};
