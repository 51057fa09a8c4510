// The HUD, drawn above the game with its own camera: health, kill feed, chat log and field,
// scoreboard (held Tab), status line and net graph (F3). Launched by the game scene once per join;
// update() runs per frame and redraws a text only when its content changed (setText re-uploads).
import { MAX_CHAT_LENGTH, START_HP } from '@tickwire/protocol';
import Phaser from 'phaser';
import type { GameApp } from '../app.js';
import type { GameSession } from '../gameSession.js';
import { scoreboardText, scoreRows } from '../model/scoreboard.js';
import type { TimedLine } from '../model/timedLines.js';
import { healthColour } from '../render/healthColour.js';
import { netGraphText } from '../render/netGraph.js';
import { ChatBox } from '../ui/chatBox.js';
import { RoomBadge } from '../ui/roomBadge.js';

const MARGIN = 12;
const HP_BAR_WIDTH = 220;
const HP_BAR_HEIGHT = 14;
const FONT = { fontFamily: 'monospace', fontSize: '14px', color: '#d8e1f0' } as const;

function linesText(lines: readonly TimedLine[]): string {
  return lines.map((line) => line.text).join('\n');
}

/** A Text that only redraws when its string changes. */
class CachedText {
  private current = '';
  constructor(readonly text: Phaser.GameObjects.Text) {}
  set(value: string): void {
    if (value === this.current) return;
    this.current = value;
    this.text.setText(value);
  }
  get value(): string {
    return this.current;
  }
}

export class HudScene extends Phaser.Scene {
  private session!: GameSession;
  private status!: CachedText;
  private graph!: CachedText;
  private killFeed!: CachedText;
  private chatLog!: CachedText;
  private scoreboard!: CachedText;
  private hpText!: CachedText;
  private deadText!: Phaser.GameObjects.Text;
  private hpBar!: Phaser.GameObjects.Graphics;
  private tab!: Phaser.Input.Keyboard.Key;
  private chat!: ChatBox;
  private scoreVersion = -1;
  private drawnHp = -1;
  /** What the kill feed and chat log texts were built from: version and first visible line. */
  private killFeedKey = '';
  private chatKey = '';

  constructor(private readonly app: GameApp) {
    super('hud');
  }

  create(): void {
    this.session = this.app.session!;
    this.scoreVersion = this.drawnHp = -1;
    this.killFeedKey = this.chatKey = '';
    const keyboard = this.input.keyboard!;
    const panel = { ...FONT, backgroundColor: '#10141ccc', padding: { x: 6, y: 4 } };
    this.status = new CachedText(this.add.text(MARGIN, MARGIN, '', panel));
    this.graph = new CachedText(this.add.text(MARGIN, MARGIN + 30, '', panel).setVisible(false));
    this.killFeed = new CachedText(this.add.text(0, MARGIN, '', { ...panel, align: 'right' }).setOrigin(1, 0));
    this.chatLog = new CachedText(
      this.add.text(MARGIN, 0, '', { ...FONT, backgroundColor: '#10141c99', padding: { x: 6, y: 4 } }).setOrigin(0, 1),
    );
    this.scoreboard = new CachedText(
      this.add
        .text(0, 0, '', { ...FONT, fontSize: '16px', backgroundColor: '#1b2231ee', padding: { x: 16, y: 12 } })
        .setOrigin(0.5)
        .setVisible(false),
    );
    this.hpBar = this.add.graphics();
    this.hpText = new CachedText(this.add.text(0, 0, '', { ...FONT, fontStyle: 'bold' }).setOrigin(0, 0.5));
    this.deadText = this.add
      .text(0, 0, 'you died: respawning…', {
        ...FONT,
        fontSize: '24px',
        color: '#ff8a7a',
        backgroundColor: '#10141ccc',
      })
      .setOrigin(0.5)
      .setVisible(false);

    this.tab = keyboard.addKey('TAB');
    keyboard.addKey('F3');
    keyboard.addKey('ENTER');
    keyboard.on('keydown-F3', () => this.graph.text.setVisible(!this.graph.text.visible));
    keyboard.on('keydown-ENTER', () => this.chat.open());
    this.chat = new ChatBox(this.game.canvas.parentElement!, {
      maxLength: MAX_CHAT_LENGTH,
      onSend: (text) => this.session.say(text),
      // Keys held when the field opens never see their keyup (the field keeps it from Phaser).
      onToggle: (open) => {
        if (open) this.scene.get('game').input.keyboard?.resetKeys();
      },
    });
    const screen = this.app.screen;
    const badge =
      screen.kind === 'playing' && screen.code !== undefined
        ? new RoomBadge(this.game.canvas.parentElement!, screen.code, this.app.shareLink(screen.code))
        : undefined;
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.chat.destroy();
      badge?.destroy();
    });
  }

  override update(time: number): void {
    const session = this.session;
    const { width, height } = this.scale;
    // While reconnecting the game stays on screen; the banner says so and for how long.
    this.status.set(session.reconnectBanner(time) ?? this.statusText());
    if (this.graph.text.visible) this.graph.set(netGraphText(session));

    const feed = session.killFeed;
    const killFeedKey = `${feed.version}:${feed.firstVisible(time)}`;
    if (killFeedKey !== this.killFeedKey) {
      this.killFeedKey = killFeedKey;
      this.killFeed.set(linesText(feed.visible(time)));
    }
    this.killFeed.text.setPosition(width - MARGIN, MARGIN).setVisible(this.killFeed.value.length > 0);

    // While typing, the whole log shows; otherwise only recent lines.
    const chat = session.chat;
    const first = this.chat.isOpen ? 0 : chat.firstVisible(time);
    const chatKey = `${chat.version}:${first}`;
    if (chatKey !== this.chatKey) {
      this.chatKey = chatKey;
      this.chatLog.set(linesText(chat.all().slice(first)));
    }
    this.chatLog.text.setPosition(MARGIN, height - MARGIN - 48).setVisible(this.chatLog.value.length > 0);

    const showScores = this.tab.isDown && !this.chat.isOpen;
    this.scoreboard.text.setVisible(showScores).setPosition(width / 2, height / 2);
    if (showScores && session.rosterVersion !== this.scoreVersion) {
      this.scoreboard.set(scoreboardText(scoreRows(session.roster, session.net.playerId)));
      this.scoreVersion = session.rosterVersion;
    }

    this.drawHealth(session.hp, width, height);
  }

  /** Whether the scoreboard and the chat field are on screen, for the browser test hook. */
  get shown(): { scoreboard: boolean; chat: boolean; netGraph: boolean } {
    return { scoreboard: this.scoreboard.text.visible, chat: this.chat.isOpen, netGraph: this.graph.text.visible };
  }

  private statusText(): string {
    const session = this.session;
    const net = session.net;
    if (session.state !== 'playing') return `${session.state}…`;
    const ping = net.clock?.roundTripMs;
    const players = session.roster.size;
    return `${session.name || 'player'}  ·  ${players} ${players === 1 ? 'player' : 'players'}  ·  ping ${
      ping === undefined || !Number.isFinite(ping) ? '–' : Math.round(ping)
    } ms  ·  Tab scores  ·  Enter chat  ·  F3 net graph`;
  }

  private drawHealth(hp: number | undefined, width: number, height: number): void {
    const x = width / 2 - HP_BAR_WIDTH / 2;
    const y = height - MARGIN - HP_BAR_HEIGHT - 24;
    this.hpText.text.setPosition(x + HP_BAR_WIDTH + 10, y + HP_BAR_HEIGHT / 2);
    this.deadText.setPosition(width / 2, height / 2 - 80).setVisible(hp === 0);
    if (hp === this.drawnHp) {
      // Only the position may have changed (a resize): move the bar instead of redrawing it.
      this.hpBar.setPosition(x, y);
      return;
    }
    this.drawnHp = hp ?? -1;
    const fraction = hp === undefined ? 0 : Math.min(1, hp / START_HP);
    this.hpBar
      .clear()
      .fillStyle(0x10141c, 0.85)
      .fillRect(-3, -3, HP_BAR_WIDTH + 6, HP_BAR_HEIGHT + 6)
      .fillStyle(healthColour(fraction), 1)
      .fillRect(0, 0, HP_BAR_WIDTH * fraction, HP_BAR_HEIGHT)
      .lineStyle(1, 0x8d9ab3, 1)
      .strokeRect(0, 0, HP_BAR_WIDTH, HP_BAR_HEIGHT)
      .setPosition(x, y);
    this.hpText.set(hp === undefined ? '' : `${hp} hp`);
  }
}
