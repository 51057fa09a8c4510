// The process lifecycle on a real server in this process with real sockets, through RunningServer's
// drain API: draining refuses seats, calls its onDraining hooks (a failing one is counted, not
// fatal) and reports itself in /healthz; it stops when its rooms are empty, at its deadline (1001),
// or at once on stop().
import {
  ClientMessageId,
  CloseCode,
  decodeServerFrame,
  encodeClientMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  ServerMessageId,
} from '@tickwire/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defaultConfig } from '../src/config.js';
import { type RunningServer, startGameServer } from '../src/gameServer.js';
import { silentLogger } from '../src/log.js';

interface Player {
  ws: WebSocket;
  snapshots: number;
  closed: number | undefined;
}

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(drainDeadlineMs: number): Promise<RunningServer> {
  server = await startGameServer({ ...defaultConfig(), port: 0, scenario: 'arena', drainDeadlineMs }, silentLogger);
  return server;
}

/** Resolve once `condition` holds, polling every 10 ms; fail after 5 s (a drain's check runs once a second). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not reached in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A seated player in a new room, once it has its first snapshot. */
async function playerIn(running: RunningServer): Promise<Player> {
  const answer = await running.matchmaker.matchmake({ mode: 'create', scenario: 'arena' }, undefined, Date.now());
  if (!answer.ok) throw new Error(`matchmake: ${answer.error}`);
  const ws = new WebSocket(`${running.wsUrl}/${answer.roomId}`);
  const player: Player = { ws, snapshots: 0, closed: undefined };
  ws.binaryType = 'nodebuffer';
  ws.on('open', () =>
    ws.send(
      encodeClientMessage({
        id: ClientMessageId.HELLO,
        protocolVersion: PROTOCOL_VERSION,
        name: 'p',
        seat: answer.seat,
      }),
    ),
  );
  ws.on('error', () => {});
  const held = newSnapshotHeaderState();
  ws.on('message', (data: Buffer) => {
    const decoded = decodeServerFrame(data, held);
    if (decoded.ok && decoded.message.id === ServerMessageId.SNAPSHOT) player.snapshots++;
  });
  ws.on('close', (code) => {
    player.closed = code;
  });
  await until(() => player.snapshots > 0);
  return player;
}

describe('process lifecycle through RunningServer', () => {
  it('running: a started server is running and not draining', async () => {
    const running = await start(60_000);
    expect(running.state).toBe('running');
    expect(running.draining).toBe(false);
    expect(running.health()).toMatchObject({ draining: false });
    expect(running.health().drainDeadline).toBeUndefined();
  });

  it('draining: refuses seats, calls each onDraining hook with its deadline, says so in /healthz, plays on', async () => {
    const running = await start(60_000);
    const player = await playerIn(running);
    const deadlines: number[] = [];
    running.onDraining(() => {
      throw new Error('a hook that fails');
    });
    running.onDraining(({ deadlineAt }) => {
      deadlines.push(deadlineAt);
    });
    const before = Date.now();
    const drained = running.drain();
    const after = Date.now();

    expect(running.state).toBe('draining');
    expect(running.draining).toBe(true);
    await until(() => deadlines.length === 1);
    expect(deadlines[0]).toBeGreaterThanOrEqual(before + 60_000 - 1);
    expect(deadlines[0]).toBeLessThanOrEqual(after + 60_000 + 1);
    expect(running.health()).toMatchObject({ draining: true, drainDeadline: deadlines[0] });
    // The failing hook is a fault counted, not the end of the drain.
    expect(running.faults.counts.timer).toBe(1);
    const refused = await running.matchmaker.matchmake({ mode: 'joinOrCreate' }, undefined, Date.now());
    expect(refused).toMatchObject({ ok: false, error: 'draining' });
    const seen = player.snapshots;
    await until(() => player.snapshots > seen + 10);

    player.ws.close(1000);
    await drained;
    expect(running.state).toBe('stopped');
    expect(deadlines).toHaveLength(1);
  });

  it('draining → stopped (deadline): a deadline of 0 closes the players with 1001 at once', async () => {
    const running = await start(0);
    const player = await playerIn(running);
    await running.drain();
    expect(running.state).toBe('stopped');
    await until(() => player.closed !== undefined);
    expect(player.closed).toBe(CloseCode.SERVER_SHUTDOWN);
  });

  it('draining → stopped (stop): stop() ends a drain at once, and drain() resolves with it', async () => {
    const running = await start(60_000);
    const player = await playerIn(running);
    const drained = running.drain();
    await running.stop();
    await drained;
    expect(running.state).toBe('stopped');
    await until(() => player.closed !== undefined);
    expect(player.closed).toBe(CloseCode.SERVER_SHUTDOWN);
    // Stopped is final: another drain changes nothing and resolves at once.
    await running.drain();
    expect(running.state).toBe('stopped');
  });
});
