import type { SingleBar } from 'cli-progress';
import { lazyModule } from './lazy.js';

/**
 * Progress on stderr, stdout is never touched:
 * - on a TTY a live line per step, redrawn every `redrawMs` (100 ms) by cli-progress's own timer even when the
 *   step reports nothing: a bar with counts, percentage and ETA once the step knows its size (`total`), else a
 *   spinner with the elapsed time; each finished step leaves one `✔ label counts (secs)` line;
 * - otherwise one plain line per finished step (`- label: counts (secs)`), no escape codes;
 * - nothing with --quiet or --json. NO_COLOR turns colour off.
 * Every step's wall time is recorded (`stepSeconds`), so a command can account for its whole duration.
 * The redraw timer only fires while the event loop is free: long JS loops use `mapChunks` to yield.
 */

const cliProgress = lazyModule<typeof import('cli-progress')>('cli-progress');

export interface ProgressOptions {
  /** false with --quiet / --json. */
  enabled: boolean;
  /** Defaults to process.stderr.isTTY. */
  tty?: boolean;
  /** Defaults to tty && NO_COLOR unset. */
  color?: boolean;
  /** Output; defaults to process.stderr. */
  write?: (chunk: string) => void;
  /** Terminal width for the live line; defaults to process.stderr.columns (80 when unknown). */
  columns?: number;
  /** Milliseconds; defaults to performance.now. */
  now?: () => number;
  /** Live-line redraw interval on a TTY, ms (default 100). */
  redrawMs?: number;
}

export interface StepHandle {
  /** Set the size once known (items, rows, chunks): the spinner becomes a bar with counts and ETA. */
  total(n: number): void;
  /** Add to the done count. */
  tick(n?: number): void;
  /** Replace the note shown after the counts. */
  note(text: string): void;
}

/** One finished step: its label, wall time in seconds and nesting depth (0 = not inside another step). */
export interface StepTiming {
  label: string;
  seconds: number;
  depth: number;
}

interface StepState {
  label: string;
  t0: number;
  done: number;
  total: number;
  note: string;
  bar: SingleBar | null;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 24;

const count = (n: number) => n.toLocaleString('en-US');

/** "4.2s", "1m05s". */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

export class Progress {
  private readonly enabled: boolean;
  private readonly tty: boolean;
  private readonly color: boolean;
  private readonly write: (chunk: string) => void;
  private readonly columns: number | undefined;
  private readonly now: () => number;
  private readonly redrawMs: number;
  private readonly started: number;
  private readonly stack: StepState[] = [];
  private readonly timings: StepTiming[] = [];

  constructor(options: ProgressOptions) {
    this.enabled = options.enabled;
    this.tty = options.tty ?? Boolean(process.stderr.isTTY);
    // no-color.org: NO_COLOR set to any non-empty value turns colour off.
    this.color = options.color ?? (this.tty && !process.env.NO_COLOR);
    this.write = options.write ?? ((s) => process.stderr.write(s));
    this.columns = options.columns ?? (options.write ? undefined : process.stderr.columns);
    this.now = options.now ?? (() => performance.now());
    this.redrawMs = options.redrawMs ?? 100;
    this.started = this.now();
  }

  /** Records step times, prints nothing (library use, tests). */
  static silent(): Progress {
    return new Progress({ enabled: false });
  }

  private paint(code: number, s: string): string {
    return this.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  }

  /** A one-off informational line (printed above the live line on a TTY). */
  info(message: string): void {
    if (!this.enabled) return;
    this.write(this.tty ? `\r\x1b[2K${message}\n` : `${message}\n`);
  }

  /** Run one named step, reporting its counts and elapsed time; nested steps pause the outer line. */
  async step<T>(label: string, fn: (h: StepHandle) => Promise<T> | T): Promise<T> {
    const state: StepState = { label, t0: this.now(), done: 0, total: 0, note: '', bar: null };
    const outer = this.stack.at(-1);
    if (outer) this.stopBar(outer);
    this.stack.push(state);
    this.startBar(state);
    const handle: StepHandle = {
      total: (n) => {
        state.total = n;
        state.bar?.setTotal(n);
      },
      tick: (n = 1) => {
        state.done += n;
        state.bar?.update(state.done);
      },
      note: (text) => {
        state.note = text;
        state.bar?.update(state.done, { note: text });
      },
    };
    let ok = false;
    try {
      const result = await fn(handle);
      ok = true;
      return result;
    } finally {
      this.stopBar(state);
      this.stack.pop();
      const seconds = (this.now() - state.t0) / 1000;
      this.timings.push({ label, seconds, depth: this.stack.length });
      this.finish(state, seconds, ok);
      if (outer) this.startBar(outer);
    }
  }

  /** Wall time of every step finished so far, in order (a label may repeat). */
  stepTimings(): StepTiming[] {
    return [...this.timings];
  }

  /** Seconds since this reporter was created. */
  elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }

  private startBar(state: StepState): void {
    if (!this.enabled || !this.tty) return;
    const { SingleBar } = cliProgress();
    const write = this.write;
    // cli-progress saves the cursor at start and restores it at stop; a line printed in between (info, a warning)
    // would then be overwritten, so those two sequences are dropped: the live line is always the last line.
    const stream = {
      isTTY: true,
      columns: this.columns ?? 80,
      write: (s: string) => {
        if (s !== '\x1B7' && s !== '\x1B8') write(s);
        return true;
      },
    };
    state.bar = new SingleBar({
      stream: stream as unknown as NodeJS.WritableStream,
      format: (_options, params) => this.liveLine(state, typeof params.eta === 'number' ? params.eta : undefined),
      fps: 1000 / this.redrawMs,
      // Redraw on every timer tick even when nothing changed: the elapsed time and spinner must move.
      forceRedraw: true,
      clearOnComplete: true,
      hideCursor: false,
      linewrap: false,
      etaBuffer: 50,
      etaAsynchronousUpdate: true,
    });
    state.bar.start(state.total, state.done, { note: state.note });
  }

  private stopBar(state: StepState): void {
    state.bar?.stop();
    state.bar = null;
  }

  /** The live line: bar with counts and ETA (cli-progress's estimate, seconds) when the size is known, else spinner and counts so far. */
  liveLine(state: Pick<StepState, 'label' | 't0' | 'done' | 'total' | 'note'>, etaSeconds?: number): string {
    const elapsed = (this.now() - state.t0) / 1000;
    const note = state.note ? ` ${state.note}` : '';
    if (state.total > 0) {
      const frac = Math.min(1, state.done / state.total);
      const filled = Math.round(frac * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      const eta = state.done > 0 && frac < 1 && etaSeconds !== undefined ? ` · ETA ${etaSeconds < 60 ? `${etaSeconds}s` : formatSeconds(etaSeconds)}` : '';
      return `▸ ${state.label} ${this.paint(36, bar)} ${count(state.done)}/${count(state.total)} ${Math.floor(frac * 100)}%${eta} · ${this.paint(2, formatSeconds(elapsed))}${note}`;
    }
    const frame = SPINNER[Math.floor((elapsed * 1000) / this.redrawMs) % SPINNER.length];
    const done = state.done > 0 ? ` ${count(state.done)}` : '';
    return `${this.paint(36, frame)} ${state.label}${done} ${this.paint(2, formatSeconds(elapsed))}${note}`;
  }

  private finish(state: StepState, seconds: number, ok: boolean): void {
    if (!this.enabled) return;
    const counts = state.total > 0 ? ` ${count(state.done)}/${count(state.total)}` : state.done > 0 ? ` ${count(state.done)}` : '';
    const note = state.note ? ` ${state.note}` : '';
    const secs = formatSeconds(seconds);
    if (this.tty) {
      this.write(ok ? `${this.paint(32, '✔')} ${state.label}${counts}${note} (${secs})\n` : `${this.paint(31, '✖')} ${state.label} (failed after ${secs})\n`);
    } else {
      this.write(ok ? `- ${state.label}:${counts}${note} (${secs})\n` : `- ${state.label}: failed after ${secs}\n`);
    }
  }
}

/** A macrotask turn: timers (the live line's redraw) run before the caller continues. `await` of a resolved promise is not enough. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Map `items` chunk by chunk, yielding to the event loop between chunks so the live line keeps redrawing, and
 * ticking `handle` per chunk (its total is set to the item count). For CPU-bound JS loops that would otherwise
 * block for seconds. `fn` gets each chunk and the index of its first item and returns one result per item;
 * results come back in input order, so chunking never changes them.
 */
export async function mapChunks<T, R>(
  items: readonly T[],
  fn: (chunk: readonly T[], offset: number) => readonly R[],
  options: { chunkSize?: number; handle?: StepHandle } = {},
): Promise<R[]> {
  const size = Math.max(1, options.chunkSize ?? 250);
  const out: R[] = [];
  options.handle?.total(items.length);
  for (let start = 0; start < items.length; start += size) {
    const chunk = items.slice(start, start + size);
    const results = fn(chunk, start);
    if (results.length !== chunk.length) throw new Error(`mapChunks: ${results.length} results for ${chunk.length} items`);
    for (const r of results) out.push(r);
    options.handle?.tick(chunk.length);
    if (start + size < items.length) await yieldToEventLoop();
  }
  return out;
}

/**
 * Keeps a long synchronous loop responsive where `mapChunks` does not fit (loops that build several columns):
 * `await pace()` after each item ticks `handle` and, every `every` items, yields to the event loop so the live
 * line redraws.
 */
export function pacer(handle?: StepHandle, every = 250): () => Promise<void> {
  let n = 0;
  return () => {
    handle?.tick();
    n += 1;
    return n % every === 0 ? yieldToEventLoop() : Promise.resolve();
  };
}
