// The join screen's form: a name field and a Join button over the canvas. Shown once per visit to
// the join screen; submitting hands the typed name to the caller.
import { element, isolateKeys, textInput } from './overlay.js';

export interface JoinFormOptions {
  /** Prefilled name (the last one used, or ?name=). */
  name: string;
  maxLength: number;
  onJoin(name: string): void;
}

export class JoinForm {
  readonly root: HTMLFormElement;
  readonly input: HTMLInputElement;

  constructor(parent: HTMLElement, options: JoinFormOptions) {
    const root = element('form', 'tw-panel tw-join');
    root.id = 'join';
    root.append(element('h1', 'tw-title', 'Tickwire'));
    root.append(
      element(
        'p',
        'tw-help',
        'Move with WASD or the arrow keys, aim with the mouse, left click fires the rifle, right click the plasma. Tab shows the scores, Enter opens the chat.',
      ),
    );
    const label = element('label', 'tw-label', 'Your name');
    label.htmlFor = 'name';
    const input = textInput('name', 'tw-input', options.maxLength);
    input.value = options.name;
    input.placeholder = 'player';
    const button = element('button', 'tw-button', 'Join');
    button.type = 'submit';
    button.id = 'join-button';
    root.append(label, input, button);
    isolateKeys(root);
    root.addEventListener('submit', (event) => {
      event.preventDefault();
      options.onJoin(input.value);
    });
    parent.append(root);
    this.root = root;
    this.input = input;
    input.focus();
    input.select();
  }

  destroy(): void {
    this.root.remove();
  }
}
