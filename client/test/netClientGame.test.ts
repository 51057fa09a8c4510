// NetClient's game API over a fake socket: inputs carry the aim (wrapped) and the render tick as
// viewTick, chat lines go out cut to the limit, the roster and chat come in through their callbacks,
// shots and kills are handed on once each in tick order, and a dead player is held still.
import {
  ANGLE_STEPS,
  Button,
  ClientMessageId,
  GAME_MAP_HASH,
  type KillEvent,
  MAX_CHAT_LENGTH,
  ServerMessageId,
  type ShotEvent,
  type SnapshotMessage,
  toAngleQ,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { EventFeed } from '../src/net/gameEvents.js';
import { NetClient, type NetClientOptions, wrapAngle } from '../src/net/netClient.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, playerTuple, welcomeMessage } from './support/messages.js';

const player = playerTuple;

/** A client of player 1 that has had WELCOME (of `mapHash`) and a first full snapshot holding it. */
function joined(options: Partial<NetClientOptions> = {}, mapHash?: number) {
  const socket = new FakeSocket();
  const client = new NetClient({ socket, name: 'me', seat: '', now: () => 0, pace: false, ...options });
  socket.deliver(welcomeMessage(mapHash === undefined ? {} : { mapHash }));
  socket.deliver({ ...emptySnapshot(10), created: [player(1)] });
  return { socket, client };
}

function delta(tick: number, baseAge: number, fields: Partial<SnapshotMessage> = {}): SnapshotMessage {
  return { ...emptySnapshot(tick), baseAge, ...fields };
}

const shot = (tick: number, hitId = 0): ShotEvent => ({
  tick,
  shooterId: 2,
  weapon: 0,
  x0: 100,
  y0: 100,
  x1: 900,
  y1: 100,
  hitId,
});
const kill = (tick: number): KillEvent => ({ tick, killerId: 2, victimId: 3, weapon: 0 });

describe('NetClient.sendInput', () => {
  it('sends the aim, the buttons and, as viewTick, the render tick others are drawn at', () => {
    const { socket, client } = joined();
    client.renderTick = 8.25;
    client.sendInput({ moveX: 1, moveY: 0, aimAngle: 1.25 }, Button.PRIMARY | Button.SECONDARY, 12);
    expect(socket.last(ClientMessageId.INPUT)).toMatchObject({
      moveX: 1,
      moveY: 0,
      buttons: 3,
      tick: 12,
      aimAngle: 1.25,
      viewTick: 8.25,
    });
  });

  it('sends viewTick 0 before the render clock runs, and aim 0 when none is given', () => {
    const { socket, client } = joined();
    expect(client.renderTick).toBeUndefined();
    client.sendInput({ moveX: 0, moveY: 1 });
    expect(socket.last(ClientMessageId.INPUT)).toMatchObject({ buttons: 0, aimAngle: 0, viewTick: 0 });
  });

  it('wraps any aim into [-π, π] (the wire range), the same direction', () => {
    const { socket, client } = joined();
    client.sendInput({ moveX: 0, moveY: 0, aimAngle: 2 * Math.PI + 0.5 });
    expect(socket.last(ClientMessageId.INPUT).aimAngle).toBeCloseTo(0.5, 12);
    client.sendInput({ moveX: 0, moveY: 0, aimAngle: -3.5 });
    expect(socket.last(ClientMessageId.INPUT).aimAngle).toBeCloseTo(2 * Math.PI - 3.5, 12);
    expect(wrapAngle(Math.PI)).toBe(Math.PI);
    expect(wrapAngle(-Math.PI)).toBe(-Math.PI);
    expect(Math.abs(wrapAngle(3 * Math.PI))).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(Number.NaN)).toBe(0);
  });

  it('predicts with the aim it sent: in the game the player faces it', () => {
    const socket = new FakeSocket();
    const client = new NetClient({ socket, name: 'me', seat: '', now: () => 0, pace: false });
    socket.deliver(welcomeMessage({ mapHash: GAME_MAP_HASH, worldWidth: 1536, worldHeight: 1024 }));
    socket.deliver({ ...emptySnapshot(10), created: [player(1, { x: 400 * 16, y: 300 * 16 })] });
    client.sendInput({ moveX: 0, moveY: 0, aimAngle: -2 });
    expect(client.predicted!.angle).toBe(toAngleQ(-2));
    expect(client.predicted!.angle).toBeLessThan(ANGLE_STEPS);
  });
});

describe('NetClient.sendChat', () => {
  it('sends CHAT [6, text], cut to the limit without splitting a character', () => {
    const { socket, client } = joined();
    expect(client.sendChat('gg')).toBe(true);
    expect(socket.last(ClientMessageId.CHAT)).toEqual({ id: ClientMessageId.CHAT, text: 'gg' });
    client.sendChat('x'.repeat(MAX_CHAT_LENGTH + 10));
    expect(socket.last(ClientMessageId.CHAT).text).toHaveLength(MAX_CHAT_LENGTH);
    client.sendChat(`${'x'.repeat(MAX_CHAT_LENGTH - 1)}🙂`);
    expect(socket.last(ClientMessageId.CHAT).text).toBe('x'.repeat(MAX_CHAT_LENGTH - 1));
    expect(client.sendChat('')).toBe(false);
  });

  it('sends nothing before WELCOME', () => {
    const socket = new FakeSocket();
    const client = new NetClient({ socket, name: 'me', seat: '', now: () => 0 });
    expect(client.sendChat('hi')).toBe(false);
    expect(socket.sent.map((m) => m.id)).toEqual([ClientMessageId.HELLO]);
  });
});

describe('NetClient roster and chat', () => {
  it('holds the whole PLAYERS list once its last page arrives, then applies each ROSTER_CHANGES', () => {
    const rosters: unknown[] = [];
    const { socket, client } = joined({ onPlayers: (roster) => rosters.push([...roster.keys()]) });
    expect(client.players.size).toBe(0);
    const page = (
      n: number,
      players: { id: number; name: string; kills: number; deaths: number; reconnecting: number }[],
    ) => socket.deliver({ id: ServerMessageId.PLAYERS, version: 7, page: n, pages: 2, players });
    page(0, [{ id: 1, name: 'me', kills: 2, deaths: 1, reconnecting: 0 }]);
    expect(client.players.size).toBe(0);
    page(1, [{ id: 4, name: 'ann', kills: 0, deaths: 3, reconnecting: 0 }]);
    expect(client.players.get(4)).toEqual({ name: 'ann', kills: 0, deaths: 3, reconnecting: false });
    expect(client.rosterVersion).toBe(7);
    socket.deliver({
      id: ServerMessageId.ROSTER_CHANGES,
      version: 8,
      joined: [{ id: 5, name: 'bob', kills: 0, deaths: 0, reconnecting: 0 }],
      left: [4],
      renamed: [],
      scores: [{ id: 1, kills: 3, deaths: 1 }],
    });
    expect(client.players.get(1)!.kills).toBe(3);
    expect(rosters).toEqual([
      [1, 4],
      [1, 5],
    ]);
    expect(socket.closedWith).toBeUndefined();
  });

  it('closes with 1002 when a ROSTER_CHANGES does not follow the version it holds', () => {
    const errors: string[] = [];
    const { socket, client } = joined({ onProtocolError: (reason) => errors.push(reason) });
    socket.deliver({ id: ServerMessageId.PLAYERS, version: 3, page: 0, pages: 1, players: [] });
    socket.deliver({ id: ServerMessageId.ROSTER_CHANGES, version: 5, joined: [], left: [], renamed: [], scores: [] });
    expect(errors).toEqual(['ROSTER_CHANGES 5 does not follow version 3']);
    expect(socket.closedWith).toBe(1002);
    expect(client.rosterVersion).toBe(3);
  });

  it('hands each server CHAT to onChat as { fromId, text }', () => {
    const lines: { fromId: number; text: string }[] = [];
    const { socket } = joined({ onChat: (chat) => lines.push(chat) });
    socket.deliver({ id: ServerMessageId.CHAT, fromId: 4, text: '<i>hi</i>' });
    socket.deliver({ id: ServerMessageId.CHAT, fromId: 0, text: 'slow down' });
    expect(lines).toEqual([
      { fromId: 4, text: '<i>hi</i>' },
      { fromId: 0, text: 'slow down' },
    ]);
  });
});

describe('NetClient shots and kills', () => {
  it('hands on every event once, in tick order, a tick’s shots before its kills', () => {
    const seen: string[] = [];
    const { socket } = joined({
      onShot: (s) => seen.push(`shot ${s.tick} ${s.hitId}`),
      onKill: (k) => seen.push(`kill ${k.tick}`),
    });
    socket.deliver(delta(13, 3, { shots: [shot(11), shot(12, 3)], kills: [kill(12)] }));
    socket.deliver(delta(14, 1, { shots: [shot(14)] }));
    expect(seen).toEqual(['shot 11 0', 'shot 12 3', 'kill 12', 'shot 14 0']);
  });

  it('closes on an event outside (baseline, tick], as a protocol error', () => {
    const errors: string[] = [];
    const { socket } = joined({ onProtocolError: (reason) => errors.push(reason) });
    socket.deliver(delta(11, 1, { shots: [shot(10)] }));
    expect(errors[0]).toContain('shots[0] of tick 10 is outside (10, 11]');
    expect(socket.closedWith).toBe(1002);
  });
});

describe('EventFeed', () => {
  it('never hands on an event of a tick already delivered', () => {
    const feed = new EventFeed();
    const ticks: number[] = [];
    const handlers = { onShot: (s: ShotEvent) => ticks.push(s.tick), onKill: (k: KillEvent) => ticks.push(-k.tick) };
    feed.deliver({ tick: 5, shots: [shot(4), shot(5)], kills: [kill(5)] }, handlers, 0);
    feed.deliver({ tick: 6, shots: [shot(5), shot(6)], kills: [kill(4)] }, handlers, 0);
    expect(ticks).toEqual([4, 5, -5, 6]);
    expect(feed.deliveredTick).toBe(6);
  });
});

describe('NetClient prediction of a dead player', () => {
  it('holds the player still while its hp is 0, and moves it again once it is back', () => {
    const { socket, client } = joined();
    socket.deliver(delta(11, 1, { changed: [1, 1 << 5, 0] })); // hp 0: dead
    client.sendInput({ moveX: 1, moveY: 0 });
    client.sendInput({ moveX: 1, moveY: 0 });
    expect(client.predicted).toMatchObject({ x: 16000, vx: 0 });
    expect(client.prediction!.stats.mispredictions).toBe(0);
    socket.deliver(delta(12, 1, { lastInputSeq: 1 }));
    expect(client.predicted).toMatchObject({ x: 16000 });
    expect(client.prediction!.stats.mispredictions).toBe(0);
    // Respawned: hp 100 at a new place; inputs move it again.
    socket.deliver(delta(13, 1, { lastInputSeq: 2, changed: [1, (1 << 2) | (1 << 5), 20000, 100] }));
    client.sendInput({ moveX: 1, moveY: 0 });
    expect(client.predicted!.x).toBeGreaterThan(20000);
  });
});
