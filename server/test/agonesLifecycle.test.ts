// The Agones driver's states (starting, ready, allocated, shutdown) against an in-memory SDK, with the
// clock driven by the test: what each state sends, the label rule, and failures that never throw.
import { describe, expect, it } from 'vitest';
import {
  AgonesLifecycle,
  HEALTH_INTERVAL_MS,
  SESSION_READY_LABEL,
  SHUTDOWN_WAIT_MS,
} from '../src/agones/agonesLifecycle.js';
import type { AgonesSdk } from '../src/agones/agonesSdk.js';
import type { ProcessLoad } from '../src/agones/processLoad.js';
import type { Logger } from '../src/log.js';
import { FakeTimers } from './support/fakeTimers.js';

/** An SDK in memory: records each call; a method named in `failing` rejects (or, for health, reports an error). */
class MemorySdk implements AgonesSdk {
  readonly calls: string[] = [];
  readonly failing = new Set<string>();
  /** Shutdown never answers while true (a hung sidecar). */
  hangShutdown = false;

  private answer(name: string): Promise<unknown> {
    this.calls.push(name);
    return this.failing.has(name) ? Promise.reject(new Error(`${name} refused`)) : Promise.resolve({});
  }
  connect = () => this.answer('connect') as Promise<void>;
  ready = () => this.answer('ready');
  allocate = () => this.answer('allocate');
  shutdown = () =>
    this.hangShutdown ? new Promise<unknown>(() => this.calls.push('shutdown')) : this.answer('shutdown');
  setLabel = (key: string, value: string) => this.answer(`setLabel ${key}=${value}`);
  health = (errorCallback: (error: unknown) => void) => {
    this.calls.push('health');
    if (this.failing.has('health')) errorCallback(new Error('stream broken'));
  };
  close = () => {
    this.calls.push('close');
  };
}

const idle: ProcessLoad = { players: 0, rooms: 0, maxRooms: 4, totalPlayers: 0, maxTotalPlayers: 16, draining: false };
const withPlayer: ProcessLoad = { ...idle, players: 1, rooms: 1, totalPlayers: 1 };
const LABEL_TRUE = `setLabel ${SESSION_READY_LABEL}=true`;
const LABEL_FALSE = `setLabel ${SESSION_READY_LABEL}=false`;

/** Let the driver's queued SDK calls run (promise callbacks only; no clock moves). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setUp() {
  const sdk = new MemorySdk();
  const timers = new FakeTimers();
  const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = { debug() {}, info() {}, error() {}, warn: (msg, fields) => warnings.push({ msg, fields }) };
  const agones = new AgonesLifecycle({ sdk, log, timers });
  return { sdk, timers, agones, warnings };
}

describe('AgonesLifecycle: starting', () => {
  it('connects at once and sends nothing else before the process listens', async () => {
    const { sdk, agones, timers } = setUp();
    timers.advanceTo(10 * HEALTH_INTERVAL_MS);
    await settle();
    expect(agones.phase).toBe('starting');
    expect(sdk.calls).toEqual(['connect']);
  });

  it('sends no Ready when the process drains before it listens, but still pings', async () => {
    const { sdk, agones, timers } = setUp();
    agones.draining();
    agones.ready();
    timers.advanceTo(HEALTH_INTERVAL_MS);
    await settle();
    expect(sdk.calls).not.toContain('ready');
    expect(sdk.calls).toContain('health');
  });
});

describe('AgonesLifecycle: ready', () => {
  it('sends Ready after connect, a first Health right after, then one every 2 s', async () => {
    const { sdk, agones, timers } = setUp();
    agones.ready();
    await settle();
    expect(agones.phase).toBe('ready');
    expect(sdk.calls).toEqual(['connect', 'ready', 'health']);
    timers.advanceTo(3 * HEALTH_INTERVAL_MS);
    expect(sdk.calls.filter((call) => call === 'health')).toHaveLength(4);
  });

  it('sends Ready once however often the process says it listens', async () => {
    const { sdk, agones } = setUp();
    agones.ready();
    agones.ready();
    await settle();
    expect(sdk.calls.filter((call) => call === 'ready')).toHaveLength(1);
  });
});

describe('AgonesLifecycle: allocated', () => {
  it('allocates once at the first player and never sends Ready again', async () => {
    const { sdk, agones } = setUp();
    agones.ready();
    agones.observe(idle);
    agones.observe(withPlayer);
    agones.observe({ ...withPlayer, players: 2, totalPlayers: 2 });
    agones.observe(idle);
    agones.ready();
    await settle();
    expect(agones.phase).toBe('allocated');
    expect(sdk.calls.filter((call) => call === 'allocate')).toHaveLength(1);
    expect(sdk.calls.filter((call) => call === 'ready')).toHaveLength(1);
    expect(sdk.calls.indexOf('ready')).toBeLessThan(sdk.calls.indexOf('allocate'));
  });

  it('allocates at the first seat handed out, before its player connects', async () => {
    const { sdk, agones } = setUp();
    agones.ready();
    agones.observe({ ...idle, rooms: 1, totalPlayers: 1 });
    await settle();
    expect(agones.phase).toBe('allocated');
    expect(sdk.calls).toContain('allocate');
  });

  it('keeps pinging Health while allocated', async () => {
    const { sdk, agones, timers } = setUp();
    agones.ready();
    agones.observe(withPlayer);
    await settle();
    const before = sdk.calls.filter((call) => call === 'health').length;
    timers.advanceTo(2 * HEALTH_INTERVAL_MS);
    expect(sdk.calls.filter((call) => call === 'health').length).toBe(before + 2);
  });
});

describe('AgonesLifecycle: the gs-session-ready label', () => {
  it('is set by free capacity, and only when it changes', async () => {
    const { sdk, agones } = setUp();
    agones.ready();
    for (const load of [idle, idle, withPlayer, withPlayer]) agones.observe(load);
    agones.observe({ ...withPlayer, rooms: 4 }); // at --max-rooms
    agones.observe({ ...withPlayer, rooms: 4 });
    agones.observe({ ...withPlayer, rooms: 3 });
    agones.observe({ ...withPlayer, totalPlayers: 16 }); // at --max-total-players
    agones.observe({ ...withPlayer, draining: true });
    agones.observe(withPlayer);
    await settle();
    expect(sdk.calls.filter((call) => call.startsWith('setLabel'))).toEqual([
      LABEL_TRUE,
      LABEL_FALSE,
      LABEL_TRUE,
      LABEL_FALSE,
      LABEL_TRUE,
    ]);
  });

  it('turns false at draining(), without waiting for the next second, and stays false', async () => {
    const { sdk, agones } = setUp();
    agones.ready();
    agones.observe(idle);
    agones.draining();
    agones.observe(idle);
    await settle();
    expect(sdk.calls.filter((call) => call.startsWith('setLabel'))).toEqual([LABEL_TRUE, LABEL_FALSE]);
  });

  it('is asked again at the next second after a failed set', async () => {
    const { sdk, agones } = setUp();
    agones.ready();
    sdk.failing.add(LABEL_TRUE);
    agones.observe(idle);
    await settle();
    sdk.failing.clear();
    agones.observe(idle);
    agones.observe(idle);
    await settle();
    expect(sdk.calls.filter((call) => call.startsWith('setLabel'))).toEqual([LABEL_TRUE, LABEL_TRUE]);
  });
});

describe('AgonesLifecycle: shutdown', () => {
  it('sends Shutdown after drained(), then no Health, no Allocate and no label', async () => {
    const { sdk, agones, timers } = setUp();
    agones.ready();
    agones.observe(idle);
    await agones.drained();
    const atShutdown = sdk.calls.length;
    expect(sdk.calls.at(-1)).toBe('shutdown');
    expect(agones.phase).toBe('shutdown');
    timers.advanceTo(5 * HEALTH_INTERVAL_MS);
    agones.observe(withPlayer);
    agones.ready();
    await settle();
    expect(sdk.calls.length).toBe(atShutdown);
  });

  it('lets the process exit after the wait when the sidecar never answers Shutdown', async () => {
    const { sdk, agones, timers } = setUp();
    sdk.hangShutdown = true;
    agones.ready();
    let done = false;
    const drained = agones.drained().then(() => {
      done = true;
    });
    await settle();
    expect(done).toBe(false);
    timers.advanceTo(SHUTDOWN_WAIT_MS);
    await drained;
    expect(sdk.calls).toContain('shutdown');
  });

  it('sends Shutdown once when drained() is called twice', async () => {
    const { sdk, agones } = setUp();
    agones.ready();
    await agones.drained();
    await agones.drained();
    expect(sdk.calls.filter((call) => call === 'shutdown')).toHaveLength(1);
  });
});

describe('AgonesLifecycle: a failing sidecar', () => {
  it('counts every failed call, logs each kind once until it succeeds again, and never throws', async () => {
    const { sdk, agones, timers, warnings } = setUp();
    for (const name of ['connect', 'ready', 'allocate', 'health', LABEL_TRUE, 'shutdown']) sdk.failing.add(name);
    agones.ready();
    agones.observe(withPlayer);
    await settle(); // the pings start once connect and Ready have been answered (here: refused)
    timers.advanceTo(3 * HEALTH_INTERVAL_MS);
    await agones.drained();
    expect(agones.failures).toEqual({ connect: 1, ready: 1, health: 4, allocate: 1, setLabel: 1, shutdown: 1 });
    expect(warnings.map((warning) => warning.fields?.call).sort()).toEqual(
      ['allocate', 'connect', 'health', 'ready', 'setLabel', 'shutdown'].sort(),
    );
  });

  it('logs a kind again after it succeeded in between (one line per outage)', async () => {
    const { sdk, agones, warnings } = setUp();
    agones.ready();
    sdk.failing.add(LABEL_TRUE);
    agones.observe(idle);
    await settle();
    agones.observe(idle);
    await settle();
    expect(warnings).toHaveLength(1);
    sdk.failing.clear();
    agones.observe(idle);
    await settle();
    sdk.failing.add(LABEL_FALSE);
    agones.observe({ ...idle, draining: true });
    await settle();
    expect(warnings).toHaveLength(2);
  });

  it('catches an SDK method that throws instead of rejecting', async () => {
    const { sdk, agones, timers } = setUp();
    sdk.health = () => {
      throw new Error('write after end');
    };
    sdk.close = () => {
      throw new Error('already closed');
    };
    agones.ready();
    await settle(); // the pings start once connect and Ready have been answered
    timers.advanceTo(2 * HEALTH_INTERVAL_MS);
    await settle();
    agones.close();
    expect(agones.failures.health).toBe(3);
  });
});
