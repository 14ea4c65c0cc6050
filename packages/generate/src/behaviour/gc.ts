import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | null | undefined;

/**
 * Run a full garbage collection now, so large typed arrays that are no longer referenced give their
 * memory back before a long wait (e.g. DuckDB writing a big table while this thread holds nothing to
 * do). Without it V8 frees them only at its next collection, which an idle thread reaches after ~8 s
 * (its memory reducer). Uses `gc` from a fresh context created with `--expose-gc` (set at run time;
 * the flag only adds that global). Never changes any value; a no-op when the runtime refuses.
 */
export function collectGarbage(): void {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  collector?.();
}
