import type { ExecSummary } from '../schemas/exec-summary.js';
import { renderMarkdown, type ReportDoc } from './doc.js';
import { count, date } from './format.js';
import { actionSection, decisionSection, hiddenBlocks } from './memo/decision.js';
import { figuresSection, filesSection, healthSection, kpiSection, scoringSection, themesSection } from './memo/context.js';
import { archetypeName } from './names.js';

/**
 * The report, read top to bottom as a decision-maker would: the decision memo, one section per
 * action, KPIs against the previous window, data health in words, what people ask about, figures,
 * how the ranking works and the files behind it. Built only from exec_summary.json.
 */
export function buildReportDoc(s: ExecSummary): ReportDoc {
  const decision = decisionSection(s);
  decision.blocks.push(...hiddenBlocks(s));
  return {
    title: `${archetypeName(s.archetype)}: data-needs report`,
    subtitle: [`The ${count(s.window.days)} days ${date(s.window.start)} – ${date(s.window.end)} (${s.window.tz} time) · run `, { code: s.run_id }],
    sections: [decision, ...s.actions.map((a) => actionSection(a, s)), kpiSection(s), healthSection(s), themesSection(s), figuresSection(s), scoringSection(s), filesSection()],
  };
}

/** exec_summary.md. */
export const renderExecSummaryMd = (s: ExecSummary): string => renderMarkdown(buildReportDoc(s));
