// The cluster launcher's arguments: what it takes for itself, what it passes through, what it refuses.
import { describe, expect, it } from 'vitest';
import { ClusterArgsError, parseClusterArgs, serverArgv } from '../src/launcher/clusterArgs.js';

describe('parseClusterArgs', () => {
  it('takes --processes and --port for itself and passes every other argument through in order', () => {
    const args = parseClusterArgs([
      '--processes',
      '3',
      '--redis-url',
      'redis://10.0.0.2:6379',
      '--port=9000',
      '--scenario',
      'arena',
    ]);
    expect(args).toEqual({
      processes: 3,
      firstPort: 9000,
      serverArgs: ['--redis-url', 'redis://10.0.0.2:6379', '--scenario', 'arena'],
      allowedOrigins: [],
      help: false,
    });
  });

  it('starts at port 8080 when --port is absent', () => {
    expect(parseClusterArgs(['--processes=2']).firstPort).toBe(8080);
  });

  it('gives process i port P+i, reached at http://127.0.0.1:P+i, before the passed-through flags', () => {
    const args = parseClusterArgs(['--processes', '2', '--port', '7000', '--redis-url', 'redis://127.0.0.1:6379']);
    expect(serverArgv(args, 1)).toEqual([
      '--port',
      '7001',
      '--public-url',
      'http://127.0.0.1:7001',
      '--allowed-origins',
      'http://127.0.0.1:7000,http://localhost:7000,http://127.0.0.1:7001,http://localhost:7001',
      '--redis-url',
      'redis://127.0.0.1:6379',
    ]);
  });

  it("allows every process's origin on each, added to --allowed-origins given by hand", () => {
    const args = parseClusterArgs(['--processes', '2', '--port', '7000', '--allowed-origins', 'https://game.example']);
    const argv = serverArgv(args, 0);
    expect(argv[argv.indexOf('--allowed-origins') + 1]).toBe(
      'https://game.example,http://127.0.0.1:7000,http://localhost:7000,http://127.0.0.1:7001,http://localhost:7001',
    );
    expect(argv.filter((a) => a === '--allowed-origins')).toHaveLength(1);
  });

  it.each([
    [[], /--processes N is required/],
    [['--processes'], /--processes needs a value/],
    [['--processes', '0'], /--processes must be 1–64, not 0/],
    [['--processes', '65'], /--processes must be 1–64/],
    [['--processes', '2.5'], /whole number/],
    [['--processes', '-1'], /whole number/],
    [['--processes', '2', '--port', '0'], /--port must be 1–65535, not 0/],
    [['--processes', '3', '--port', '65534'], /no room for 3 processes/],
    [['--processes', '2', '--public-url', 'http://a:1'], /--public-url is set by the launcher/],
    [['--processes', '2', '--process-id=a'], /--process-id is set by the launcher/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseClusterArgs(argv)).toThrow(ClusterArgsError);
    expect(() => parseClusterArgs(argv)).toThrow(message);
  });

  it('asks for help without needing --processes', () => {
    expect(parseClusterArgs(['--help']).help).toBe(true);
  });
});
