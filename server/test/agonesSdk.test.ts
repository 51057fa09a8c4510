// The Agones driver through the real SDK (@google-cloud/agones-sdk over gRPC) against a fake sidecar
// built from the package's own service definition: the calls and their order, and a sidecar that
// refuses or dies without anything thrown into the process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgonesLifecycle, SESSION_READY_LABEL } from '../src/agones/agonesLifecycle.js';
import { loadAgonesSdk } from '../src/agones/agonesSdk.js';
import type { ProcessLoad } from '../src/agones/processLoad.js';
import type { Logger } from '../src/log.js';
import { FakeAgonesSdkServer } from './support/fakeAgonesSdkServer.js';

/** Short, so a test sees many pings without waiting 2 s for each. */
const HEALTH_MS = 20;

const idle: ProcessLoad = { players: 0, rooms: 0, maxRooms: 2, totalPlayers: 0, maxTotalPlayers: 8, draining: false };
const withPlayer: ProcessLoad = { ...idle, players: 1, rooms: 1, totalPlayers: 1 };

/** Resolve once `condition` holds, polling every 10 ms; fail naming `what` after 10 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not reached in 10 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let sidecar: FakeAgonesSdkServer;
let agones: AgonesLifecycle;
let warnings: string[];
const savedPort = process.env.AGONES_SDK_GRPC_PORT;

beforeEach(async () => {
  sidecar = await FakeAgonesSdkServer.start();
  // The SDK reads the port from the environment, as it does in a pod.
  process.env.AGONES_SDK_GRPC_PORT = String(sidecar.port);
  warnings = [];
  const log: Logger = {
    debug() {},
    info() {},
    error() {},
    warn: (_msg, fields) => warnings.push(String(fields?.call)),
  };
  agones = new AgonesLifecycle({
    sdk: await loadAgonesSdk(),
    log,
    timers: {
      setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
      clearTimer: (h) => clearTimeout(h as never),
    },
    healthIntervalMs: HEALTH_MS,
    shutdownWaitMs: 2000,
  });
});

afterEach(() => {
  agones.close();
  sidecar.kill();
  if (savedPort === undefined) delete process.env.AGONES_SDK_GRPC_PORT;
  else process.env.AGONES_SDK_GRPC_PORT = savedPort;
});

const count = (name: string) => sidecar.names().filter((call) => call === name).length;

describe('Agones over gRPC against the fake sidecar', () => {
  it('sends Ready once listening, then Health repeatedly on one stream', async () => {
    agones.ready();
    await until(() => count('Health') >= 3, 'three Health pings');
    expect(sidecar.names()[0]).toBe('Ready');
    expect(count('Ready')).toBe(1);
  });

  it('allocates once when the first player arrives, and sends no Ready after it', async () => {
    agones.ready();
    agones.observe(idle);
    agones.observe(withPlayer);
    agones.observe({ ...withPlayer, players: 2, totalPlayers: 2 });
    agones.ready();
    await until(() => count('Allocate') === 1 && count('SetLabel') === 1, 'Allocate and the label');
    const unary = sidecar.names().filter((name) => name !== 'Health');
    expect(unary).toEqual(['Ready', 'SetLabel', 'Allocate']);
  });

  it('sets gs-session-ready true and false as capacity changes, and only then', async () => {
    agones.ready();
    for (const load of [idle, idle, withPlayer, { ...withPlayer, rooms: 2 }, { ...withPlayer, rooms: 2 }, withPlayer]) {
      agones.observe(load);
    }
    agones.draining();
    await until(() => sidecar.labels(SESSION_READY_LABEL).length === 4, 'four label changes');
    expect(sidecar.labels(SESSION_READY_LABEL)).toEqual(['true', 'false', 'true', 'false']);
  });

  it('sends Shutdown after drained(), as its last call', async () => {
    agones.ready();
    agones.observe(withPlayer);
    await agones.drained();
    const unary = sidecar.names().filter((name) => name !== 'Health');
    expect(unary).toEqual(['Ready', 'Allocate', 'SetLabel', 'Shutdown']);
  });

  it('carries on when the sidecar refuses every call: counted, logged once per kind, nothing thrown', async () => {
    sidecar.refusing = true;
    agones.ready();
    agones.observe(withPlayer);
    await until(() => agones.failures.setLabel === 1 && agones.failures.allocate === 1, 'the refusals');
    await agones.drained();
    expect(agones.failures).toMatchObject({ ready: 1, allocate: 1, setLabel: 1, shutdown: 1 });
    expect(warnings.filter((call) => call === 'ready')).toHaveLength(1);
    expect(sidecar.calls).toEqual([]);
  });

  it('carries on when the sidecar dies mid-run: later calls fail and are logged, and the process goes on', async () => {
    agones.ready();
    await until(() => count('Health') >= 1, 'a first Health');
    sidecar.kill();
    agones.observe(withPlayer);
    await until(() => agones.failures.allocate === 1, 'Allocate to fail');
    // More ping periods pass on the broken stream (the SDK swallows its error and never reopens it);
    // any throw out of a gRPC callback would fail this test as an unhandled error.
    const phaseBefore = agones.phase;
    await until(() => agones.failures.setLabel === 1, 'the label to fail');
    await agones.drained();
    expect(phaseBefore).toBe('allocated');
    expect(warnings).toContain('allocate');
    expect(agones.failures.shutdown).toBe(1);
  });
});
