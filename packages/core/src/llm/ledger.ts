import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface LedgerEntry {
  run: string;
  seq: number;
  purpose: string;
  model: string;
  /** Cache key of the request (a hash; never the API key). */
  key: string;
  event: 'reserve' | 'settle' | 'release' | 'not_sent' | 'cache_hit';
  attempt?: number;
  prompt_tokens_est?: number;
  max_output_tokens?: number;
  estimated_usd?: number;
  actual_usd?: number;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  note?: string;
  ts: string;
}

/**
 * Append-only JSONL spend ledger. Each line is written synchronously before the next step of the
 * request, so a crash loses at most the line being written.
 */
export class SpendLedger {
  constructor(private readonly file: string | undefined) {
    if (file) mkdirSync(path.dirname(file), { recursive: true });
  }

  append(entry: Omit<LedgerEntry, 'ts'>): void {
    if (!this.file) return;
    appendFileSync(this.file, `${JSON.stringify({ ...entry, ts: new Date().toISOString() })}\n`);
  }
}

/** Read a ledger back (for tests and reports); malformed lines are skipped. */
export function readLedger(text: string): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as LedgerEntry);
    } catch {
      // a torn last line after a crash
    }
  }
  return out;
}
