// The game: the map, the local player where prediction puts it, everyone else and every projectile
// where interpolation does, names above players, tracers, hit sparks and death markers; samples the
// keyboard and mouse into inputs when the pacer asks. create() runs once per join; update() once per
// rendered frame, with Phaser's `time`: the performance.now clock the net code stamps events with.
import { EntityKind, fromAngleQ, type ShotEvent, START_HP, Weapon } from '@tickwire/protocol';
import Phaser from 'phaser';
import type { SampledEntity } from '../../net/interpolation.js';
import type { GameApp } from '../app.js';
import type { GameSession } from '../gameSession.js';
import { createMovementKeys, type MovementKeys } from '../input/movementKeys.js';
import { aimAngle, fireButtons } from '../model/aim.js';
import { HealthTracker } from '../model/healthTracker.js';
import { displayName } from '../model/roster.js';
import { healthColour } from '../render/healthColour.js';
import type { PlayerForTests } from '../testHookTypes.js';
import { drawWorld, type WorldView } from './world.js';

/** How long a tracer and a hit spark stay on screen, ms. */
const TRACER_MS = 240;
const SPARK_MS = 220;
/** How long a hit player flashes white, ms. */
const FLASH_MS = 110;
/** Name label offset above a player's centre, world units. */
const LABEL_OFFSET = 26;
/** The edge of the view (WELCOME viewRadius): a faint line, so it tells without drawing the eye. */
const VIEW_EDGE_COLOUR = 0x8fa3c7;
const VIEW_EDGE_ALPHA = 0.25;

interface PlayerView {
  sprite: Phaser.GameObjects.Image;
  label: Phaser.GameObjects.Text;
  name: string;
  /** The death marker while the player is dead. */
  marker: Phaser.GameObjects.Image | undefined;
  flashUntil: number;
  hp: number;
  /** The life of the id this view shows (SampledEntity.lifeTick; 0 for this player). */
  life: number;
}

interface ProjectileView {
  sprite: Phaser.GameObjects.Image;
  life: number;
}

export class GameScene extends Phaser.Scene {
  private session!: GameSession;
  private readonly players = new Map<number, PlayerView>();
  private readonly projectiles = new Map<number, ProjectileView>();
  private health = new HealthTracker();
  /** Reused by every interpolation sample of a frame. */
  private readonly sample: SampledEntity = { x: 0, y: 0, angle: 0, kind: 0, hp: 0 };
  private readonly seen = new Set<number>();
  private keys: MovementKeys | undefined;
  private bars!: Phaser.GameObjects.Graphics;
  private world: WorldView | undefined;
  /** The circle beyond which others are not sent (interest management); none when the room sends everything. */
  private viewEdge: Phaser.GameObjects.Arc | undefined;
  private aim = 0;
  /** Counters for the browser test hook. */
  readonly counts = { tracers: 0, hits: 0, ownHits: 0, deaths: 0, projectiles: 0 };

  constructor(private readonly app: GameApp) {
    super('game');
  }

  create(): void {
    this.session = this.app.session!;
    this.players.clear();
    this.projectiles.clear();
    // Ids are reused across joins: a new session starts with no remembered health.
    this.health = new HealthTracker();
    this.world = undefined;
    this.viewEdge = undefined;
    for (const key of Object.keys(this.counts) as (keyof typeof this.counts)[]) this.counts[key] = 0;
    this.keys = createMovementKeys(this.input.keyboard!);
    this.input.setDefaultCursor('crosshair');
    this.bars = this.add.graphics().setDepth(5);
    this.cameras.main.setBackgroundColor('#10141c');
    this.scene.launch('hud');
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.scene.stop('hud');
      this.input.setDefaultCursor('default');
      // Captures outlive the scene: without this, the join form could not receive WASD.
      this.input.keyboard?.clearCaptures();
    });
  }

  override update(time: number): void {
    const session = this.session;
    const net = session.net;
    // The connection ended (the app has gone back to the lobby, with the reason).
    if (this.app.screen.kind !== 'playing') {
      this.scene.start('join');
      return;
    }
    const welcome = session.welcome;
    if (welcome !== undefined && this.world === undefined) this.world = drawWorld(this, welcome);
    const due = net.update(time);
    const self = this.players.get(net.playerId);
    if (self !== undefined) {
      const pointer = this.input.activePointer;
      const target = this.cameras.main.getWorldPoint(pointer.x, pointer.y);
      this.aim = aimAngle(self.sprite.x, self.sprite.y, target.x, target.y, this.aim);
    }
    if (due > 0) {
      const pointer = this.input.activePointer;
      const buttons = fireButtons(pointer.leftButtonDown(), pointer.rightButtonDown());
      const move = this.keys!.direction();
      for (let i = 0; i < due; i++) net.sendInput({ ...move, aimAngle: this.aim }, buttons, net.inputTick(time));
    }
    session.traffic.update(time, net.connection.stats);
    if (welcome !== undefined) {
      this.drawEntities(time, welcome.positionScale);
      this.drawViewEdge(welcome.viewRadius);
      this.drawEvents(time, welcome.positionScale);
    }
  }

  /** The local player from prediction, everyone else from the snapshot buffer at the render tick. */
  private drawEntities(time: number, scale: number): void {
    const net = this.session.net;
    const seen = this.seen;
    seen.clear();
    const selfId = net.playerId;
    const world = net.connection.world;
    const self = net.prediction?.renderPosition(time);
    if (self !== undefined && net.predicted !== undefined) {
      seen.add(selfId);
      const hp = world.entity(selfId)?.hp ?? 0;
      this.placePlayer(time, selfId, self.x / scale, self.y / scale, fromAngleQ(net.predicted.angle), hp, 0);
    }
    const renderTick = net.renderTick;
    if (net.buffer !== undefined && renderTick !== undefined) {
      for (const id of net.buffer.idsAt(renderTick)) {
        if (id === selfId) continue;
        const at = net.buffer.sample(id, renderTick, this.sample);
        if (at === undefined) continue;
        seen.add(id);
        const x = at.x / scale;
        const y = at.y / scale;
        // Kind and health as of the snapshot at the render tick, so a hit shows when the shot does.
        // A new life of the id (it left the view and came back, or the id was reused) gets a new view.
        const life = at.lifeTick ?? 0;
        if (at.kind === EntityKind.PROJECTILE) this.placeProjectile(id, x, y, life);
        else this.placePlayer(time, id, x, y, fromAngleQ(at.angle), at.hp ?? 0, life);
      }
    }
    for (const [id, view] of this.players) if (!seen.has(id)) this.dropPlayer(id, view);
    for (const [id, view] of this.projectiles) {
      if (seen.has(id)) continue;
      view.sprite.destroy();
      this.projectiles.delete(id);
    }
    this.health.sweep();
    this.drawHealthBars();
  }

  /** Around this player (the view's centre is its server position, which prediction keeps close). */
  private drawViewEdge(radius: number): void {
    const self = this.players.get(this.session.net.playerId);
    if (radius <= 0 || self === undefined) return;
    this.viewEdge ??= this.add.circle(0, 0, radius).setStrokeStyle(2, VIEW_EDGE_COLOUR, VIEW_EDGE_ALPHA).setDepth(1);
    this.viewEdge.setPosition(self.sprite.x, self.sprite.y);
  }

  private dropPlayer(id: number, view: PlayerView): void {
    view.sprite.destroy();
    view.label.destroy();
    view.marker?.destroy();
    this.players.delete(id);
  }

  /** `life` 0 is this player (drawn from prediction, never leaves); others' come from the buffer. */
  private placePlayer(time: number, id: number, x: number, y: number, angle: number, hp: number, life: number): void {
    const session = this.session;
    const self = id === session.net.playerId;
    let view = this.players.get(id);
    if (view !== undefined && view.life !== life) {
      this.dropPlayer(id, view);
      view = undefined;
    }
    if (view === undefined) {
      const sprite = this.add.image(x, y, self ? 'player-self' : 'player').setDepth(self ? 3 : 2);
      const label = this.add
        .text(x, y - LABEL_OFFSET, '', {
          fontFamily: 'monospace',
          fontSize: '12px',
          color: self ? '#ffc27a' : '#d8e1f0',
          stroke: '#10141c',
          strokeThickness: 3,
        })
        .setOrigin(0.5, 1)
        .setDepth(6);
      if (self) this.cameras.main.startFollow(sprite, true, 0.2, 0.2);
      view = { sprite, label, name: '', marker: undefined, flashUntil: 0, hp: 0, life };
      this.players.set(id, view);
    }
    const name = displayName(session.roster, id);
    if (name !== view.name) {
      view.name = name;
      view.label.setText(name);
    }
    view.hp = hp;
    switch (this.health.observe(id, hp, life)) {
      case 'hit':
        view.flashUntil = time + FLASH_MS;
        this.spark(x, y, 1);
        this.counts.hits++;
        if (self) this.counts.ownHits++;
        break;
      case 'died':
        view.marker ??= this.add.image(x, y, 'death').setDepth(1);
        this.tweens.add({ targets: view.marker, scale: { from: 0.4, to: 1 }, duration: 250, ease: 'Back.Out' });
        this.counts.deaths++;
        break;
      case 'respawned':
        view.marker?.destroy();
        view.marker = undefined;
        break;
    }
    const dead = hp === 0;
    // Dead on first sight (it entered the view dead, or a resume's full snapshot gave it a new life):
    // its marker, without the death's animation or count.
    if (dead && view.marker === undefined) view.marker = this.add.image(x, y, 'death').setDepth(1);
    view.sprite.setPosition(x, y).setRotation(angle).setVisible(!dead);
    view.label.setPosition(x, y - LABEL_OFFSET).setAlpha(dead ? 0.5 : 1);
    if (time < view.flashUntil) view.sprite.setTint(0xffffff).setTintMode(Phaser.TintModes.FILL);
    else view.sprite.clearTint();
  }

  private placeProjectile(id: number, x: number, y: number, life: number): void {
    let view = this.projectiles.get(id);
    if (view !== undefined && view.life !== life) {
      view.sprite.destroy();
      view = undefined;
    }
    if (view === undefined) {
      view = { sprite: this.add.image(x, y, 'projectile').setDepth(4), life };
      this.projectiles.set(id, view);
      this.counts.projectiles++;
    }
    view.sprite.setPosition(x, y);
  }

  /** Small health bars under the names of living players other than this one. */
  private drawHealthBars(): void {
    const bars = this.bars.clear();
    const selfId = this.session.net.playerId;
    for (const [id, view] of this.players) {
      if (id === selfId || view.hp === 0) continue;
      const fraction = Math.min(1, view.hp / START_HP);
      const x = view.sprite.x - 16;
      const y = view.sprite.y - LABEL_OFFSET + 2;
      bars.fillStyle(0x10141c, 0.8).fillRect(x - 1, y - 1, 34, 5);
      bars.fillStyle(healthColour(fraction), 1).fillRect(x, y, 32 * fraction, 3);
    }
  }

  /** Own shots at once; others' shots and the kill feed when the render clock reaches their tick. */
  private drawEvents(time: number, scale: number): void {
    const session = this.session;
    for (const shot of session.ownShots.due(Number.POSITIVE_INFINITY)) this.drawShot(shot, scale);
    const renderTick = session.net.renderTick;
    if (renderTick === undefined) return;
    for (const shot of session.shots.due(renderTick)) this.drawShot(shot, scale);
    for (const kill of session.kills.due(renderTick)) session.killFeed.add(kill.text, time);
  }

  private drawShot(shot: ShotEvent, scale: number): void {
    const x0 = shot.x0 / scale;
    const y0 = shot.y0 / scale;
    const x1 = shot.x1 / scale;
    const y1 = shot.y1 / scale;
    if (shot.weapon === Weapon.PRIMARY) {
      const length = Math.hypot(x1 - x0, y1 - y0);
      const tracer = this.add
        .image(x0, y0, 'tracer')
        .setOrigin(0, 0.5)
        .setRotation(Math.atan2(y1 - y0, x1 - x0))
        .setDisplaySize(Math.max(1, length), 4)
        .setDepth(4);
      this.tweens.add({ targets: tracer, alpha: 0, duration: TRACER_MS, onComplete: () => tracer.destroy() });
      this.spark(x1, y1, shot.hitId !== 0 ? 1 : 0.5);
      this.counts.tracers++;
    } else {
      // A projectile launch: a muzzle flash; the projectile itself is an entity.
      this.spark(x0, y0, 0.5);
    }
  }

  private spark(x: number, y: number, size: number): void {
    const spark = this.add.image(x, y, 'hit').setDepth(5).setScale(size);
    this.tweens.add({
      targets: spark,
      alpha: 0,
      scale: size * 1.6,
      duration: SPARK_MS,
      onComplete: () => spark.destroy(),
    });
  }

  /** Plain data for the browser test hook. */
  playersForTests(): PlayerForTests[] {
    const camera = this.cameras.main;
    const view = camera.worldView;
    const selfId = this.session.net.playerId;
    return [...this.players].map(([id, player]) => ({
      id,
      name: player.name,
      self: id === selfId,
      x: player.sprite.x,
      y: player.sprite.y,
      hp: player.hp,
      screenX: camera.x + (player.sprite.x - view.x) * camera.zoom,
      screenY: camera.y + (player.sprite.y - view.y) * camera.zoom,
    }));
  }

  get projectileCount(): number {
    return this.projectiles.size;
  }
}
