import { writeSync } from 'node:fs';

/**
 * Test-only hook: when the environment variable TESTHOOK_DNR_PAUSE_AT names a phase, the process
 * announces `TESTHOOK paused at <phase> pid=<pid>` on stderr when it reaches that phase and then
 * sleeps (blocking, no CPU) so a test can `kill -9` it at exactly that point. The name deliberately
 * does not start with `DNR_`, which is reserved for configuration.
 */
export const PAUSE_ENV = 'TESTHOOK_DNR_PAUSE_AT';

const PAUSE_MS = 120_000;

/** Pause here when the test hook names `phase` (a no-op otherwise). */
export function pausePoint(phase: string): void {
  const wanted = process.env[PAUSE_ENV];
  if (!wanted || !wanted.split(',').includes(phase)) return;
  writeSync(2, `TESTHOOK paused at ${phase} pid=${process.pid}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PAUSE_MS);
}
