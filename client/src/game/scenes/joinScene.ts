// The join screen: the map dimmed behind a name form. Entered at boot and after a disconnect; joining
// connects to the server that served the page and starts the game scene.
import { MAX_NAME_LENGTH } from '@tickwire/protocol';
import Phaser from 'phaser';
import type { GameApp } from '../app.js';
import { cleanText } from '../model/text.js';
import { JoinForm } from '../ui/joinForm.js';
import { drawBackdrop } from './backdrop.js';

export class JoinScene extends Phaser.Scene {
  private form: JoinForm | undefined;

  constructor(private readonly app: GameApp) {
    super('join');
  }

  create(): void {
    drawBackdrop(this);
    this.form = new JoinForm(this.game.canvas.parentElement!, {
      name: this.app.lastName,
      maxLength: MAX_NAME_LENGTH,
      onJoin: (name) => {
        this.app.join(cleanText(name, MAX_NAME_LENGTH));
        this.scene.start('game');
      },
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.form?.destroy());
  }
}
