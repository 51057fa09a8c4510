// The disconnected screen: why the connection ended (refused, dropped, server gone) and a button back
// to the join screen. Entered once per disconnect, from the game scene.
import Phaser from 'phaser';
import type { GameApp } from '../app.js';
import { disconnectMessage } from '../model/closeMessage.js';
import { DisconnectPanel } from '../ui/disconnectPanel.js';
import { drawBackdrop } from './backdrop.js';

export class DisconnectedScene extends Phaser.Scene {
  private panel: DisconnectPanel | undefined;

  constructor(private readonly app: GameApp) {
    super('disconnected');
  }

  create(): void {
    drawBackdrop(this);
    const message = this.app.session?.disconnect ?? disconnectMessage(1006, '');
    this.panel = new DisconnectPanel(this.game.canvas.parentElement!, message.title, message.detail, () => {
      this.app.leave();
      this.scene.start('join');
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.panel?.destroy());
  }
}
