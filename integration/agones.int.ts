// Integration: the real server process with --agones true, its SDK pointed (AGONES_SDK_GRPC_PORT) at a
// fake sidecar built in this test from the package's own service definition: Ready once listening,
// Health, the label while idle, Allocate and the label turning false at the first player (one room of
// --max-rooms 1), Shutdown after SIGTERM's drain; and a process whose sidecar is gone plays on.
// Runs once per test run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_READY_LABEL } from '../server/src/agones/agonesLifecycle.js';
import { FakeAgonesSdkServer } from '../server/test/support/fakeAgonesSdkServer.js';
import { joinSeat } from './support/seats.js';
import { getHealth, type ServerProcess, startServer } from './support/serverProcess.js';
import { TestClient } from './support/testClient.js';

/** Resolve once `condition` holds, polling every 20 ms; reject naming `what` after 15 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not reached in 15 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let sidecar: FakeAgonesSdkServer;
let server: ServerProcess;

beforeAll(async () => {
  sidecar = await FakeAgonesSdkServer.start();
  server = await startServer(['--agones', 'true', '--max-rooms', '1'], {
    AGONES_SDK_GRPC_PORT: String(sidecar.port),
  });
});

afterAll(async () => {
  await server?.stop();
  sidecar?.kill();
});

const count = (name: string) => sidecar.names().filter((call) => call === name).length;
const unary = () => sidecar.names().filter((name) => name !== 'Health');

describe('--agones on the real server process', () => {
  it('sends Ready once listening, then Health pings', async () => {
    await until(() => count('Ready') === 1, 'Ready');
    await until(() => count('Health') >= 2, 'two Health pings');
    expect(sidecar.names()[0]).toBe('Ready');
  });

  it('labels itself free while idle, then allocates and labels itself full at the first player', async () => {
    await until(() => sidecar.labels(SESSION_READY_LABEL).length === 1, 'the first label');
    expect(sidecar.labels(SESSION_READY_LABEL)).toEqual(['true']);
    expect(count('Allocate')).toBe(0);

    const client = await TestClient.join(await joinSeat(server.url), 'agones');
    await client.waitWelcome();
    // One room of --max-rooms 1: no room for another, so the label turns false.
    await until(() => count('Allocate') === 1 && sidecar.labels(SESSION_READY_LABEL).length === 2, 'Allocate');
    expect(unary()).toEqual(['Ready', 'SetLabel', 'Allocate', 'SetLabel']);
    expect(sidecar.labels(SESSION_READY_LABEL)).toEqual(['true', 'false']);
    await client.close();
  });

  it('sends Shutdown after the drain that SIGTERM starts, and exits 0', async () => {
    const exit = await server.stop();
    expect(exit.code).toBe(0);
    expect(unary().at(-1)).toBe('Shutdown');
    expect(count('Ready')).toBe(1);
    expect(count('Allocate')).toBe(1);
  });
});

describe('--agones with a sidecar that is not there or refuses', () => {
  it('serves players and exits 0 when nothing listens on the SDK port (connect waits, Shutdown is not awaited forever)', async () => {
    const gone = await FakeAgonesSdkServer.start();
    gone.kill();
    const lonely = await startServer(['--agones', 'true'], { AGONES_SDK_GRPC_PORT: String(gone.port) });
    try {
      const client = await TestClient.join(await joinSeat(lonely.url), 'no-sidecar');
      await client.waitWelcome();
      expect((await getHealth(lonely)).players).toBe(1);
      await client.close();
    } finally {
      expect((await lonely.stop()).code).toBe(0);
    }
  });

  it('serves players, logs the refused calls and exits 0 when the sidecar refuses every call', async () => {
    const refusing = await FakeAgonesSdkServer.start();
    refusing.refusing = true;
    const refused = await startServer(['--agones', 'true'], { AGONES_SDK_GRPC_PORT: String(refusing.port) });
    try {
      const client = await TestClient.join(await joinSeat(refused.url), 'refused');
      await client.waitWelcome();
      const failedCalls = () =>
        refused
          .logRecords()
          .filter((record) => String(record.msg).startsWith('agones: SDK call failed'))
          .map((record) => record.call);
      await until(() => failedCalls().includes('allocate'), 'the refused Allocate logged');
      expect(failedCalls()).toContain('ready');
      // Logged once per kind, however many pings and labels failed.
      expect(new Set(failedCalls()).size).toBe(failedCalls().length);
      await client.close();
    } finally {
      expect((await refused.stop()).code).toBe(0);
      refusing.kill();
    }
  });
});
