import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * "neobank · run neobank-1a2b3c": which archetype and run an evaluation chart belongs to. The
 * archetype comes from the run's run.json beside the preds folder, else from the labels folder name.
 */
export function chartSubtitle(m: { pred_dir: string; labels_dir: string; run_id: string }): string {
  let archetype = path.basename(path.resolve(m.labels_dir));
  const runJson = path.join(path.resolve(m.pred_dir), '..', 'run.json');
  if (existsSync(runJson)) {
    try {
      const a = (JSON.parse(readFileSync(runJson, 'utf8')) as { archetype?: unknown }).archetype;
      if (typeof a === 'string' && a) archetype = a;
    } catch {
      // An unreadable run.json only costs the subtitle its archetype from the run.
    }
  }
  return `${archetype} · run ${m.run_id}`;
}
