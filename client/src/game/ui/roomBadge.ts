// While playing in a private room: its code and share link at the bottom right (above the health
// bar), with a copy button, so the player can bring friends in. Built once per game in a private room.
import { element, isolateKeys } from './overlay.js';

export class RoomBadge {
  readonly root: HTMLDivElement;

  constructor(parent: HTMLElement, code: string, link: string) {
    const root = element('div', 'tw-badge');
    root.id = 'room-badge';
    const codeText = element('strong', 'tw-code-text', code);
    codeText.id = 'room-code';
    const linkInput = element('input', 'tw-input tw-link');
    linkInput.id = 'room-link';
    linkInput.readOnly = true;
    linkInput.value = link;
    linkInput.setAttribute('aria-label', 'Link to this room');
    const copy = element('button', 'tw-button tw-secondary tw-inline tw-small', 'Copy link');
    copy.id = 'copy-link';
    copy.type = 'button';
    const said = element('span', 'tw-status');
    copy.addEventListener('click', () => {
      // The clipboard API exists only on secure pages (https, localhost); elsewhere the link is
      // selected for Ctrl+C.
      const selectIt = () => {
        linkInput.select();
        said.textContent = 'Ctrl+C copies it';
      };
      if (navigator.clipboard === undefined) return selectIt();
      navigator.clipboard.writeText(link).then(() => {
        said.textContent = 'copied';
      }, selectIt);
    });
    root.append(element('span', 'tw-label-inline', 'Private room'), codeText, linkInput, copy, said);
    isolateKeys(root);
    parent.append(root);
    this.root = root;
  }

  destroy(): void {
    this.root.remove();
  }
}
