import type { SingleBar } from 'cli-progress';

/** What the live line shows for one running step. */
export interface LiveState {
  label: string;
  done: number;
  total: number;
  note: string;
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

const paint = (color: boolean, code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * The live line of a step `elapsed` seconds in: a bar with counts, percentage and ETA (seconds, cli-progress's
 * estimate) once the size is known, else a spinner (one frame per `redrawMs`) with the counts so far.
 */
export function renderLiveLine(state: LiveState, elapsed: number, etaSeconds: number | undefined, o: { color: boolean; redrawMs: number }): string {
  const note = state.note ? ` ${state.note}` : '';
  if (state.total > 0) {
    const frac = Math.min(1, state.done / state.total);
    const filled = Math.round(frac * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const eta = state.done > 0 && frac < 1 && etaSeconds !== undefined ? ` · ETA ${etaSeconds < 60 ? `${etaSeconds}s` : formatSeconds(etaSeconds)}` : '';
    return `▸ ${state.label} ${paint(o.color, 36, bar)} ${count(state.done)}/${count(state.total)} ${Math.floor(frac * 100)}%${eta} · ${paint(o.color, 2, formatSeconds(elapsed))}${note}`;
  }
  const frame = SPINNER[Math.floor((elapsed * 1000) / o.redrawMs) % SPINNER.length];
  const done = state.done > 0 ? ` ${count(state.done)}` : '';
  return `${paint(o.color, 36, frame)} ${state.label}${done} ${paint(o.color, 2, formatSeconds(elapsed))}${note}`;
}

/** The one-line ✔ / ✖ / plain record a finished step leaves. */
export function finishedLine(state: LiveState, seconds: number, ok: boolean, o: { tty: boolean; color: boolean }): string {
  const counts = state.total > 0 ? ` ${count(state.done)}/${count(state.total)}` : state.done > 0 ? ` ${count(state.done)}` : '';
  const note = state.note ? ` ${state.note}` : '';
  const secs = formatSeconds(seconds);
  if (o.tty) return ok ? `${paint(o.color, 32, '✔')} ${state.label}${counts}${note} (${secs})\n` : `${paint(o.color, 31, '✖')} ${state.label} (failed after ${secs})\n`;
  return ok ? `- ${state.label}:${counts}${note} (${secs})\n` : `- ${state.label}: failed after ${secs}\n`;
}

/**
 * A cli-progress bar drawing `line()` on `write` every `redrawMs`, even when nothing changed (the spinner and
 * elapsed time move). The cursor save/restore sequences are dropped: a line printed in between (info, a
 * warning) would otherwise be overwritten, and the live line is always the last line.
 */
export function liveBar(
  SingleBarClass: typeof SingleBar,
  write: (s: string) => void,
  columns: number,
  redrawMs: number,
  line: (etaSeconds: number | undefined) => string,
): SingleBar {
  const stream = {
    isTTY: true,
    columns,
    write: (s: string) => {
      if (s !== '\x1B7' && s !== '\x1B8') write(s);
      return true;
    },
  };
  return new SingleBarClass({
    stream: stream as unknown as NodeJS.WritableStream,
    format: (_options, params) => line(typeof params.eta === 'number' ? params.eta : undefined),
    fps: 1000 / redrawMs,
    forceRedraw: true,
    clearOnComplete: true,
    hideCursor: false,
    linewrap: false,
    etaBuffer: 50,
    etaAsynchronousUpdate: true,
  });
}
