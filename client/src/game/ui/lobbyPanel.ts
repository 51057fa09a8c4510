// The join screen's panel: why the last game ended, the name field, Quick play, Create private room,
// Join by code, and the live list of public rooms (a click joins one). Built once per visit to the
// join screen; render() runs on every change of the screen state or the room list.
import type { LobbyRoom } from '@tickwire/protocol';
import { type JoinAction, MAX_ROOM_TEXT, roomTextOf } from '../lobby/joinAction.js';
import type { LobbyStatus } from '../lobby/lobbyClient.js';
import type { Screen } from '../lobby/screen.js';
import { element, isolateKeys, textInput } from './overlay.js';

export interface LobbyPanelOptions {
  /** Prefilled name (?name=, the saved one, or the last one used). */
  name: string;
  /** Prefilled Join by code text (a ?room= link). */
  code: string;
  maxNameLength: number;
  onAction(action: JoinAction, name: string): void;
}

export interface LobbyView {
  screen: Screen;
  rooms: readonly LobbyRoom[];
  status: LobbyStatus;
}

const STATUS_TEXT: { readonly [S in LobbyStatus]: string } = {
  stopped: '',
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
};

export class LobbyPanel {
  readonly root: HTMLDivElement;
  readonly nameInput: HTMLInputElement;
  readonly codeInput: HTMLInputElement;
  private readonly notice: HTMLDivElement;
  private readonly error: HTMLParagraphElement;
  private readonly status: HTMLSpanElement;
  private readonly list: HTMLUListElement;
  private readonly buttons: HTMLButtonElement[] = [];
  /** A problem found before asking the server (an empty or malformed code); cleared by the next action. */
  private localError: string | undefined;
  /** What the room list was last built from, so an unchanged list is not rebuilt. */
  private listKey = '';
  private busy = false;

  constructor(
    parent: HTMLElement,
    private readonly options: LobbyPanelOptions,
  ) {
    const root = element('div', 'tw-panel tw-lobby');
    root.id = 'lobby';
    root.append(element('h1', 'tw-title', 'Tickwire'));
    this.notice = element('div', 'tw-notice');
    this.notice.id = 'notice';
    this.notice.setAttribute('role', 'alert');
    this.notice.hidden = true;
    root.append(this.notice);
    root.append(
      element(
        'p',
        'tw-help',
        'WASD or arrows move, the mouse aims, left click fires the rifle, right click the plasma. Tab shows the scores, Enter opens the chat.',
      ),
    );

    // Enter in the name field plays: Quick play, or the room of a ?room= link.
    const play = element('form', 'tw-form');
    const label = element('label', 'tw-label', 'Your name');
    label.htmlFor = 'name';
    this.nameInput = textInput('name', 'tw-input', options.maxNameLength);
    this.nameInput.value = options.name;
    this.nameInput.placeholder = 'player';
    const quick = this.button('quick-play', 'Quick play', 'submit');
    const create = this.button('create-private', 'Create private room', 'button', 'tw-button tw-secondary');
    create.addEventListener('click', () => this.act({ kind: 'create' }));
    const row = element('div', 'tw-row');
    row.append(quick, create);
    play.append(label, this.nameInput, row);
    play.addEventListener('submit', (event) => {
      event.preventDefault();
      if (options.code.length > 0 && this.codeInput.value === options.code) this.joinCode();
      else this.act({ kind: 'quick' });
    });

    const byCode = element('form', 'tw-form tw-row');
    this.codeInput = textInput('code', 'tw-input tw-grow', MAX_ROOM_TEXT);
    this.codeInput.value = options.code;
    this.codeInput.placeholder = 'room code, e.g. K7PX3Q';
    this.codeInput.setAttribute('aria-label', 'Room code');
    byCode.append(
      this.codeInput,
      this.button('join-code', 'Join by code', 'submit', 'tw-button tw-secondary tw-inline'),
    );
    byCode.addEventListener('submit', (event) => {
      event.preventDefault();
      this.joinCode();
    });

    this.error = element('p', 'tw-error');
    this.error.id = 'lobby-error';
    this.error.setAttribute('role', 'alert');
    const heading = element('h2', 'tw-subtitle', 'Public rooms ');
    this.status = element('span', 'tw-status');
    this.status.id = 'lobby-status';
    heading.append(this.status);
    this.list = element('ul', 'tw-rooms');
    this.list.id = 'rooms';
    root.append(play, byCode, this.error, heading, this.list);
    isolateKeys(root);
    parent.append(root);
    this.root = root;
    this.nameInput.focus();
    this.nameInput.select();
  }

  render(view: LobbyView): void {
    const { screen } = view;
    this.busy = screen.kind === 'joining';
    for (const button of this.buttons) button.disabled = this.busy;
    const notice = screen.kind === 'lobby' ? screen.notice : undefined;
    this.notice.hidden = notice === undefined;
    if (notice !== undefined) {
      this.notice.replaceChildren(element('p', 'tw-reason', notice.title), element('p', 'tw-detail', notice.detail));
    }
    const error = this.localError ?? (screen.kind === 'lobby' ? screen.error : undefined);
    this.error.textContent = this.busy ? 'Finding a room…' : (error ?? '');
    this.status.textContent = STATUS_TEXT[view.status];
    this.renderRooms(view.rooms);
  }

  destroy(): void {
    this.root.remove();
  }

  private renderRooms(rooms: readonly LobbyRoom[]): void {
    const key = `${this.busy}|${rooms.map((r) => `${r.id}:${r.players}/${r.maxPlayers}`).join(',')}`;
    if (key === this.listKey) return;
    this.listKey = key;
    if (rooms.length === 0) {
      this.list.replaceChildren(element('li', 'tw-empty', 'No public rooms yet: Quick play starts one.'));
      return;
    }
    this.list.replaceChildren(
      ...rooms.map((room) => {
        const full = room.players >= room.maxPlayers;
        const item = element('li', 'tw-room');
        const button = element(
          'button',
          'tw-room-button',
          `${room.scenario} · ${room.players}/${room.maxPlayers} players · ${room.tickRate} Hz${full ? ' · full' : ''}`,
        );
        button.type = 'button';
        button.title = `room ${room.id}`;
        button.dataset.roomId = room.id;
        button.disabled = full || this.busy;
        button.addEventListener('click', () => this.act({ kind: 'room', roomId: room.id }));
        item.append(button);
        return item;
      }),
    );
  }

  private joinCode(): void {
    const code = roomTextOf(this.codeInput.value);
    if (code === undefined) {
      this.localError = 'Type the room code you were given (letters and digits).';
      this.error.textContent = this.localError;
      this.codeInput.focus();
      return;
    }
    this.act({ kind: 'code', code });
  }

  private act(action: JoinAction): void {
    if (this.busy) return;
    this.localError = undefined;
    this.options.onAction(action, this.nameInput.value);
  }

  private button(id: string, text: string, type: 'submit' | 'button', className = 'tw-button'): HTMLButtonElement {
    const button = element('button', className, text);
    button.id = id;
    button.type = type;
    this.buttons.push(button);
    return button;
  }
}
