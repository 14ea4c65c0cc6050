import { EVAL_SOURCES, type EvalSettings, type EvalSource, type GateResult, type SourceMetrics } from './types.js';

/** docs/classifier.md gates: Slack/email theme and relevance macro-F1, NLQ theme macro-F1, coverage per source. */
export function evaluateGates(sources: Partial<Record<EvalSource, SourceMetrics>>, settings: EvalSettings): GateResult[] {
  const g = settings.gates;
  const gates: GateResult[] = [];
  for (const source of EVAL_SOURCES) {
    const m = sources[source];
    const checks: Array<[GateResult['metric'], number | null | undefined, number]> =
      source === 'nlq'
        ? [['theme_macro_f1', m?.tasks.theme?.macro_f1, g.nlq_theme_macro_f1]]
        : [
            ['theme_macro_f1', m?.tasks.theme?.macro_f1, g.theme_macro_f1],
            ['relevance_macro_f1', m?.tasks.relevance?.macro_f1, g.relevance_macro_f1],
          ];
    checks.push(['coverage', m?.coverage, g.coverage]);
    for (const [metric, value, bound] of checks) {
      const verdict = m === undefined ? 'skip' : value !== null && value !== undefined && value >= bound ? 'pass' : 'fail';
      gates.push({ name: `${source}.${metric}`, source, metric, value: value ?? null, bound, op: '>=', verdict });
    }
  }
  return gates;
}
