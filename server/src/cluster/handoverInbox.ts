// A process's inbox of room handovers offered to it: one SUBSCRIBE on its own channel
// (tw:proc-channel:<pid>), on its own connection, for its whole life, and a resync from Redis
// (tw:proc-incoming:<pid>) each time that connection is (re)established, because a channel drops
// what is published while nobody listens. Runs per channel message and per (re)connection.
//
// An offer may arrive twice (the channel and a resync): claim answers 'refused' to the second, so
// the handler acts only on a claim's 'claimed'.
import type { Logger } from '../log.js';
import { KEYS } from './redisKeys.js';
import type { RedisLink } from './redisLink.js';
import { type Offer, offerOf, type RoomMoves } from './roomMoves.js';

export interface HandoverInbox {
  /** Read the offers pending in Redis again (the heartbeat may call it as a safety net). */
  resync(): Promise<void>;
  /** Hand on no more offers (a process that stops takes no room). */
  stop(): void;
}

export function followHandovers(
  link: RedisLink,
  moves: RoomMoves,
  processId: string,
  onOffer: (offer: Offer) => void,
  log: Logger,
): HandoverInbox {
  const sub = link.subscriber();
  let subscribed = false;
  let stopped = false;
  const deliver = (offer: Offer) => {
    if (!stopped) onOffer(offer);
  };
  const resync = async () => {
    try {
      for (const offer of await moves.incoming(processId)) deliver(offer);
    } catch (error) {
      log.debug('handover inbox resync failed; the next reconnection retries', { error: String(error) });
    }
  };
  sub.on('ready', () => {
    if (!subscribed) {
      subscribed = true;
      // node-redis subscribes again by itself after every reconnection.
      sub
        .subscribe(KEYS.procChannel(processId), (message) => {
          const offer = offerOf(message);
          if (offer === undefined) log.debug('unreadable handover offer', { message: message.slice(0, 200) });
          else deliver(offer);
        })
        .then(resync, (error: unknown) => {
          subscribed = false;
          log.warn('handover inbox subscription failed', { error: String(error) });
        });
    } else {
      void resync();
    }
  });
  sub.connect().catch(() => {
    // Retries forever in the background; the command connection logs the outage.
  });
  return {
    resync,
    stop() {
      // The link closes this connection with its others (redisLink.ts close(), with a deadline).
      stopped = true;
    },
  };
}
