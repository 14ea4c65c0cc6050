import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExecSummarySchema, format, names, renderIndexHtml, REPORT_HTML, type IndexEntry } from '@dnr/report';
import type { ArchetypeOutcome } from './quickstart.js';

const rel = (from: string, target: string) => path.relative(from, target).split(path.sep).join('/');

/** reports/index.html: per archetype, the window, the actions and links to its self-contained page and data. */
export function renderIndexPage(outcomes: ArchetypeOutcome[], meta: { scale: string; noLlm: boolean; reportsDir: string }): string {
  const entries: IndexEntry[] = outcomes.map((o) => {
    const s = ExecSummarySchema.parse(JSON.parse(readFileSync(path.join(o.paths.report, 'exec_summary.json'), 'utf8')));
    const demand = s.gap_source === 'health_only' ? 'demand not measured (themes skipped)' : `demand from the ${s.themes_engine} classifier`;
    return {
      id: o.archetype,
      title: names.archetypeName(o.archetype),
      href: rel(meta.reportsDir, path.join(o.paths.report, REPORT_HTML)),
      summary: [
        `${format.date(s.window.start)} – ${format.date(s.window.end)}: ${format.count(s.data_health.guardrails_failing)} of ${format.count(s.data_health.guardrails_total)} data-health checks of the warehouse fail (the problems this report ranks); ${demand}. The generated files ${o.validate.passed ? 'pass' : 'fail'} dnr validate (their own consistency checks).`,
      ],
      actions: s.actions.map((a) => `${a.title} (confidence ${format.confidenceWord(a.confidence)})`),
      links: [
        { label: 'exec_summary.json', href: rel(meta.reportsDir, path.join(o.paths.report, 'exec_summary.json')) },
        { label: 'data_health.csv', href: rel(meta.reportsDir, path.join(o.paths.report, 'data_health.csv')) },
        { label: 'validation', href: rel(meta.reportsDir, path.join(o.paths.qc, 'validate.md')) },
      ],
    };
  });
  return renderIndexHtml('dnr reports', `Scale ${meta.scale} · ${meta.noLlm ? 'no network calls (--no-llm)' : 'LLM allowed'} · one self-contained page per archetype`, entries);
}
