/**
 * The live progress line, drawn from its own thread so it keeps moving (every `redrawMs`) while the main thread
 * is busy in synchronous work (a simulation loop, a model file being parsed, module loading).
 *
 * Shared state (an Int32Array over `sab`): [ACTIVE, DRAWING, SEQ]; counts (a Float64Array after it): [DONE,
 * TOTAL]. The main thread owns ACTIVE and SEQ, the worker DRAWING. A frame is written only while ACTIVE is 1
 * and the frame's step is the current SEQ; the main thread clears ACTIVE and waits until DRAWING is 0 before it
 * writes a line of its own, so the two never interleave (both use blocking writes to the same fd).
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { SingleBar } from 'cli-progress';
import { liveBar, renderLiveLine } from './progress-line.js';
import { ACTIVE, COUNTS_OFFSET, DONE, DRAWING, SEQ, TOTAL, type LiveWorkerData, type LiveWorkerMessage } from './progress-shared.js';

const data = workerData as LiveWorkerData;
const ctl = new Int32Array(data.sab, 0, 3);
const counts = new Float64Array(data.sab, COUNTS_OFFSET, 2);
const { SingleBar: SingleBarClass } = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');

let current: { seq: number; label: string; note: string; t0: number; bar: SingleBar; firstTick: { t: number; done: number } | null } | null = null;

/**
 * Seconds left at the rate measured since the step's first tick (not since it started: a step that spends a while
 * setting up before its first item would otherwise show an ETA of hours at first).
 */
function etaSeconds(c: NonNullable<typeof current>): number | undefined {
  const done = counts[DONE];
  const total = counts[TOTAL];
  if (!c.firstTick || done <= c.firstTick.done || total <= done) return undefined;
  const rate = (done - c.firstTick.done) / (performance.now() - c.firstTick.t);
  return Math.round((total - done) / rate / 1000);
}

function guardedWrite(seq: number, s: string): void {
  Atomics.store(ctl, DRAWING, 1);
  try {
    if (Atomics.load(ctl, ACTIVE) === 1 && Atomics.load(ctl, SEQ) === seq) writeSync(data.fd, s);
  } finally {
    Atomics.store(ctl, DRAWING, 0);
    Atomics.notify(ctl, DRAWING);
  }
}

function stopCurrent(): void {
  const c = current;
  current = null;
  c?.bar.stop();
}

parentPort!.on('message', (m: LiveWorkerMessage) => {
  if (m.type === 'stop') return stopCurrent();
  if (m.type === 'note') {
    if (current?.seq === m.seq) current.note = m.note;
    return;
  }
  stopCurrent();
  const seq = m.seq;
  const state = { seq, label: m.label, note: m.note, t0: m.startedAt - performance.timeOrigin, bar: null as unknown as SingleBar, firstTick: null };
  state.bar = liveBar(SingleBarClass, (s) => guardedWrite(seq, s), data.columns, data.redrawMs, () =>
    renderLiveLine({ label: state.label, done: counts[DONE], total: counts[TOTAL], note: state.note }, (performance.now() - state.t0) / 1000, etaSeconds(state), data),
  );
  current = state;
  state.bar.start(counts[TOTAL], counts[DONE]);
});

// Feed the counts the main thread stores (it cannot post while it is busy) to the bar, for its ETA and redraw.
setInterval(() => {
  const c = current;
  if (!c) return;
  if (!c.firstTick && counts[DONE] > 0) c.firstTick = { t: performance.now(), done: counts[DONE] };
  if (c.bar.getTotal() !== counts[TOTAL]) c.bar.setTotal(counts[TOTAL]);
  c.bar.update(counts[DONE]);
}, data.redrawMs);
