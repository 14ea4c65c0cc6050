import type { ExecSummary } from '../../schemas/exec-summary.js';
import type { Guardrail } from '../../schemas/data-health.js';
import type { Block, Section, Text } from '../doc.js';
import { change, count, date, days, hour, minutes, outOf100, pct, points, share, usd } from '../format.js';
import { cap, columnName, guardrailName, sourceGroupName, tableName, themeName } from '../names.js';
import { engineSkip, themesHint, whyNoDemand } from './decision.js';

/** "11 of 17 checks fail, 4 pass and 2 were not measured." */
function healthCounts(dh: ExecSummary['data_health']): string {
  const unmeasured = dh.guardrails_not_measured ? ` and ${count(dh.guardrails_not_measured)} could not be measured` : '';
  return `${count(dh.guardrails_failing)} of ${count(dh.guardrails_total)} data checks fail, ${count(dh.guardrails_passing)} pass${unmeasured}.`;
}

/** A guardrail value in its unit. */
function guardValue(metric: string, v: number | null): string {
  if (v == null) return 'n/a';
  return metric.endsWith('_min') ? minutes(v) : metric.endsWith('_pct') ? pct(v) : count(v);
}

/** "≤ 1" / "≥ 90 and ≤ 100" with each number in the metric's unit. */
const boundText = (g: Guardrail) => g.bound.replace(/-?\d+(?:\.\d+)?/g, (n) => guardValue(g.metric, Number(n)));

/** A guardrail check of the invoice or evening-window family, as a guardrail line. */
const checkLine = (family: 'invoice' | 'evening_window', c: { metric: string; value: number | null; min: number | null; max: number | null; passed: boolean }): Text =>
  guardLine({ name: `${family}.${c.metric}`, scope: family, metric: c.metric, value: c.value, bound: [c.min != null ? `≥ ${c.min}` : null, c.max != null ? `≤ ${c.max}` : null].filter(Boolean).join(' and '), passed: c.passed });

/** Where a check measures: per-table checks the window, invoice checks the full history (two duplicate checks differ by scope). */
const scopeOf = (g: Guardrail): string => (g.name.startsWith('invoice.') ? 'full history' : g.name.startsWith('slo.') ? 'this window' : '');

const guardLine = (g: Guardrail): Text => {
  const where = scopeOf(g);
  if (g.value == null) return [`${guardrailName(g)}: not measured (nothing to measure${where === 'this window' ? ' in this window' : ''}; limit ${boundText(g)}).`];
  return [`${guardrailName(g)}: `, { strong: guardValue(g.metric, g.value) }, ` (limit ${boundText(g)}${where ? `, ${where}` : ''}).`];
};

const kpiValue = (key: string, v: number | null) => (key.endsWith('_usd') ? usd(v) : key.endsWith('_pct') ? pct(v) : count(v));

export function kpiSection(s: ExecSummary): Section {
  const prev = `${date(s.previous_window.start)} – ${date(s.previous_window.end)}`;
  return {
    id: 'kpis',
    title: 'KPIs',
    blocks: [
      { kind: 'p', text: [`This window against the ${count(s.previous_window.days)} days before it (${prev}). Money counts each record once and only approved or captured payments.`] },
      {
        kind: 'table',
        caption: 'KPIs of the window and the previous window',
        head: ['KPI', 'This window', `Previous ${count(s.previous_window.days)} days`, 'Change'],
        numeric: [false, true, true, true],
        rows: s.kpis.map((k) => [[k.label], [kpiValue(k.key, k.value)], [kpiValue(k.key, k.previous)], [change(k.change_pct)]]),
      },
    ],
  };
}

/** Data health in words: failing and passing checks, spikes, and the archetype's own guardrails. */
export function healthSection(s: ExecSummary): Section {
  const dh = s.data_health;
  const blocks: Block[] = [
    // Invoice checks are named only when the contract declares invoice aggregates.
    { kind: 'p', text: [healthCounts(dh), ` Table checks cover the ${count(s.window.days)}-day window${s.invoice_aggregates ? '; subscription-invoice checks cover the full history' : ''}.`] },
  ];
  const sections: Section[] = [];
  // Invoice and evening-window checks have their own sections below.
  const own = (g: Guardrail) => !g.name.startsWith('invoice.') && !g.name.startsWith('evening_window.');
  const lines = (gs: Guardrail[]): Block[] => (gs.length ? [{ kind: 'ul', items: gs.map(guardLine) }] : [{ kind: 'p', text: ['None.'] }]);
  sections.push({ id: 'failing', title: 'Failing checks', blocks: lines(dh.failing_guardrails.filter(own)) });
  sections.push({ id: 'passing', title: 'Passing checks', blocks: lines(dh.passing_guardrails.filter(own)) });
  const unmeasured = dh.unmeasured_guardrails.filter(own);
  if (unmeasured.length) sections.push({ id: 'not-measured', title: 'Checks not measured', blocks: lines(unmeasured) });
  const spikes: Text[] = dh.null_spikes_in_window.map((sp) => [
    `${cap(columnName(sp.column))} of ${tableName(sp.table)}: empty on ${pct(sp.null_pct)} of rows on ${date(sp.day)} (normal up to ${pct(sp.threshold_pct)}).`,
  ]);
  sections.push({
    id: 'spikes',
    title: 'Spikes of empty values',
    blocks: [
      { kind: 'p', text: [`${cap(days(dh.null_spike_days))} with a spike of empty values over the whole history, ${count(dh.null_spike_days_in_window)} of them in this window.`] },
      ...(spikes.length ? [{ kind: 'ul' as const, items: spikes }] : []),
    ],
  });
  if (s.invoice_aggregates) {
    const ia = s.invoice_aggregates;
    sections.push({
      id: 'invoice-aggregates',
      title: 'Subscription invoices (full history)',
      blocks: [
        { kind: 'p', text: [`Subscription invoices over the full history, each invoice counted once per customer and period: ${ia.passed ? 'every check passes' : 'some checks fail'}.`] },
        { kind: 'ul', items: ia.checks.map((c) => checkLine('invoice', c)) },
      ],
    });
  }
  if (s.marketplace_evening_window) {
    const ev = s.marketplace_evening_window;
    sections.push({
      id: 'evening-coverage',
      // The built-in marketplace keeps its heading; any other contract's evening_window guardrail gets a neutral one.
      title: s.archetype === 'marketplace' ? 'Marketplace evening coverage' : 'Evening coverage',
      blocks: [
        {
          kind: 'p',
          text: [`Captured payments between ${hour(ev.start_hour)} and ${hour(ev.end_hour)} local time: ${pct(ev.overall_share_pct)} of the window’s payments; ${pct(ev.days_pct)} of days meet the daily minimum. ${ev.passed ? 'The guardrail passes.' : 'The guardrail fails.'}`],
        },
        { kind: 'ul', items: ev.checks.map((c) => checkLine('evening_window', c)) },
      ],
    });
  }
  return { id: 'data-health', title: 'Data health', blocks, sections };
}

/** A theme at least this share of requests that gets no action is explained in one line. */
const LARGE_DEMAND = 0.1;

/** Why a much-requested theme got no action, from the scored gaps: held back, outranked, or no candidate. */
function whyNoAction(s: ExecSummary, theme: ExecSummary['gaps'][number]['theme']): string {
  const hidden = s.hidden_actions.find((h) => h.theme === theme);
  if (hidden) return `its best candidate, in ${tableName(hidden.table)}, was held back for low confidence (${outOf100(hidden.confidence)})`;
  const best = s.gaps.find((g) => g.theme === theme);
  if (!best) return 'its messages name no warehouse table and no warehouse metric measures it, so there is no candidate to fix';
  const sameEvidence = s.actions.find((a) => a.evidence_key === best.evidence_key);
  if (sameEvidence) return `its best candidate rests on the same evidence as action ${sameEvidence.rank}`;
  const last = s.actions.at(-1);
  const faded = best.days_since_peak && best.peak_day ? `; its points faded to ${share(best.components.decay)} since its last peak on ${date(best.peak_day)}` : '';
  return last ? `its best candidate, in ${tableName(best.table)}, scores ${outOf100(best.score)}, below action ${last.rank} at ${outOf100(last.score)}${faded}` : `its best candidate scores ${outOf100(best.score)}`;
}

/** What people ask about, or one line on how to measure it. */
export function themesSection(s: ExecSummary): Section {
  if (s.themes_status === 'skipped' || !s.top_themes.length) {
    return { id: 'demand', title: 'What people ask about', blocks: [{ kind: 'p', text: [`Not measured in this run: ${whyNoDemand(s)}. `, ...(engineSkip(s) ? themesHint : [])] }] };
  }
  const blocks: Block[] = [
    {
      kind: 'table',
      caption: 'Themes with the highest demand',
      head: ['Theme', 'Share of requests', 'In this window', 'Busiest day', 'Not yet resolved'],
      numeric: [false, true, true, false, true],
      rows: s.top_themes.map((t) => [
        [cap(themeName(t.theme))],
        [share(t.demand)],
        [count(t.window_items)],
        [t.window_peak_day ? date(t.window_peak_day) : `${date(t.peak_day)} (before this window)`],
        [share(t.unmet_share)],
      ]),
    },
  ];
  const unranked = s.top_themes.filter((t) => t.demand >= LARGE_DEMAND && !s.actions.some((a) => a.theme === t.theme));
  if (unranked.length) blocks.push({ kind: 'ul', items: unranked.map((t) => [`${cap(themeName(t.theme))} (${share(t.demand)} of requests) has no action: ${whyNoAction(s, t.theme)}.`]) });
  if (s.themes_status === 'partial') blocks.push({ kind: 'p', text: ['Part of the comms could not be analysed (a source stopped early); shares rest on what was classified.'] });
  if (s.coverage.sources_below_floor.length) blocks.push({ kind: 'p', text: [`Sources below the coverage floor: ${s.coverage.sources_below_floor.map(sourceGroupName).join(', ')}.`] });
  return { id: 'demand', title: 'What people ask about', blocks };
}

export function figuresSection(s: ExecSummary): Section {
  // Without demand the theme chart is only a placeholder: leave it out of the report (the file stays).
  const shown = s.gap_source === 'health_only' ? s.figures.filter((f) => f.file !== 'theme_demand.png') : s.figures;
  return { id: 'figures', title: 'Figures', blocks: shown.map((f) => ({ kind: 'figure' as const, file: `figures/${f.file}`, title: f.title, alt: f.alt, caption: f.caption })) };
}

export function scoringSection(s: ExecSummary): Section {
  const n = s.scoring.normalisers;
  const demandMeasured = s.gap_source !== 'health_only';
  return {
    id: 'scoring',
    title: 'How the actions were ranked',
    blocks: [
      {
        kind: 'p',
        text: [
          `Each candidate (a problem on one table) earns up to ${points(s.scoring.weights.revenue)} for money at risk, ${points(s.scoring.weights.demand)} for demand and ${points(s.scoring.weights.severity)} for severity. `,
          `Money at risk earns points in proportion, ${usd(n.revenue_usd)} earning all of them (the largest amount at risk, or a small share of a typical month when every amount is small); `,
          demandMeasured ? `the most-requested theme (${share(n.demand)} of requests) gets all the demand points; ` : 'demand was not measured in this run, so no candidate earns demand points; ',
          'severity counts how many times over its limit a table is, on a log scale. ',
          `Points fade the longer ago the problem last peaked. Actions with a confidence below ${outOf100(s.scoring.confidence_min)} are held back. At most one action per theme and per measured problem. The formulas are in docs/scoring.md.`,
        ],
      },
    ],
  };
}

export function filesSection(): Section {
  const link = (f: string): Text => [{ link: f, href: f }];
  return {
    id: 'files',
    title: 'Data behind this report',
    blocks: [{ kind: 'ul', items: [link('exec_summary.json'), link('data_health.json'), link('data_health.csv'), link('themes.json'), link('exec_summary.md'), link('themes.md')] }],
  };
}
