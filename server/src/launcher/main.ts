// The cluster launcher's command line (`npm run cluster -- --processes N ...`): N compiled servers on
// ports P..P+N-1 of this machine with one shared seat secret. Runs once per cluster, from
// server/dist, beside the servers it starts (server/dist/main.js).
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SEAT_SECRET_ENV } from '../rooms/seatSecret.js';
import { CLUSTER_HELP, ClusterArgsError, parseClusterArgs, serverArgv } from './clusterArgs.js';
import { launch } from './clusterLauncher.js';

function main(): void {
  let args: ReturnType<typeof parseClusterArgs>;
  try {
    args = parseClusterArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ClusterArgsError)) throw error;
    process.stderr.write(`tickwire cluster: ${error.message}\n${CLUSTER_HELP}\n`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(`${CLUSTER_HELP}\n`);
    return;
  }
  let secret = process.env[SEAT_SECRET_ENV];
  if (secret === undefined || secret === '') {
    // 32 random bytes, 43 base64url characters: over the server's 32-character minimum.
    secret = randomBytes(32).toString('base64url');
    process.stderr.write(`${SEAT_SECRET_ENV} generated for this run (seats of this cluster only)\n`);
  }
  if (!args.serverArgs.some((arg) => arg === '--redis-url' || arg.startsWith('--redis-url='))) {
    if (process.env.TICKWIRE_REDIS_URL === undefined) {
      process.stderr.write('no --redis-url: every process is a cluster of one, with only its own rooms\n');
    }
  }
  const argvs = Array.from({ length: args.processes }, (_, index) => serverArgv(args, index));
  const script = fileURLToPath(new URL('../main.js', import.meta.url));
  const launched = launch(
    { command: process.execPath, script, argvs, env: { ...process.env, [SEAT_SECRET_ENV]: secret } },
    { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
  );
  launched.pids.forEach((pid, index) => {
    process.stderr.write(`[${index}] pid ${pid}: node ${script} ${argvs[index]!.join(' ')}\n`);
  });
  process.on('SIGINT', () => launched.stop('SIGINT'));
  process.on('SIGTERM', () => launched.stop('SIGTERM'));
  // Signal listeners keep no process alive: once every child has exited, so does the launcher.
  void launched.exitCode.then((code) => {
    process.exitCode = code;
  });
}

main();
