// Helpers for the HTML panels drawn over the canvas (lobby panel, chat box, room badge).
// Every string goes in through textContent or an input's value, never innerHTML.

/**
 * Stop key events inside `element` from reaching window, where Phaser listens and calls
 * preventDefault on captured keys (WASD, arrows, Tab, Enter): without this an input loses them.
 */
export function isolateKeys(element: HTMLElement): void {
  const stop = (event: KeyboardEvent) => event.stopPropagation();
  element.addEventListener('keydown', stop);
  element.addEventListener('keyup', stop);
}

/** `document.createElement(tag)` with a class and text (as text, never markup). */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A one-line text field for typed names and chat: no autocomplete or spellcheck, capped at `maxLength`. */
export function textInput(id: string, className: string, maxLength: number): HTMLInputElement {
  const input = element('input', className);
  input.id = id;
  input.type = 'text';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.maxLength = maxLength;
  return input;
}
