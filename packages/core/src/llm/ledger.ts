import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export type LedgerEvent = 'reserve' | 'settle' | 'release' | 'not_sent' | 'cache_hit' | 'resume' | 'close';

export interface LedgerEntry {
  /** Client instance (one process, one purpose). */
  run: string;
  seq: number;
  purpose: string;
  model: string;
  /** Cache key of the request (a hash; never the API key). */
  key?: string;
  event: LedgerEvent;
  /** Reservation id (`run:n`): links a reserve to its settle or release. */
  rid?: string;
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
 * request (the reserve line before the HTTP request leaves), so a crash — even kill -9 — loses at
 * most the line being written, and a request in flight stays booked at its worst case.
 */
export class SpendLedger {
  constructor(private readonly file: string | undefined) {
    if (file) mkdirSync(path.dirname(file), { recursive: true });
  }

  get path(): string | undefined {
    return this.file;
  }

  append(entry: Omit<LedgerEntry, 'ts'>): void {
    if (!this.file) return;
    appendFileSync(this.file, `${JSON.stringify({ ...entry, ts: new Date().toISOString() })}\n`);
  }
}

/** Read a ledger back; malformed lines (a torn last line after a crash) are skipped. */
export function readLedger(text: string): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as LedgerEntry;
      if (e && typeof e === 'object' && typeof e.event === 'string') out.push(e);
    } catch {
      // a torn last line after a crash
    }
  }
  return out;
}

/**
 * USD booked by a ledger: each reservation at its settled amount, released ones at 0, and one with
 * neither (the process died with the request in flight) at its worst case. Lines of ledgers written
 * before reservation ids existed pair by run, key and attempt.
 */
export function ledgerBookedUsd(entries: readonly LedgerEntry[]): number {
  const booked = new Map<string, number>();
  const ridOf = (e: LedgerEntry) => e.rid ?? `${e.run}:${e.key ?? ''}:${e.attempt ?? 0}`;
  for (const e of entries) {
    const amount = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
    if (e.event === 'reserve') booked.set(ridOf(e), amount(e.estimated_usd) ?? 0);
    else if (e.event === 'settle') booked.set(ridOf(e), Math.max(amount(e.actual_usd) ?? amount(e.estimated_usd) ?? 0, 0));
    else if (e.event === 'release') booked.set(ridOf(e), 0);
  }
  let sum = 0;
  for (const v of booked.values()) sum += v;
  return sum;
}

/**
 * The history file next to a ledger: `comms_llm_ledger.jsonl` → `comms_llm_history.jsonl`,
 * `llm_ledger_classify.jsonl` → `llm_history_classify.jsonl` (not named `*ledger*`, so spend checks that
 * read the current run's ledgers do not add up finished runs).
 */
export function ledgerHistoryPath(file: string): string {
  const base = path.basename(file);
  const history = /ledger/i.test(base) ? base.replace(/ledger/i, 'history') : base.replace(/(\.jsonl)?$/, '.history.jsonl');
  return path.join(path.dirname(file), history);
}

/**
 * Open the ledger of a run for a new process. A ledger whose last line is `close` belongs to a run
 * that finished: its lines move to the history file (nothing is ever deleted) and the new run starts
 * at $0. Any other ledger belongs to an interrupted run: the new process resumes it, starting from
 * everything it booked. Returns the USD already booked.
 */
export function resumeLedger(file: string | undefined): number {
  if (!file || !existsSync(file)) return 0;
  const text = readFileSync(file, 'utf8');
  const entries = readLedger(text);
  if (entries.length === 0) return 0;
  if (entries[entries.length - 1].event === 'close') {
    appendFileSync(ledgerHistoryPath(file), text.endsWith('\n') ? text : `${text}\n`);
    rmSync(file, { force: true });
    return 0;
  }
  return ledgerBookedUsd(entries);
}

/** USD an interrupted run's ledger booked (0 when the file is missing or the run finished: last line `close`). */
export function openLedgerBookedUsd(file: string): number {
  if (!existsSync(file)) return 0;
  const entries = readLedger(readFileSync(file, 'utf8'));
  if (entries.length === 0 || entries[entries.length - 1].event === 'close') return 0;
  return ledgerBookedUsd(entries);
}
