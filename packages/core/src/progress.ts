import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { SingleBar } from 'cli-progress';
import { lazyModule } from './lazy.js';
import { finishedLine, liveBar, renderLiveLine } from './progress-line.js';
import { ACTIVE, COUNTS_OFFSET, DONE, DRAWING, SEQ, SHARED_BYTES, TOTAL, type LiveWorkerData, type LiveWorkerMessage } from './progress-shared.js';

export { formatSeconds } from './progress-line.js';

/**
 * Progress on stderr, stdout is never touched:
 * - on a TTY a live line per step, redrawn every `redrawMs` (100 ms) by cli-progress's own timer even when the
 *   step reports nothing: a bar with counts, percentage and ETA once the step knows its size (`total`), else a
 *   spinner with the elapsed time; each finished step leaves one `✔ label counts (secs)` line;
 * - otherwise one plain line per finished step (`- label: counts (secs)`), no escape codes;
 * - nothing with --quiet or --json. NO_COLOR turns colour off.
 * Every step's wall time is recorded (`stepSeconds`), so a command can account for its whole duration.
 * On a real terminal (stderr, no `write` given) the live line is drawn by a worker thread (progress-worker.ts), so
 * it keeps moving while the main thread is busy in synchronous work; with an injected `write` (tests) it is drawn
 * by cli-progress's timer on the main thread, which fires only while the event loop is free (long JS loops use
 * `mapChunks` to yield).
 */

/** SGR colour sequences (built from a string: the lint rule forbids control characters in regex literals). */
const ESC = '\u001b';
const COLOUR_CODES = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

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
  /** Draw the live line from a worker thread (default: on a TTY when writing to the real stderr). */
  worker?: boolean;
}

export interface StepHandle {
  /** Set the size once known (items, rows, chunks): the spinner becomes a bar with counts and ETA. */
  total(n: number): void;
  /** Add to the done count. */
  tick(n?: number): void;
  /** Replace the note shown after the counts. */
  note(text: string): void;
}

/**
 * One finished step: its label, wall time in seconds, nesting depth (0 = not inside another step) and what it
 * counted (`done` of `total` items; 0 when it counted nothing). The label is the step's stable id (run.json keys
 * its stage times by it), so it never carries a count: counts go through the handle (`total`, `tick`).
 */
export interface StepTiming {
  label: string;
  seconds: number;
  depth: number;
  done: number;
  total: number;
}

interface StepState {
  label: string;
  t0: number;
  done: number;
  total: number;
  note: string;
  bar: SingleBar | null;
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
  private readonly useWorker: boolean;
  private liveWorker: WorkerLiveLine | null = null;
  private leadState: StepState | null = null;

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
    this.useWorker = options.worker ?? (this.enabled && this.tty && !options.write);
  }

  /** Records step times, prints nothing (library use, tests). */
  static silent(): Progress {
    return new Progress({ enabled: false });
  }

  /** A one-off informational line (printed above the live line on a TTY). */
  info(message: string): void {
    // The command has started its own output: its "loading" step is over.
    this.endLead();
    if (!this.enabled) return;
    if (!this.tty) return this.write(`${message}\n`);
    this.liveWorker?.suspend();
    this.write(`\r\x1b[2K${message}\n`);
    this.liveWorker?.resume();
  }

  /**
   * A first step with no function of its own ("loading" while a command's modules load, before it can run a
   * step): its spinner is drawn at once and it ends, leaving its ✔ line and timing, when the first step starts or
   * `endLead()` is called. Ignored while a step runs.
   */
  lead(label: string): void {
    if (this.leadState || this.stack.length > 0) return;
    this.leadState = { label, t0: this.now(), done: 0, total: 0, note: '', bar: null };
    this.startBar(this.leadState);
  }

  /** End the lead step: recorded and left as a ✔ line, or with `discard` (the command failed before it began) cleared without a trace. */
  endLead(options: { discard?: boolean } = {}): void {
    const state = this.leadState;
    if (!state) return;
    this.leadState = null;
    this.stopBar(state);
    if (options.discard) return;
    const seconds = (this.now() - state.t0) / 1000;
    this.timings.push({ label: state.label, seconds, depth: 0, done: 0, total: 0 });
    this.finish(state, seconds, true);
  }

  /**
   * A warning on stderr: printed even with --quiet or --json (it is not progress), above the live line on a
   * terminal (never run into it); ends the lead step first.
   */
  warn(message: string): void {
    this.endLead();
    const live = this.enabled && this.tty;
    if (live) this.liveWorker?.suspend();
    this.write(`${live ? '\r\x1b[2K' : ''}Warning: ${message}\n`);
    if (live) this.liveWorker?.resume();
  }

  /** Run one named step, reporting its counts and elapsed time; nested steps pause the outer line. */
  async step<T>(label: string, fn: (h: StepHandle) => Promise<T> | T): Promise<T> {
    this.endLead();
    const state: StepState = { label, t0: this.now(), done: 0, total: 0, note: '', bar: null };
    const outer = this.stack.at(-1);
    if (outer) this.stopBar(outer);
    this.stack.push(state);
    this.startBar(state);
    const handle: StepHandle = {
      total: (n) => {
        state.total = n;
        state.bar?.setTotal(n);
        if (this.stack.at(-1) === state) this.liveWorker?.counts(state);
      },
      tick: (n = 1) => {
        state.done += n;
        state.bar?.update(state.done);
        if (this.stack.at(-1) === state) this.liveWorker?.counts(state);
      },
      note: (text) => {
        state.note = text;
        state.bar?.update(state.done, { note: text });
        if (this.stack.at(-1) === state) this.liveWorker?.note(text);
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
      this.timings.push({ label, seconds, depth: this.stack.length, done: state.done, total: state.total });
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
    if (this.useWorker) {
      this.liveWorker ??= new WorkerLiveLine({ fd: 2, columns: this.columns || 80, redrawMs: this.redrawMs, color: this.color });
      // Drawn here at once: a worker booting on a busy machine takes a while to draw its first frame.
      this.liveWorker.start(state, this.now() - state.t0, this.firstFrame(state));
      return;
    }
    const { SingleBar } = cliProgress();
    state.bar = liveBar(SingleBar, this.write, this.columns ?? 80, this.redrawMs, (eta) => this.liveLine(state, eta));
    state.bar.start(state.total, state.done, { note: state.note });
  }

  private stopBar(state: StepState): void {
    this.liveWorker?.stop();
    state.bar?.stop();
    state.bar = null;
  }

  /** The live line: bar with counts and ETA (cli-progress's estimate, seconds) when the size is known, else spinner and counts so far. */
  liveLine(state: Pick<StepState, 'label' | 't0' | 'done' | 'total' | 'note'>, etaSeconds?: number): string {
    return renderLiveLine(state, (this.now() - state.t0) / 1000, etaSeconds, { color: this.color, redrawMs: this.redrawMs });
  }

  /** The live line as the worker would draw it first, cut to the terminal width (no wrapping). */
  private firstFrame(state: StepState): string {
    const width = Math.max(1, (this.columns || 80) - 1);
    const line = this.liveLine(state);
    // Colour codes take no columns: a line too wide is cut without them.
    const plain = line.replace(COLOUR_CODES, '');
    return plain.length <= width ? line : plain.slice(0, width);
  }

  private finish(state: StepState, seconds: number, ok: boolean): void {
    if (!this.enabled) return;
    this.write(finishedLine(state, seconds, ok, { tty: this.tty, color: this.color }));
  }
}

/**
 * The main thread's side of the live-line worker (progress-worker.ts): starts it on the first step, shares the
 * counts through memory (no message needed while the main thread is busy), and takes the line back
 * synchronously before the main thread writes anything of its own.
 */
class WorkerLiveLine {
  private readonly worker: Worker;
  private readonly ctl: Int32Array;
  private readonly shared: Float64Array;
  private readonly fd: number;
  private seq = 0;

  constructor(o: Omit<LiveWorkerData, 'sab'>) {
    const sab = new SharedArrayBuffer(SHARED_BYTES);
    this.ctl = new Int32Array(sab, 0, 3);
    this.shared = new Float64Array(sab, COUNTS_OFFSET, 2);
    this.fd = o.fd;
    const data: LiveWorkerData = { sab, ...o };
    this.worker = new Worker(new URL('./progress-worker.js', import.meta.url), { workerData: data, stdout: false, stderr: false });
    // The line is a nicety: a worker that cannot run leaves the steps' ✔ lines, never fails the command.
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  /** Show `frame` at once (nothing else is drawing: ACTIVE is 0), then let the worker redraw from there. */
  start(state: StepState, elapsedMs: number, frame: string): void {
    writeSync(this.fd, `\r\x1b[2K${frame}`);
    this.counts(state);
    this.seq += 1;
    Atomics.store(this.ctl, SEQ, this.seq);
    // The message may reach a worker that is still booting: it gets the start time, not an elapsed time that would be stale.
    this.post({ type: 'start', seq: this.seq, label: state.label, note: state.note, startedAt: performance.timeOrigin + performance.now() - elapsedMs });
    Atomics.store(this.ctl, ACTIVE, 1);
  }

  counts(state: Pick<StepState, 'done' | 'total'>): void {
    this.shared[DONE] = state.done;
    this.shared[TOTAL] = state.total;
  }

  note(text: string): void {
    this.post({ type: 'note', seq: this.seq, note: text });
  }

  /** Stop drawing and wait for a frame being written to finish; the caller may then write. */
  suspend(): void {
    Atomics.store(this.ctl, ACTIVE, 0);
    while (Atomics.load(this.ctl, DRAWING) === 1) Atomics.wait(this.ctl, DRAWING, 1, 20);
  }

  resume(): void {
    Atomics.store(this.ctl, ACTIVE, 1);
  }

  /** Take the line back and clear it (the step's ✔ line follows). */
  stop(): void {
    if (Atomics.load(this.ctl, ACTIVE) === 0) return;
    this.suspend();
    this.post({ type: 'stop' });
    writeSync(this.fd, '\r\x1b[2K');
  }

  private post(m: LiveWorkerMessage): void {
    this.worker.postMessage(m);
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
