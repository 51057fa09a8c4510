// A short list of recent lines that each fade out after a lifetime: the kill feed and the chat log.
// add() per event, visible() per frame (allocates only when what is visible changed).

export interface TimedLine {
  text: string;
  atMs: number;
}

export class TimedLines {
  private readonly lines: TimedLine[] = [];
  private revision = 0;

  /**
   * @param capacity lines kept; the oldest is dropped past it.
   * @param lifetimeMs how long a line stays visible, in ms (the log keeps it until it is pushed out).
   */
  constructor(
    readonly capacity: number,
    readonly lifetimeMs: number,
  ) {}

  add(text: string, nowMs: number): void {
    this.lines.push({ text, atMs: nowMs });
    if (this.lines.length > this.capacity) this.lines.shift();
    this.revision++;
  }

  /** Every line kept, oldest first (the chat log shows them all while typing). */
  all(): readonly TimedLine[] {
    return this.lines;
  }

  /** The lines younger than the lifetime at `nowMs`, oldest first. */
  visible(nowMs: number): TimedLine[] {
    return this.lines.slice(this.firstVisible(nowMs));
  }

  /**
   * The index in all() of the oldest line still visible at `nowMs` (all().length when none is):
   * lines are added in time order, so the visible ones are the newest. With `version`, tells a
   * renderer per frame whether its text changed without building it.
   */
  firstVisible(nowMs: number): number {
    let index = 0;
    while (index < this.lines.length && nowMs - this.lines[index]!.atMs >= this.lifetimeMs) index++;
    return index;
  }

  /** Changes on every add(), so a renderer can tell whether to rebuild its text. */
  get version(): number {
    return this.revision;
  }
}
