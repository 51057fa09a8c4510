// The one game scene: draws the world and every player, follows the local player, and sends one
// input per server tick. create() runs once; update() runs once per rendered frame.
import { fromAngleQ } from '@tickwire/protocol';
import Phaser from 'phaser';
import playerUrl from '../../../../assets/sprites/player.png';
import playerSelfUrl from '../../../../assets/sprites/player-self.png';
import type { GameSession } from '../gameSession.js';
import { InputClock } from '../input/inputClock.js';
import { createMovementKeys, type MovementKeys } from '../input/movementKeys.js';
import { placeBetween } from '../render/snapshotLerp.js';

const GRID_STEP = 128;

export class ArenaScene extends Phaser.Scene {
  private readonly sprites = new Map<number, Phaser.GameObjects.Image>();
  private keys: MovementKeys | undefined;
  private inputClock: InputClock | undefined;
  private hud: Phaser.GameObjects.Text | undefined;
  private hudText = '';
  private worldDrawn = false;

  constructor(private readonly session: GameSession) {
    super('arena');
  }

  preload(): void {
    this.load.image('player', playerUrl);
    this.load.image('player-self', playerSelfUrl);
  }

  create(): void {
    this.keys = createMovementKeys(this.input.keyboard!);
    this.hud = this.add
      .text(12, 10, '', { fontFamily: 'monospace', fontSize: '14px', color: '#d8e1f0', backgroundColor: '#10141ccc' })
      .setScrollFactor(0)
      .setDepth(10);
    this.cameras.main.setBackgroundColor('#161c28');
  }

  override update(time: number): void {
    const session = this.session;
    const welcome = session.welcome;
    if (welcome !== undefined && !this.worldDrawn) this.drawWorld(welcome.worldWidth, welcome.worldHeight);
    if (welcome !== undefined && session.state === 'playing') this.sendInputs(time, welcome.tickRate);
    if (session.latest !== undefined) this.drawPlayers(time);
    this.updateHud();
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

  private sendInputs(time: number, tickRate: number): void {
    this.inputClock ??= new InputClock(1000 / tickRate);
    const due = this.inputClock.due(time);
    if (due === 0) return;
    const { moveX, moveY } = this.keys!.direction();
    for (let i = 0; i < due; i++) this.session.connection.sendInput(moveX, moveY);
  }

  private drawPlayers(time: number): void {
    const { latest, previous, welcome } = this.session;
    const alpha = this.session.alpha(time);
    const seen = new Set<number>();
    for (let row = 0; row < latest!.count; row++) {
      const id = latest!.ids[row]!;
      const place = placeBetween(previous, latest!, id, alpha);
      if (place === undefined) continue;
      seen.add(id);
      let sprite = this.sprites.get(id);
      if (sprite === undefined) {
        const self = id === welcome?.playerId;
        sprite = this.add.image(place.x, place.y, self ? 'player-self' : 'player').setDepth(self ? 2 : 1);
        if (self) this.cameras.main.startFollow(sprite, true, 0.2, 0.2);
        this.sprites.set(id, sprite);
      }
      sprite.setPosition(place.x, place.y).setRotation(fromAngleQ(latest!.entity(id)!.angle));
    }
    for (const [id, sprite] of this.sprites) {
      if (!seen.has(id)) {
        sprite.destroy();
        this.sprites.delete(id);
      }
    }
  }

  private updateHud(): void {
    const session = this.session;
    const lines = [
      session.closedBecause !== undefined ? `disconnected: ${session.closedBecause}` : `connection: ${session.state}`,
      `players: ${session.latest?.count ?? 0}   tick: ${session.latest?.tick ?? 0}`,
      'move: WASD or arrow keys',
    ];
    const text = lines.join('\n');
    // setText redraws and re-uploads a texture: only when the text changes.
    if (text !== this.hudText) {
      this.hud!.setText(text);
      this.hudText = text;
    }
  }

  /** Plain data for the browser test hook. */
  snapshotForTests(): { id: number; x: number; y: number }[] {
    return [...this.sprites].map(([id, sprite]) => ({ id, x: sprite.x, y: sprite.y }));
  }
}
