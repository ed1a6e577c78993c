/** Where a {@link ProgressBar} draws: a stream, a terminal when `isTTY` is true. */
export interface ProgressStream {
  /** Writes text. */
  write(s: string): boolean;
  /** Whether the stream is a terminal (redrawn in place) or not (periodic lines). */
  isTTY?: boolean;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Seconds between lines on a pipe or file (default 10). */
  pipeInterval?: number;
  /** The clock, in milliseconds (default `Date.now`; tests pass a fake). */
  now?: () => number;
}

/** Seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * A one-line progress bar with elapsed time and time left: redrawn in place on a terminal, and
 * on a pipe or file printed as a plain line every `pipeInterval` seconds (so logs show progress
 * and carry no control codes).
 */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly total: number;
  private readonly label: string;
  private readonly now: () => number;
  private readonly pipeInterval: number;
  private readonly started: number;
  private lastDraw: number;

  /**
   * @param label - printed before the bar (e.g. `epoch 3/10`)
   * @param total - number of steps
   * @param stream - where to draw (default `process.stderr`)
   * @param options - pipe interval and clock
   */
  constructor(label: string, total: number, stream: ProgressStream = process.stderr, options: ProgressBarOptions = {}) {
    this.label = label;
    this.total = total;
    this.stream = stream;
    this.now = options.now ?? Date.now;
    this.pipeInterval = 1000 * (options.pipeInterval ?? 10);
    this.started = this.now();
    this.lastDraw = this.started;
  }

  /** Redraws: at most ten times a second on a terminal, every `pipeInterval` seconds elsewhere. */
  update(done: number, fields: Record<string, string> = {}): void {
    const now = this.now();
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.line(done, fields, now)}\x1b[K`);
      return;
    }
    if (now - this.lastDraw < this.pipeInterval || done >= this.total) return;
    this.lastDraw = now;
    this.stream.write(`${this.line(done, fields, now)}\n`);
  }

  /** Draws the final state and ends the line. */
  done(fields: Record<string, string> = {}): void {
    const tty = this.stream.isTTY;
    this.stream.write(`${tty ? '\r' : ''}${this.line(this.total, fields, this.now())}${tty ? '\x1b[K' : ''}\n`);
  }

  private line(done: number, fields: Record<string, string>, now: number): string {
    const width = 24;
    const filled = this.total ? Math.round((width * done) / this.total) : width;
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (done >= this.total ? '=' : '>') : '') + ' '.repeat(width - filled);
    const elapsed = (now - this.started) / 1000;
    const time =
      done >= this.total
        ? `${formatDuration(elapsed)}`
        : `${formatDuration(elapsed)} elapsed, ${done > 0 ? formatDuration((elapsed * (this.total - done)) / done) : '?'} left`;
    const tail = Object.entries(fields)
      .map(([k, v]) => `${k} ${v}`)
      .join('  ');
    return `${this.label} [${bar}] ${String(done).padStart(String(this.total).length)}/${this.total}  ${time}${tail ? `  ${tail}` : ''}`;
  }
}
