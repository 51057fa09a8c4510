// The chat field (Enter to open, Enter to send, Escape to cancel): an HTML input over the canvas,
// capped at the protocol's chat length. Created once per game; opened and closed per message.
import { isolateKeys, textInput } from './overlay.js';

export interface ChatBoxOptions {
  maxLength: number;
  onSend(text: string): void;
  /** The field opened or closed (the game releases held keys when it opens). */
  onToggle(open: boolean): void;
}

export class ChatBox {
  readonly input: HTMLInputElement;

  constructor(
    parent: HTMLElement,
    private readonly options: ChatBoxOptions,
  ) {
    const input = textInput('chat', 'tw-input tw-chat', options.maxLength);
    input.placeholder = 'say something (Enter to send, Esc to cancel)';
    input.hidden = true;
    isolateKeys(input);
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        const text = input.value;
        this.close();
        if (text.trim().length > 0) options.onSend(text);
      } else if (event.key === 'Escape') {
        this.close();
      }
    });
    input.addEventListener('blur', () => this.close());
    parent.append(input);
    this.input = input;
  }

  get isOpen(): boolean {
    return !this.input.hidden;
  }

  open(): void {
    if (this.isOpen) return;
    this.input.hidden = false;
    this.input.value = '';
    this.input.focus();
    this.options.onToggle(true);
  }

  close(): void {
    if (!this.isOpen) return;
    this.input.hidden = true;
    this.input.blur();
    this.options.onToggle(false);
  }

  destroy(): void {
    this.input.remove();
  }
}
