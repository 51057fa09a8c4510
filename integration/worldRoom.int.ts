// Integration: a world room made through POST /matchmake with its own viewRadius, against the compiled
// server: the refusals of a radius it may not have, GET /rooms listing the radius, and a bot (the bot
// CLI, predicting in the open square) that joins it and moves, watched by a raw test client whose
// decoder takes the world's wide positions.
import { WORLD_MAP_HASH, WORLD_RULES } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRooms, matchmake } from '../client/src/net/matchmake.js';
import { withTimeout } from './support/events.js';
import { startScript } from './support/scriptProcess.js';
import { joinSeat, type Ticket } from './support/seats.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';
import { TestClient } from './support/testClient.js';

const VIEW_RADIUS = 2500;
const MAX_VIEW_RADIUS = 3000;
/** The bot's run; it stops by itself after this. */
const BOT_SECONDS = 4;
/** Start-up, the run and the close grace; past this the bot process is killed. @default 30 000 ms */
const RUN_TIMEOUT_MS = 30_000;

describe('a world room with its own viewRadius', () => {
  let server: ServerProcess;
  let ticket: Ticket;
  let observer: TestClient | undefined;

  beforeAll(async () => {
    server = await startServer(['--max-view-radius', String(MAX_VIEW_RADIUS)]);
    ticket = await joinSeat(server.url, { mode: 'create', scenario: 'world', maxPlayers: 4, viewRadius: VIEW_RADIUS });
  });

  afterAll(async () => {
    await observer?.close().catch(() => {});
    await server?.stop();
  });

  it('refuses a radius above --max-view-radius, and 0 (the whole world), with 400 bad-request', async () => {
    for (const viewRadius of [MAX_VIEW_RADIUS + 1, 0, -5, 12.5]) {
      const answer = await matchmake(server.url, { mode: 'create', scenario: 'world', viewRadius });
      expect(answer, `viewRadius ${viewRadius}`).toMatchObject({ ok: false, status: 400, error: 'bad-request' });
    }
  });

  it('is listed by GET /rooms with its scenario and viewRadius', async () => {
    const { rooms } = await listRooms(server.url);
    expect(rooms.find((room) => room.id === ticket.roomId)).toMatchObject({
      scenario: 'world',
      maxPlayers: 4,
      viewRadius: VIEW_RADIUS,
    });
  });

  it('takes a bot that joins and moves; the observer decodes every frame and holds only what is within its view', async () => {
    observer = await TestClient.join(ticket, 'observer');
    expect(observer.welcome).toMatchObject({
      mapHash: WORLD_MAP_HASH,
      worldWidth: WORLD_RULES.width,
      worldHeight: WORLD_RULES.height,
    });
    const own = observer.welcome!.playerId;
    const scale = observer.welcome!.positionScale;
    const bot = startScript('client/src/bot/main.ts', [
      '--url',
      server.url,
      '--room',
      ticket.roomId,
      '--scenario',
      'world',
      '--count',
      '1',
      '--seconds',
      String(BOT_SECONDS),
      '--json',
    ]);
    try {
      const { code } = await withTimeout(bot.exited, RUN_TIMEOUT_MS, 'the bot process to exit');
      const summary = JSON.parse(bot.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect({ code, stderr: bot.stderr }).toMatchObject({ code: 0 });
      expect(summary).toMatchObject({ type: 'summary', joins: 1, disconnects: 0, protocolErrors: 0, rooms: 1 });
      expect(summary.inputsSent).toBeGreaterThan(0);
      expect(observer.undecodable).toEqual([]);
      // Interest management on the wire: every entity it held was within the radius and its margin
      // (10 %) of its own player, in every snapshot of the run.
      expect(observer.snapshots.items.length).toBeGreaterThan(BOT_SECONDS * 10);
      for (const { world } of observer.snapshots.items) {
        const self = world[own];
        if (self === undefined) continue;
        for (const entity of Object.values(world)) {
          const distance = Math.hypot(entity.x - self.x, entity.y - self.y) / scale;
          expect(distance).toBeLessThanOrEqual(VIEW_RADIUS * 1.1);
        }
      }
    } finally {
      bot.child.kill('SIGKILL');
    }
  });
});
