import { EVENT_KINDS, type DetectedEvent, type EventRecall } from '../schemas/data-health.js';
import { round } from './health.js';

/** An injected event as the ground truth (defects.json) records it. */
export interface InjectedEvent {
  kind: string;
  table: string;
  column: string | null;
  days: string[];
}

/** defects.json kinds → detected kinds (foreign-key failures are one detected kind). */
const KIND_OF: Record<string, DetectedEvent['kind']> = {
  null_spike: 'null_spike',
  schema_gap: 'schema_gap',
  ingest_lag: 'ingest_lag',
  duplicate: 'duplicate',
  fk_missing: 'fk_failure',
  fk_temporal: 'fk_failure',
};

/** A schema gap shows as null-spike days too, and a one-day gap as a null spike: either detection finds it. */
const compatible = (injected: DetectedEvent['kind'], detected: DetectedEvent['kind']) =>
  injected === detected || ((injected === 'schema_gap' || injected === 'null_spike') && (detected === 'schema_gap' || detected === 'null_spike'));

function matches(i: InjectedEvent & { kind: DetectedEvent['kind'] }, d: DetectedEvent): boolean {
  if (i.table !== d.table || !compatible(i.kind, d.kind)) return false;
  if (i.column && d.column && i.column !== d.column) return false;
  return d.days.some((day) => i.days.includes(day));
}

/**
 * Detected vs injected events per kind. Only dated injected events can be matched (defects.json records rate
 * defects such as spread-out duplicates without days): recall is null when a kind has none, and precision too,
 * since a detection cannot be judged against undated truth. Key-null outages (a key_null entry dated on its
 * outage days) are no event kind of their own, so they count in no recall, but a null-spike or schema-gap
 * detection of the column on an outage day is right (the outage is real). Shares rounded to 4 decimals.
 */
export function eventRecall(detected: readonly DetectedEvent[], injected: readonly InjectedEvent[]): Record<string, EventRecall> {
  const dated = injected.filter((e) => e.days.length && KIND_OF[e.kind]).map((e) => ({ ...e, kind: KIND_OF[e.kind] }));
  const outages = injected.filter((e) => e.days.length && e.kind === 'key_null').map((e) => ({ ...e, kind: 'null_spike' as const }));
  const out: Record<string, EventRecall> = {};
  for (const kind of EVENT_KINDS) {
    const inj = dated.filter((e) => e.kind === kind);
    const det = detected.filter((e) => e.kind === kind);
    const datedCompatible = [...dated, ...outages].filter((e) => compatible(e.kind, kind));
    const found = inj.filter((i) => detected.some((d) => matches(i, d))).length;
    const right = det.filter((d) => datedCompatible.some((i) => matches(i, d))).length;
    out[kind] = {
      injected: inj.length,
      detected: det.length,
      recall: inj.length ? round(found / inj.length, 4) : null,
      precision: det.length && datedCompatible.length ? round(right / det.length, 4) : null,
    };
  }
  return out;
}
