// The disconnected screen's panel: what happened, the close code, and a way back to the join
// screen (the button, or Enter). Shown once per disconnect.
import { element, isolateKeys } from './overlay.js';

export class DisconnectPanel {
  readonly root: HTMLDivElement;

  constructor(parent: HTMLElement, title: string, detail: string, onBack: () => void) {
    const root = element('div', 'tw-panel tw-disconnected');
    root.id = 'disconnected';
    root.setAttribute('role', 'alert');
    root.append(element('h1', 'tw-title', 'Disconnected'));
    root.append(element('p', 'tw-reason', title));
    root.append(element('p', 'tw-detail', detail));
    const button = element('button', 'tw-button', 'Back to join');
    button.id = 'back';
    button.type = 'button';
    button.addEventListener('click', onBack);
    root.append(button);
    isolateKeys(root);
    parent.append(root);
    this.root = root;
    button.focus();
  }

  destroy(): void {
    this.root.remove();
  }
}
