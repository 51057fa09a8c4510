// The /lobby of a process in a cluster: public rooms of every process, from the directory's
// channel (one SUBSCRIBE per process, on its own connection, for its whole life), and the whole
// list again each time that connection is (re)established, so viewers resync after an outage.
// Runs per channel message and per (re)connection.
import type { LobbyRoom } from '@tickwire/protocol';
import type { LobbyEndpoint } from '../lobby/lobbySocket.js';
import type { Logger } from '../log.js';
import type { RedisDirectory } from './redisDirectory.js';
import { KEYS } from './redisKeys.js';
import type { RedisLink } from './redisLink.js';

type Lobby = Pick<LobbyEndpoint, 'roomAdded' | 'roomRemoved' | 'playersChanged' | 'replaceAll'>;

export function followClusterLobby(link: RedisLink, directory: RedisDirectory, lobby: Lobby, log: Logger): void {
  const sub = link.subscriber();
  let subscribed = false;
  const resync = () => {
    directory.listPublic().then(
      (rooms) => lobby.replaceAll(rooms.map(({ process: _process, ...room }) => room)),
      (error: unknown) => log.debug('lobby resync failed; the next reconnection retries', { error: String(error) }),
    );
  };
  sub.on('ready', () => {
    if (!subscribed) {
      subscribed = true;
      // node-redis subscribes again by itself after every reconnection.
      sub
        .subscribe(KEYS.lobbyChannel, (message) => apply(lobby, message, log))
        .then(resync, (error: unknown) => {
          subscribed = false;
          log.warn('lobby subscription failed', { error: String(error) });
        });
    } else {
      resync();
    }
  });
  sub.connect().catch(() => {
    // Retries forever in the background; the command connection logs the outage.
  });
  // The link closes this subscriber with its other connection (redisLink.ts close(), with a deadline).
}

/** One channel message; anything not in the shape our scripts publish is ignored. */
function apply(lobby: Lobby, message: string, log: Logger): void {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(message) as Record<string, unknown>;
  } catch {
    log.debug('unreadable lobby message', { message: message.slice(0, 200) });
    return;
  }
  if (typeof event.id !== 'string') return;
  if (event.type === 'removed') return lobby.roomRemoved(event.id);
  if (event.type === 'players' && typeof event.players === 'number')
    return lobby.playersChanged(event.id, event.players);
  if (event.type !== 'added') return;
  const { id, scenario, players, maxPlayers, tickRate, createdAt } = event;
  if (typeof scenario !== 'string') return;
  if (![players, maxPlayers, tickRate, createdAt].every((n) => typeof n === 'number')) return;
  const room: LobbyRoom = {
    id,
    scenario,
    players: players as number,
    maxPlayers: maxPlayers as number,
    tickRate: tickRate as number,
    createdAt: createdAt as number,
  };
  lobby.roomAdded(room);
}
