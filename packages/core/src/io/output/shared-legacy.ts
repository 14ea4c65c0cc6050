import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';

/** Recognises files an older dnr wrote there before folders were marked (by name and content). */
export function writtenByOlderDnr(file: string): boolean {
  const name = path.basename(file);
  try {
    if (name === 'defects.json') {
      const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      return typeof j === 'object' && j !== null && 'archetype' in j && Array.isArray(j.defects);
    }
    if (name === 'index.md') return readFileSync(file, 'utf8').startsWith('# dnr reports');
    if (name === 'index.html') return readFileSync(file, 'utf8').includes('<title>dnr reports</title>');
    if (/^labels_(slack|email|nlq)\.parquet$/.test(name)) return parquetFooterMentions(file, ['theme']);
  } catch {
    return false;
  }
  return false;
}

/** Whether a Parquet file (PAR1 magic) names all `columns` in its footer. */
function parquetFooterMentions(file: string, columns: string[]): boolean {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const n = Math.min(size, 65536);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, size - n);
    if (buf.subarray(n - 4).toString('latin1') !== 'PAR1') return false;
    const text = buf.toString('latin1');
    return columns.every((c) => text.includes(c));
  } finally {
    closeSync(fd);
  }
}

/** Files only a shared folder holds; a folder with one of these keys is a dnr output, not a mirror. */
const SHARED_NAMES = /^(defects\.json|index\.(md|html)|labels_(slack|email|nlq)\.parquet)$/;
const OUTPUT_KEYS = ['manifest.json', 'exec_summary.json', 'validate.json', 'metrics.json'];

/**
 * Whether an unmarked folder is a shared folder an older dnr wrote (a `meta/{arch}` mirror or the
 * `reports/` index): it holds ground truth or an index dnr wrote, and none of the key files of an output.
 */
export function holdsLegacyMirror(dir: string): boolean {
  if (OUTPUT_KEYS.some((k) => existsSync(path.join(dir, k)))) return false;
  return readdirSync(dir).some((name) => SHARED_NAMES.test(name) && writtenByOlderDnr(path.join(dir, name)));
}
