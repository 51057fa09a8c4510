// Integration ("client netcode"): the client's own netcode end to end against the real server run
// with --debug-state true. Each client is NetClient (prediction, reconciliation, input pacing,
// pings) over a seeded SimulatedSocket over the bots' ws socket, driven by a 2 ms frame loop that
// hands it performance.now(), as a game's frames would. Tests wait for frames and snapshots, never
// for ticks. Bounds come from what the test knows exactly (the link's configured delays, each frame's
// arrival off the real socket, the server's own tick times in pongs), and each says which.
import {
  type EntityState,
  type MoveInput,
  type MovementRules,
  type PlayerState,
  POSITION_SCALE,
  step,
} from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORRECTION_FADE_MS } from '../client/src/net/prediction.js';
import { FrameLoop } from './support/frameLoop.js';
import { IDLE, NetPlayer, type NetPlayerOptions, type NetSnapshotArrival } from './support/netPlayer.js';
import { joinSeat } from './support/seats.js';
import { getHealth, type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS } from './support/testClient.js';

/** The arena's middle, in quanta: the scripted client starts here, far from every wall. */
const CENTER = 16384;

/**
 * Settling period of test (a), ms of client time from the first paced input. The InputPacer starts at
 * the tick rate with nothing queued on the server, and steers by snapshots that report the queue one
 * link delay late; until that feedback has brought the queue to its target, a late input may starve a
 * tick. Three seconds is ~90 snapshots and ~10 round trips of feedback; after it, none may starve.
 * (The simulator's delay is latency + U[0, jitter), so "150 ± 30 ms" is latency 120 with jitter 60:
 * 120 to 180 ms each way.)
 */
const SETTLE_MS = 3000;
/** Each direction of the script is held this long, ms (15 inputs at 30 Hz). */
const SEGMENT_MS = 500;
const SCRIPT: readonly MoveInput[] = [
  { moveX: 1, moveY: 0 },
  { moveX: Math.SQRT1_2, moveY: Math.SQRT1_2 },
  { moveX: 0, moveY: 1 },
  IDLE,
  { moveX: -1, moveY: 0 },
  { moveX: -Math.SQRT1_2, moveY: -Math.SQRT1_2 },
  { moveX: 0, moveY: -1 },
  { moveX: 0.6, moveY: -0.8 },
  // Ends idle: once inputs stop, the server repeats the latest one on every starved tick, and only an
  // idle one leaves the state where the last input put it.
  IDLE,
];

/** Test (c) measures the clock this long after joining, ms: PingSchedule's 10 Hz phase (3 s) is over. */
const CLOCK_SETTLE_MS = 3000;
/** Test (c) checks the estimate at every snapshot of this window after CLOCK_SETTLE_MS, ms. */
const CLOCK_WINDOW_MS = 1500;

/** Test (d): the remote mover starts here (quanta) and moves east for MOVE_MS. */
const MOVER_START_X = 4000;
const MOVE_MS = 3000;
/** Test (d): rendered frames per second. */
const RENDER_FPS = 60;
/** Test (d): the observer warms its clock and render clock this long before the mover starts, ms. */
const OBSERVER_WARMUP_MS = 2000;

const stateOf = (entity: EntityState): PlayerState => ({
  x: entity.x,
  y: entity.y,
  vx: entity.vx,
  vy: entity.vy,
  angle: entity.angle,
});

/** The (vx, vy) the shared step() gives `input`, for checking that the server followed the script. */
function velocityOf(input: MoveInput, rules: MovementRules, tickRate: number): string {
  const next = step({ x: CENTER, y: CENTER, vx: 0, vy: 0, angle: 0 }, input, 1 / tickRate, rules);
  return `${next.vx},${next.vy}`;
}

describe('client netcode against the real server', () => {
  let server: ServerProcess;
  const loop = new FrameLoop();
  const players: NetPlayer[] = [];

  async function join(name: string, options: NetPlayerOptions = {}): Promise<NetPlayer> {
    const player = await NetPlayer.join(await joinSeat(server.url), name, options);
    players.push(player);
    return player;
  }

  beforeAll(async () => {
    server = await startServer(['--debug-state', 'true']);
  });

  afterAll(async () => {
    loop.stop();
    await Promise.all(players.map((player) => player.close().catch(() => {})));
    await server?.stop();
  });

  describe('a client on a 150 ± 30 ms link', () => {
    let laggy: NetPlayer;

    beforeAll(async () => {
      laggy = await join('laggy', { link: { latencyMs: 120, jitterMs: 60, seed: 7 } });
      // Start in the middle, so the script's 4 s of movement meet no wall.
      const spawn = laggy.snapshots.last!.world[laggy.playerId]!;
      laggy.client.connection.requestNudge(CENTER - spawn.x, CENTER - spawn.y);
      const centred = (a: NetSnapshotArrival) =>
        a.world[laggy.playerId]?.x === CENTER && a.world[laggy.playerId]?.y === CENTER;
      await laggy.snapshots.find('the client centred', EVENT_TIMEOUT_MS, centred);
      loop.add((nowMs) => laggy.frame(nowMs));
    });

    it('follows a 4 s script with paced inputs: no starved or dropped input, no misprediction, and ends exactly on the server state', async () => {
      const welcome = laggy.client.connection.welcome!;
      const rules = { width: welcome.worldWidth, height: welcome.worldHeight, speed: welcome.speed };
      const settleStart = await loop.until(() => true, 'a frame', EVENT_TIMEOUT_MS);
      await loop.reach(settleStart + SETTLE_MS, 'the end of the settling period');

      // The window starts at the newest snapshot after settling: its counters are the baseline.
      const start = laggy.snapshots.last!;
      const startIndex = laggy.snapshots.items.length - 1;
      const firstSeq = laggy.lastSentSeq + 1;
      const scriptStart = loop.nowMs;
      const scriptEnd = scriptStart + SCRIPT.length * SEGMENT_MS;
      laggy.input = (nowMs) => SCRIPT[Math.min(SCRIPT.length - 1, Math.floor((nowMs - scriptStart) / SEGMENT_MS))]!;
      await loop.reach(scriptEnd, 'the end of the script');
      laggy.sending = false;
      const lastSeq = laggy.lastSentSeq;
      const end = await laggy.snapshots.find(
        `lastInputSeq ${lastSeq}`,
        EVENT_TIMEOUT_MS,
        (a) => a.snapshot.lastInputSeq === lastSeq,
      );
      // Read at once: with inputs stopped, the next ticks starve and the pacer reacts to that.
      const pacer = { target: laggy.client.pacer!.target, scale: laggy.client.pacer!.scale };
      const window = laggy.snapshots.items.slice(startIndex, laggy.snapshots.items.indexOf(end) + 1);

      // The server followed the script: every scripted velocity shows up in its snapshots.
      const seen = new Set(window.map((a) => `${a.world[laggy.playerId]!.vx},${a.world[laggy.playerId]!.vy}`));
      const scripted = new Set(SCRIPT.map((input) => velocityOf(input, rules, welcome.tickRate)));
      expect(
        [...scripted].filter((v) => !seen.has(v)),
        'scripted velocities never seen',
      ).toEqual([]);
      expect(lastSeq - firstSeq + 1).toBeGreaterThanOrEqual(
        ((SCRIPT.length * SEGMENT_MS) / 1000) * welcome.tickRate * 0.9,
      );

      // After settling, the pacer kept the server's queue from running dry or overflowing...
      const counters = (a: NetSnapshotArrival) => ({
        starvedInputs: a.snapshot.starvedInputs,
        droppedInputs: a.snapshot.droppedInputs,
        mispredictions: a.mispredictions,
      });
      const buffers = window.map((a) => a.snapshot.inputBuffer);
      expect(counters(end), `queue depths in the window: ${buffers.join(' ')}`).toEqual(counters(start));
      // ...so every replay matched the server exactly. Once it has applied the last input, the
      // prediction, the server's own state (DEBUG_STATE) and the reconstructed world are one state.
      const debug = await laggy.requestDebugState();
      expect(debug.appliedTick).toBe(debug.message.tick);
      const own = debug.message.entities.find((entity) => entity.id === laggy.playerId)!;
      expect(debug.predicted).toEqual(stateOf(own));
      expect(debug.predicted).toEqual(stateOf(debug.world[laggy.playerId]!));
      expect(laggy.client.prediction!.pendingCount).toBe(0);
      expect(laggy.client.prediction!.stats.mispredictions).toBe(start.mispredictions);
      expect(laggy.protocolErrors).toEqual([]);

      // Figures: where each input was stamped to land (INPUT tick) against where it landed.
      const appliedAt = new Map<number, number>();
      for (const a of window)
        if (!appliedAt.has(a.snapshot.lastInputSeq)) appliedAt.set(a.snapshot.lastInputSeq, a.snapshot.tick);
      const stampErrors = [...appliedAt]
        .filter(([seq]) => seq >= firstSeq)
        .map(([seq, tick]) => laggy.stamps.get(seq)! - tick);
      console.info(
        `netcode (a): inputs ${firstSeq}..${lastSeq}, settling/window: starved ${start.snapshot.starvedInputs}/` +
          `${end.snapshot.starvedInputs - start.snapshot.starvedInputs}, dropped ${start.snapshot.droppedInputs}/` +
          `${end.snapshot.droppedInputs - start.snapshot.droppedInputs}, mispredictions ${start.mispredictions}/` +
          `${end.mispredictions - start.mispredictions}, ` +
          `queue depth ${Math.min(...buffers)}..${Math.max(...buffers)}, pacer target ${pacer.target.toFixed(2)} scale ${pacer.scale.toFixed(3)}, ` +
          `stamp − applied tick ${Math.min(...stampErrors)}..${Math.max(...stampErrors)}, longest frame gap ${loop.longestGapMs.toFixed(1)} ms`,
      );
    });

    it('a server nudge is an unpredictable teleport, not a misprediction, shown as a correction that fades instead of a snap', async () => {
      laggy.input = IDLE;
      laggy.sending = true;
      const prediction = laggy.client.prediction!;
      const before = laggy.predicted!;
      const mispredictionsBefore = prediction.stats.mispredictions;
      const teleportsBefore = prediction.stats.unpredictableCauses.teleport;
      const unpredictableBefore = prediction.stats.unpredictable;
      // Where the frame loop last drew the player, and every position it drew from the correction on.
      let drawn: { atMs: number; x: number; y: number } | undefined;
      const fade: { atMs: number; x: number; y: number }[] = [];
      let correction:
        | { atMs: number; drawnBefore: typeof drawn; drawnAfter: { x: number; y: number }; kind: unknown }
        | undefined;
      const removeDraw = loop.add((nowMs) => {
        drawn = { atMs: nowMs, ...prediction.renderPosition(nowMs)! };
        if (correction !== undefined) fade.push(drawn);
      });
      laggy.onSnapshot = (arrival) => {
        if (correction !== undefined || arrival.unpredictable === unpredictableBefore) return;
        correction = {
          atMs: arrival.atMs,
          drawnBefore: drawn,
          drawnAfter: prediction.renderPosition(arrival.atMs)!,
          kind: prediction.stats.lastCorrection,
        };
      };
      const DX = 320;
      laggy.client.connection.requestNudge(DX, 0);
      await loop.until(() => correction !== undefined, 'the correction', EVENT_TIMEOUT_MS);
      const { atMs, drawnBefore, drawnAfter } = correction!;
      await loop.reach(atMs + CORRECTION_FADE_MS, 'the end of the fade');
      removeDraw();
      laggy.onSnapshot = () => {};

      // 20 units is three ticks at top speed: no dropped or repeated input explains it.
      expect(correction!.kind).toEqual({ kind: 'unpredictable', cause: 'teleport' });
      expect(prediction.stats.unpredictableCauses.teleport).toBe(teleportsBefore + 1);
      expect(prediction.stats.lastErrorUnits).toBe(DX / POSITION_SCALE);
      // The prediction jumped 20 units at once (idle: nothing else moves it)...
      const after = laggy.predicted!;
      expect(after).toEqual({ ...before, x: before.x + DX });
      // ...but the drawing did not: right after the correction it is where it was drawn just before
      // (within one quantum), then slides monotonically to the new state and ends exactly on it.
      expect(Math.hypot(drawnAfter.x - drawnBefore!.x, drawnAfter.y - drawnBefore!.y)).toBeLessThanOrEqual(1);
      const xs = fade.map((frame) => frame.x);
      for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThanOrEqual(xs[i - 1]!);
      expect(fade.every((frame) => frame.y === before.y && frame.x >= before.x && frame.x <= after.x)).toBe(true);
      expect(prediction.renderPosition(loop.nowMs)).toEqual({ x: after.x, y: after.y });
      // And it is the server's state too.
      const debug = await laggy.requestDebugState();
      expect(stateOf(debug.message.entities.find((entity) => entity.id === laggy.playerId)!)).toEqual(after);
      console.info(
        `netcode (b): teleports ${teleportsBefore} → ${prediction.stats.unpredictableCauses.teleport}, mispredictions ${mispredictionsBefore} → ${prediction.stats.mispredictions}, ` +
          `drawn ${drawnBefore!.x} → ${drawnAfter.x.toFixed(2)} at the correction (state ${before.x} → ${after.x}), ` +
          `${fade.length} frames of fade over ${CORRECTION_FADE_MS} ms`,
      );
    });
  });

  describe.each([
    { link: '200 ms, no jitter', jitterMs: 0, seed: 11 },
    { link: '200 ms + up to 30 ms of jitter', jitterMs: 30, seed: 12 },
  ])('clock sync on a link of $link each way', ({ jitterMs, seed }) => {
    it(`estimates the round trip within [400, 400 + 3 ticks] ms and the server tick within ±1.5 ticks`, async () => {
      const LATENCY_MS = 200;
      const player = await join(`clock${jitterMs}`, { link: { latencyMs: LATENCY_MS, jitterMs, seed } });
      const periodMs = 1000 / player.tickRate;
      // At each snapshot: the clock's estimate at its arrival, and a reference for the true server tick
      // then. The reference is the snapshot's tick (or, for one carrying a pong, the exact tick time
      // s it was written at) plus the time the simulated link held it, measured off the real socket:
      // the truth is above it only by the server's write lag and loopback time (well under a tick).
      const checks: { kind: 'tick' | 'pong'; error: number }[] = [];
      let measuring = false;
      player.onSnapshot = (arrival) => {
        const clock = player.clock;
        if (!measuring || !clock.synced) return;
        const heldTicks = (arrival.atMs - arrival.rawAtMs) / periodMs;
        checks.push({ kind: 'tick', error: clock.serverTickAt(arrival.atMs) - (arrival.snapshot.tick + heldTicks) });
        const pong = player.pongs.last;
        if (pong !== undefined && pong.atMs === arrival.atMs && Number.isFinite(pong.estimate)) {
          checks.push({ kind: 'pong', error: pong.estimate - (pong.serverSendTick + heldTicks) });
        }
      };
      const removeFrame = loop.add((nowMs) => player.frame(nowMs));
      const startMs = await loop.until(() => true, 'a frame', EVENT_TIMEOUT_MS);
      await loop.reach(startMs + CLOCK_SETTLE_MS, 'the clock settling period');
      measuring = true;
      await loop.reach(startMs + CLOCK_SETTLE_MS + CLOCK_WINDOW_MS, 'the clock window');
      measuring = false;
      removeFrame();
      player.onSnapshot = () => {};
      const clock = player.clock;

      // The link holds every frame at least LATENCY_MS each way (realTimeScheduler never fires early),
      // and the pong's server hold is taken out: the lowest round trip is at least 2 × LATENCY_MS.
      expect(clock.roundTripMs).toBeGreaterThanOrEqual(2 * LATENCY_MS);
      expect(clock.roundTripMs).toBeLessThanOrEqual(2 * LATENCY_MS + 3 * periodMs);
      expect(checks.filter((c) => c.kind === 'pong').length).toBeGreaterThanOrEqual(1);
      expect(checks.length).toBeGreaterThan((CLOCK_WINDOW_MS / periodMs) * 0.5);
      for (const { kind, error } of checks) expect(Math.abs(error), `${kind} reference`).toBeLessThanOrEqual(1.5);
      // The references assume an unbroken tick clock: no tick dropped after a server stall.
      expect(((await getHealth(server)).ticks as { dropped: number }).dropped).toBe(0);
      expect(clock.rejectedCount).toBe(0);
      expect(player.protocolErrors).toEqual([]);
      const errors = (kind: string) => checks.filter((c) => c.kind === kind).map((c) => c.error);
      const range = (values: number[]) => `${Math.min(...values).toFixed(3)}..${Math.max(...values).toFixed(3)}`;
      console.info(
        `netcode (c) ±${jitterMs} ms: roundTripMs ${clock.roundTripMs.toFixed(2)} (latest ${clock.latestRoundTripMs.toFixed(2)}), ` +
          `${clock.sampleCount} samples, snaps ${clock.snapCount}, pending correction ${clock.pendingCorrectionMs.toFixed(2)} ms, ` +
          `estimate − reference (ticks): snapshot tick ${range(errors('tick'))}, pong s ${range(errors('pong'))}`,
      );
      await player.close();
    });
  });

  it('renders a remote player moving east at constant velocity without ever stepping back, 200 ± 30 ms behind', async () => {
    // NetClient keeps the snapshot buffer and render clock itself: every snapshot's world goes into
    // the buffer, and each update() (every frame) advances the render tick once its clock is synced.
    const observer = await join('observer', { link: { latencyMs: 200, jitterMs: 30, seed: 21 } });
    const net = observer.client;
    const renderClock = net.renderClock!;
    let moverId = -1;
    const rendered: {
      atMs: number;
      renderTick: number;
      x: number | undefined;
      y: number | undefined;
      extrapolating: boolean;
    }[] = [];
    let nextRenderMs = 0;
    const observerStart = await loop.until(() => true, 'a frame', EVENT_TIMEOUT_MS);
    // Drawn at RENDER_FPS: the mover sampled at the render tick of the latest update().
    loop.add((nowMs) => {
      observer.frame(nowMs);
      const renderTick = net.renderTick;
      if (nowMs < nextRenderMs || renderTick === undefined) return;
      nextRenderMs = Math.max(nextRenderMs + 1000 / RENDER_FPS, nowMs);
      const sampled = net.buffer!.sample(moverId, renderTick);
      rendered.push({
        atMs: nowMs,
        renderTick,
        x: sampled?.x,
        y: sampled?.y,
        extrapolating: renderClock.extrapolatingMs > 0,
      });
    });

    // The mover: a plain link, placed well west of the east wall (3 s east is ~9600 quanta).
    const mover = await join('mover');
    moverId = mover.playerId;
    loop.add((nowMs) => mover.frame(nowMs));
    const spawn = mover.snapshots.last!.world[moverId]!;
    mover.client.connection.requestNudge(MOVER_START_X - spawn.x, 0);
    const placed = await observer.snapshots.find(
      'the mover placed',
      EVENT_TIMEOUT_MS,
      (a) => a.world[moverId]?.x === MOVER_START_X,
    );
    const y0 = placed.world[moverId]!.y;
    // Warmed up: the render tick has reached the mover's new place, and the observer has had its clock
    // and render clock running for OBSERVER_WARMUP_MS (some 20 pongs, 60 snapshots).
    await loop.until(
      (nowMs) => (net.renderTick ?? 0) >= placed.snapshot.tick && nowMs >= observerStart + OBSERVER_WARMUP_MS,
      'the observer warmed up',
      EVENT_TIMEOUT_MS,
    );
    const from = rendered.length;
    mover.input = { moveX: 1, moveY: 0 };
    const moveStart = loop.nowMs;
    await loop.reach(moveStart + MOVE_MS, 'the end of the move');
    // Stop looking before the mover stops: every rendered frame is of a mover at constant velocity.
    const path = rendered.slice(from);
    mover.input = IDLE;

    expect(path.length).toBeGreaterThan((MOVE_MS / 1000) * RENDER_FPS * 0.5);
    expect(path.every((frame) => frame.x !== undefined && frame.y === y0)).toBe(true);
    const backSteps = path.filter((frame, i) => i > 0 && frame.x! < path[i - 1]!.x!);
    expect(backSteps, 'frames drawn west of the frame before').toEqual([]);
    for (let i = 1; i < path.length; i++) expect(path[i]!.renderTick).toBeGreaterThanOrEqual(path[i - 1]!.renderTick);
    // And it did follow the mover: the last frame is at least where the mover was in a snapshot the
    // observer had a full second before it (the render clock lags by transit + at most maxDelayMs 300 ms).
    const last = path.at(-1)!;
    const secondBefore = observer.snapshots.items.filter((a) => a.atMs <= last.atMs - 1000).at(-1)!;
    expect(secondBefore.world[moverId]!.x).toBeGreaterThan(MOVER_START_X);
    expect(last.x!).toBeGreaterThanOrEqual(secondBefore.world[moverId]!.x);
    expect(observer.protocolErrors).toEqual([]);
    console.info(
      `netcode (d): ${path.length} frames, x ${path[0]!.x!.toFixed(1)} → ${last.x!.toFixed(1)}, ` +
        `interpolation delay ${renderClock.delayMs.toFixed(1)} ms (target ${renderClock.targetDelayMs.toFixed(1)}), ` +
        `lag behind the server clock ${renderClock.lagMs.toFixed(1)} ms, arrival jitter ${renderClock.jitterMs.toFixed(1)} ms, ` +
        `frames extrapolating ${path.filter((frame) => frame.extrapolating).length}, ` +
        `clock roundTripMs ${observer.clock.roundTripMs.toFixed(1)}`,
    );
  });
});
