// The dimmed map behind the join screen's panel, fitted to the window; drawn once per visit.

import { GAME_MAP } from '@tickwire/protocol';
import Phaser from 'phaser';
import { createMapLayer } from '../render/mapLayer.js';

export function drawBackdrop(scene: Phaser.Scene): void {
  createMapLayer(scene);
  const camera = scene.cameras.main;
  const fit = () => {
    const zoom = Math.max(scene.scale.width / GAME_MAP.width, scene.scale.height / GAME_MAP.height);
    camera.setZoom(zoom).centerOn(GAME_MAP.width / 2, GAME_MAP.height / 2);
  };
  fit();
  scene.scale.on(Phaser.Scale.Events.RESIZE, fit);
  scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => scene.scale.off(Phaser.Scale.Events.RESIZE, fit));
  scene.add.rectangle(0, 0, GAME_MAP.width, GAME_MAP.height, 0x10141c, 0.6).setOrigin(0).setDepth(10);
}
