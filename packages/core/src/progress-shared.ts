/** Layout of the state the main thread shares with the live-line worker (see progress-worker.ts). */
export const ACTIVE = 0;
export const DRAWING = 1;
export const SEQ = 2;
/** Byte offset of the Float64 counts after the three Int32 control words (8-byte aligned). */
export const COUNTS_OFFSET = 16;
export const DONE = 0;
export const TOTAL = 1;
export const SHARED_BYTES = COUNTS_OFFSET + 16;

export interface LiveWorkerData {
  sab: SharedArrayBuffer;
  /** File descriptor the live line is written to (2: stderr). */
  fd: number;
  columns: number;
  redrawMs: number;
  color: boolean;
}

export type LiveWorkerMessage =
  /** startedAt: when the step started, ms since the epoch (performance.timeOrigin + now(): the threads' own clocks start apart). */
  | { type: 'start'; seq: number; label: string; note: string; startedAt: number }
  | { type: 'note'; seq: number; note: string }
  | { type: 'stop' };
