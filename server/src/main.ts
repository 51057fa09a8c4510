// The server's command line: read settings, start, print where it listens, drain on SIGTERM and
// stop at once on SIGINT (or a second SIGTERM). Runs once per process.
import { ConfigError, helpText, parseConfig } from './config.js';
import { startGameServer } from './gameServer.js';
import { createLogger } from './log.js';
import { type SeatSecret, seatSecretFrom } from './rooms/seatSecret.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  let config: ReturnType<typeof parseConfig>;
  let seatSecret: SeatSecret;
  try {
    config = parseConfig(argv, process.env);
    seatSecret = seatSecretFrom(process.env);
    if (config.redisUrl !== '' && seatSecret.source === 'random') {
      // Each process would sign with its own random key and refuse every other's seats.
      throw new ConfigError(
        '--redis-url needs TICKWIRE_SEAT_SECRET: one secret (32+ characters) shared by every process of the cluster',
      );
    }
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof RangeError)) throw error;
    process.stderr.write(`tickwire: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const log = createLogger(config.logLevel);
  const server = await startGameServer(config, log, { seatSecret }).catch((error: unknown) => {
    log.error('cannot listen', { host: config.host, port: config.port, error: String(error) });
    process.exit(1);
  });
  const exitWhenStopped = (stopped: Promise<void>) => {
    stopped.then(
      () => {
        log.info('stopped', { roomTicks: server.scheduler.roomTicks, droppedTicks: server.scheduler.droppedTicks });
        process.exit(0);
      },
      (error: unknown) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  // SIGTERM drains (rooms run until empty or --drain-deadline-ms); a second SIGTERM, or SIGINT at any
  // time, stops at once. Either way every client still connected gets 1001 and the process exits 0.
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGTERM' && server.state === 'running') {
      log.info('draining on SIGTERM', { signal, drainDeadlineMs: config.drainDeadlineMs });
      exitWhenStopped(server.drain());
      return;
    }
    log.info('shutting down', { signal });
    exitWhenStopped(server.stop());
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Only now: a supervisor that signals on this line finds the handlers above in place (before them,
  // SIGTERM's default action kills the process outright instead of draining it).
  log.info(`listening on ${server.url} (rooms at ${server.wsUrl}/<roomId>, found through POST /matchmake)`, {
    url: server.url,
    wsUrl: server.wsUrl,
    port: server.port,
    scenario: config.scenario,
    tickRate: config.tickRate,
    snapshotRate: config.snapshotRate,
    maxPlayers: config.maxPlayers,
    maxRooms: config.maxRooms,
    // Where the seat key came from, never the key: random means seats do not survive a restart.
    seatSecret: seatSecret.source,
  });
}

void main();
