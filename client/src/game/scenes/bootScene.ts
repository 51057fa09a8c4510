// Boot: loads every sprite and the map once per page, then takes back this tab's player after a
// reload (its saved resume token), or shows the join screen, or joins at once for a ?name= or ?room=
// link (the join screen comes back if that join fails).
import { MAX_NAME_LENGTH } from '@tickwire/protocol';
import Phaser from 'phaser';
import deathUrl from '../../../../assets/sprites/death.png';
import hitUrl from '../../../../assets/sprites/hit.png';
import playerUrl from '../../../../assets/sprites/player.png';
import playerSelfUrl from '../../../../assets/sprites/player-self.png';
import projectileUrl from '../../../../assets/sprites/projectile.png';
import tracerUrl from '../../../../assets/sprites/tracer.png';
import type { GameApp } from '../app.js';
import { cleanText } from '../model/text.js';
import { preloadMap } from '../render/mapLayer.js';

export class BootScene extends Phaser.Scene {
  constructor(private readonly app: GameApp) {
    super('boot');
  }

  preload(): void {
    const { width, height } = this.scale;
    const bar = this.add.rectangle(width / 2 - 150, height / 2, 0, 6, 0xf59623).setOrigin(0, 0.5);
    this.add.rectangle(width / 2, height / 2, 300, 6).setStrokeStyle(1, 0x3a4763);
    this.load.on('progress', (value: number) => bar.setSize(300 * value, 6));
    this.load.image('player', playerUrl);
    this.load.image('player-self', playerSelfUrl);
    this.load.image('projectile', projectileUrl);
    this.load.image('hit', hitUrl);
    this.load.image('death', deathUrl);
    this.load.image('tracer', tracerUrl);
    preloadMap(this);
  }

  create(): void {
    if (this.app.resumeAtLoad()) {
      this.scene.start('game');
      return;
    }
    const action = this.app.autoJoin;
    if (action === undefined) {
      this.scene.start('join');
      return;
    }
    const name = cleanText(this.app.name, MAX_NAME_LENGTH);
    void this.app.play(action, name).then(() => this.scene.start(this.app.screen.kind === 'playing' ? 'game' : 'join'));
  }
}
