/**
 * Progress on stderr (SPEC §2.1): a live bar with counts and elapsed time on a TTY,
 * plain step lines otherwise, nothing with --quiet or --json. stdout is never touched.
 */

export interface ProgressOptions {
  /** false with --quiet / --json. */
  enabled: boolean;
  /** Defaults to process.stderr.isTTY. */
  tty?: boolean;
  /** Defaults to !NO_COLOR and tty. */
  color?: boolean;
  write?: (chunk: string) => void;
  now?: () => number;
}

export interface StepHandle {
  /** Set the total once known (enables the bar). */
  total(n: number): void;
  /** Add to the done count. */
  tick(n?: number): void;
  /** Replace the note shown after the counts. */
  note(text: string): void;
}

export class Progress {
  private readonly enabled: boolean;
  private readonly tty: boolean;
  private readonly color: boolean;
  private readonly write: (chunk: string) => void;
  private readonly now: () => number;
  private readonly started: number;

  constructor(options: ProgressOptions) {
    this.enabled = options.enabled;
    this.tty = options.tty ?? Boolean(process.stderr.isTTY);
    this.color = options.color ?? (this.tty && !('NO_COLOR' in process.env));
    this.write = options.write ?? ((s) => process.stderr.write(s));
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  static silent(): Progress {
    return new Progress({ enabled: false });
  }

  private dim(s: string): string {
    return this.color ? `\x1b[2m${s}\x1b[22m` : s;
  }

  private green(s: string): string {
    return this.color ? `\x1b[32m${s}\x1b[39m` : s;
  }

  /** A one-off informational line. */
  info(message: string): void {
    if (this.enabled) this.write(`${message}\n`);
  }

  /** Run one named step, reporting its counts and elapsed time. */
  async step<T>(label: string, fn: (h: StepHandle) => Promise<T> | T): Promise<T> {
    const t0 = this.now();
    let total = 0;
    let done = 0;
    let note = '';
    let lastDraw = 0;
    const draw = (final: boolean) => {
      if (!this.enabled || !this.tty) return;
      const t = this.now();
      if (!final && t - lastDraw < 100) return;
      lastDraw = t;
      const secs = ((t - t0) / 1000).toFixed(1);
      let bar = '';
      if (total > 0) {
        const width = 24;
        const filled = Math.min(width, Math.round((done / total) * width));
        bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} `;
      }
      this.write(`\r\x1b[2K▸ ${label} ${bar}${this.dim(`${secs}s`)}${note ? ` ${note}` : ''}`);
    };
    const handle: StepHandle = {
      total: (n) => {
        total = n;
        draw(false);
      },
      tick: (n = 1) => {
        done += n;
        draw(false);
      },
      note: (text) => {
        note = text;
        draw(false);
      },
    };
    if (this.enabled && !this.tty) this.write(`- ${label} ...\n`);
    draw(true);
    try {
      const result = await fn(handle);
      if (this.enabled) {
        const secs = ((this.now() - t0) / 1000).toFixed(1);
        const counts = total > 0 || done > 0 ? ` ${done.toLocaleString('en-US')}${total > 0 ? `/${total.toLocaleString('en-US')}` : ''}` : '';
        const line = `${this.green('✔')} ${label}${counts}${note ? ` ${note}` : ''} (${secs}s)`;
        this.write(this.tty ? `\r\x1b[2K${line}\n` : `  done: ${label}${counts}${note ? ` ${note}` : ''} (${secs}s)\n`);
      }
      return result;
    } catch (error: unknown) {
      if (this.enabled && this.tty) this.write(`\r\x1b[2K✖ ${label}\n`);
      throw error;
    }
  }

  /** Seconds since this reporter was created. */
  elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }
}
