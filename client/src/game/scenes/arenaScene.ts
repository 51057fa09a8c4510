// The one game scene: draws the world, the local player where prediction puts it and everyone else
// where interpolation does, follows the local player, and sends inputs when the pacer asks.
// create() runs once; update() runs once per rendered frame, with Phaser's `time`: the
// performance.now clock the net code stamps its events with.
import { fromAngleQ } from '@tickwire/protocol';
import Phaser from 'phaser';
import playerUrl from '../../../../assets/sprites/player.png';
import playerSelfUrl from '../../../../assets/sprites/player-self.png';
import type { SampledEntity } from '../../net/interpolation.js';
import type { GameSession } from '../gameSession.js';
import { createMovementKeys, type MovementKeys } from '../input/movementKeys.js';
import { netGraphText } from '../render/netGraph.js';

const GRID_STEP = 128;

export class ArenaScene extends Phaser.Scene {
  private readonly sprites = new Map<number, Phaser.GameObjects.Image>();
  /** Reused by every interpolation sample of a frame. */
  private readonly sample: SampledEntity = { x: 0, y: 0, angle: 0 };
  private keys: MovementKeys | undefined;
  private hud: Phaser.GameObjects.Text | undefined;
  private hudText = '';
  private graph: Phaser.GameObjects.Text | undefined;
  private graphText = '';
  private worldDrawn = false;

  constructor(private readonly session: GameSession) {
    super('arena');
  }

  preload(): void {
    this.load.image('player', playerUrl);
    this.load.image('player-self', playerSelfUrl);
  }

  create(): void {
    const keyboard = this.input.keyboard!;
    this.keys = createMovementKeys(keyboard);
    const style = { fontFamily: 'monospace', fontSize: '14px', color: '#d8e1f0', backgroundColor: '#10141ccc' };
    this.hud = this.add.text(12, 10, '', style).setScrollFactor(0).setDepth(10);
    this.graph = this.add.text(12, 80, '', style).setScrollFactor(0).setDepth(10).setVisible(false);
    keyboard.addKey('F3');
    keyboard.on('keydown-F3', () => this.graph!.setVisible(!this.graph!.visible));
    this.cameras.main.setBackgroundColor('#161c28');
  }

  override update(time: number): void {
    const session = this.session;
    const net = session.net;
    const welcome = session.welcome;
    if (welcome !== undefined && !this.worldDrawn) this.drawWorld(welcome.worldWidth, welcome.worldHeight);
    const due = net.update(time);
    if (due > 0) {
      const direction = this.keys!.direction();
      for (let i = 0; i < due; i++) net.sendInput(direction, 0, net.inputTick(time));
    }
    session.traffic.update(time, net.connection.stats);
    if (welcome !== undefined) this.drawPlayers(time, welcome.positionScale);
    this.updateText();
  }

  private drawWorld(width: number, height: number): void {
    const grid = this.add.graphics();
    grid.lineStyle(1, 0x263044, 1);
    for (let x = 0; x <= width; x += GRID_STEP) grid.lineBetween(x, 0, x, height);
    for (let y = 0; y <= height; y += GRID_STEP) grid.lineBetween(0, y, width, y);
    grid.lineStyle(3, 0x5b6b8c, 1).strokeRect(0, 0, width, height);
    this.cameras.main.setBounds(-200, -200, width + 400, height + 400);
    this.worldDrawn = true;
  }

  /** The local player from prediction, everyone else from the snapshot buffer at the render tick. */
  private drawPlayers(time: number, positionScale: number): void {
    const net = this.session.net;
    const seen = new Set<number>();
    const selfId = net.playerId;
    const self = net.prediction?.renderPosition(time);
    if (self !== undefined && net.predicted !== undefined) {
      seen.add(selfId);
      this.place(selfId, self.x / positionScale, self.y / positionScale, fromAngleQ(net.predicted.angle), true);
    }
    const renderTick = net.renderTick;
    if (net.buffer !== undefined && renderTick !== undefined) {
      for (const id of net.buffer.idsAt(renderTick)) {
        if (id === selfId) continue;
        const at = net.buffer.sample(id, renderTick, this.sample);
        if (at === undefined) continue;
        seen.add(id);
        this.place(id, at.x / positionScale, at.y / positionScale, fromAngleQ(at.angle), false);
      }
    }
    for (const [id, sprite] of this.sprites) {
      if (!seen.has(id)) {
        sprite.destroy();
        this.sprites.delete(id);
      }
    }
  }

  private place(id: number, x: number, y: number, angle: number, self: boolean): void {
    let sprite = this.sprites.get(id);
    if (sprite === undefined) {
      sprite = this.add.image(x, y, self ? 'player-self' : 'player').setDepth(self ? 2 : 1);
      if (self) this.cameras.main.startFollow(sprite, true, 0.2, 0.2);
      this.sprites.set(id, sprite);
    }
    sprite.setPosition(x, y).setRotation(angle);
  }

  private updateText(): void {
    const session = this.session;
    const text = [
      session.closedBecause !== undefined ? `disconnected: ${session.closedBecause}` : `connection: ${session.state}`,
      `players: ${session.playerCount}   tick: ${session.tick}`,
      'move: WASD or arrow keys   net graph: F3',
    ].join('\n');
    // setText redraws and re-uploads a texture: only when the text changes.
    if (text !== this.hudText) {
      this.hud!.setText(text);
      this.hudText = text;
    }
    if (this.graph!.visible) {
      const graph = netGraphText(session);
      if (graph !== this.graphText) {
        this.graph!.setText(graph);
        this.graphText = graph;
      }
    }
  }

  /** Plain data for the browser test hook. */
  snapshotForTests(): { id: number; x: number; y: number }[] {
    return [...this.sprites].map(([id, sprite]) => ({ id, x: sprite.x, y: sprite.y }));
  }

  /** Whether F3 has the net graph on screen, for the browser test hook. */
  get netGraphShown(): boolean {
    return this.graph?.visible ?? false;
  }
}
