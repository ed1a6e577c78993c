/** A one-line progress bar on a stream (stderr by default), redrawn in place on a terminal. */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean };
  private readonly total: number;
  private readonly label: string;
  private lastDraw = 0;

  /**
   * @param label - printed before the bar (e.g. `epoch 3/10`)
   * @param total - number of steps
   * @param stream - where to draw (default `process.stderr`)
   */
  constructor(label: string, total: number, stream: { write(s: string): boolean; isTTY?: boolean } = process.stderr) {
    this.label = label;
    this.total = total;
    this.stream = stream;
  }

  /** Redraws (at most ten times a second on a terminal; not at all elsewhere, until `done`). */
  update(done: number, fields: Record<string, string>): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    this.stream.write(`\r${this.line(done, fields)}\x1b[K`);
  }

  /** Draws the final state and ends the line. */
  done(fields: Record<string, string>): void {
    this.stream.write(`${this.stream.isTTY ? '\r' : ''}${this.line(this.total, fields)}${this.stream.isTTY ? '\x1b[K' : ''}\n`);
  }

  private line(done: number, fields: Record<string, string>): string {
    const width = 24;
    const filled = this.total ? Math.round((width * done) / this.total) : width;
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (done >= this.total ? '=' : '>') : '') + ' '.repeat(width - filled);
    const tail = Object.entries(fields).map(([k, v]) => `${k} ${v}`).join('  ');
    return `${this.label} [${bar}] ${String(done).padStart(String(this.total).length)}/${this.total}  ${tail}`;
  }
}
