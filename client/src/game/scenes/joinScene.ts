// The join screen: the map dimmed behind the lobby panel, with the public rooms live. Entered at boot
// and whenever a game ends; leaves for the game scene once the matchmaker has seated the player.
import { MAX_NAME_LENGTH } from '@tickwire/protocol';
import Phaser from 'phaser';
import type { GameApp } from '../app.js';
import { cleanText } from '../model/text.js';
import { LobbyPanel } from '../ui/lobbyPanel.js';
import { drawBackdrop } from './backdrop.js';

export class JoinScene extends Phaser.Scene {
  constructor(private readonly app: GameApp) {
    super('join');
  }

  create(): void {
    drawBackdrop(this);
    const app = this.app;
    const panel = new LobbyPanel(this.game.canvas.parentElement!, {
      name: app.name,
      code: app.code,
      maxNameLength: MAX_NAME_LENGTH,
      onAction: (action, name) => void app.play(action, cleanText(name, MAX_NAME_LENGTH)),
    });
    const show = () => {
      if (app.screen.kind === 'playing') {
        this.scene.start('game');
        return;
      }
      panel.render({ screen: app.screen, rooms: app.lobby.rooms, status: app.lobby.status });
    };
    const unsubscribe = app.subscribe(show);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      unsubscribe();
      panel.destroy();
    });
    app.openLobby();
    show();
  }
}
