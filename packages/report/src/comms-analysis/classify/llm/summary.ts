import type { CommsAnalysis } from '../../types.js';

/** USD with enough digits for LLM spend (fractions of a cent matter under a $0.10 cap). */
const dollars = (v: number) => `$${v < 0.01 && v > 0 ? v.toFixed(6) : v.toFixed(4)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The run summary's LLM line: booked spend against each cap (including what an interrupted earlier
 * process of the same run booked), requests, and every kind of failure of classification and entity
 * extraction. Null when no LLM was used.
 */
export function llmSummaryLine(llm: CommsAnalysis['llm'], sources?: CommsAnalysis['sources']): string | null {
  if (!llm) return null;
  const c = llm.classify;
  const e = llm.entities;
  const count = (f: 'parseErrors' | 'refusals' | 'errors') => (sources ? Object.values(sources).reduce((a, s) => a + s[f], 0) : 0);
  const resumed = (usd: number) => (usd > 0 ? `, ${dollars(usd)} of it booked by an interrupted earlier run` : '');
  const classify = `classification ${dollars(c.actual_usd)} of ${dollars(c.cap_usd)} (${plural(c.requests, 'request')}, ${c.cache_hits} from cache, ${plural(count('parseErrors'), 'parse error')}, ${plural(count('refusals'), 'refusal')}, ${plural(count('errors'), 'failed request')}${c.no_usage ? `, ${c.no_usage} without usage booked at worst case` : ''}${resumed(c.resumed_usd)})`;
  const entities = `entities ${dollars(e.actual_usd)} of ${dollars(e.cap_usd)} (${e.items_asked} asked, ${e.answered} answered, ${plural(e.parse_errors, 'parse error')}, ${plural(e.refusals, 'refusal')}, ${plural(e.errors, 'failed request')}${e.items_not_sent ? `, ${e.items_not_sent} not sent` : ''}${e.first_error ? `; first error: ${e.first_error}` : ''}${resumed(e.resumed_usd)})`;
  return `LLM spend: ${classify}; ${entities}.`;
}

/** Every partial source with its reason, sources with the same reason named together: "slack, email: …; nlq: …". */
export function partialSummary(partials: ReadonlyArray<readonly [string, string]>): string {
  const byReason = new Map<string, string[]>();
  for (const [source, reason] of partials) byReason.set(reason, [...(byReason.get(reason) ?? []), source]);
  return [...byReason].map(([reason, names]) => `${names.join(', ')}: ${reason.replace(/\.+$/, '')}`).join('; ');
}
