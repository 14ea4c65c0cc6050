import type { Action, ExecSummary } from '../../schemas/exec-summary.js';
import type { Block, Section, Text } from '../doc.js';
import { confidenceWord, count, date, days, outOf100, pct, plural, points, share, usd } from '../format.js';
import { article, cap, roleName, sourceGroupName, sourceName, tableName, themeName } from '../names.js';
import { evidenceLine, expectedEffect, howBadClause, moneyClause } from './evidence.js';

const healthOnly = (s: ExecSummary) => s.gap_source === 'health_only';

/** The one line that says how to get demand themes when they were skipped. */
export const themesHint: Text = [
  'To rank by demand too, add the offline classifier: ',
  { code: 'dnr run-report … --engine rules' },
  ' or ',
  { code: 'dnr quickstart --no-llm --engine rules' },
  ' (no network call).',
];

/**
 * Whether themes were skipped only because of the engine choice (LLM engine with --no-llm or without an API key),
 * so that adding `--engine rules` would measure demand. Not when no comms were given or the contract is not a
 * built-in one: the offline engine would not help there.
 */
export const engineSkip = (s: ExecSummary): boolean => s.themes_status === 'skipped' && /--engine rules/.test(s.themes_skipped_reason ?? '');

/** Why demand is missing, in words: themes skipped (and why, unless it was the engine choice), or nothing classified (coverage floor, spend cap). */
export function whyNoDemand(s: ExecSummary): string {
  if (s.themes_status === 'skipped') return engineSkip(s) || !s.themes_skipped_reason ? 'themes were skipped' : s.themes_skipped_reason.split(': demand was not measured')[0];
  const below = s.coverage.sources_below_floor.map(sourceGroupName);
  const parts = [below.length ? `${below.join(', ')} below the coverage floor` : null, s.coverage.budget_early_stop ? 'the spend cap stopped classification early' : null].filter(Boolean);
  return `no message could be classified${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

/** Why one action is on the list, in one short sentence: money, who asks, how bad. */
function why(a: Action): string {
  const money = a.revenue_at_risk_usd > 0 ? `${usd(a.revenue_at_risk_usd)} of revenue at risk${a.revenue_share_pct != null ? ` (${pct(a.revenue_share_pct)} of a typical month)` : ''}` : null;
  const roles = a.asking?.roles.filter((r) => r.role !== 'other').slice(0, 2).map((r) => roleName(r.role, true)) ?? [];
  const asks = a.asking && a.demand_share > 0 ? `${share(a.demand_share)} of data requests${roles.length ? `, mostly from ${roles.join(' and ')}` : ''}` : null;
  const parts = [money, asks, howBadClause(a)].filter((x): x is string => x !== null);
  return parts.length ? `${parts.join('; ')}.` : 'the strongest remaining candidate.';
}

function confidenceSentence(s: ExecSummary): string {
  const all = new Set(s.actions.map((a) => confidenceWord(a.confidence)));
  const each = s.actions.map((a) => `${confidenceWord(a.confidence)} for #${a.rank}`);
  const words = all.size === 1 && s.actions.length > 1 ? `${[...all][0]} for ${s.actions.length === 3 ? 'all three' : 'both'}` : each.length > 1 ? `${each.slice(0, -1).join(', ')} and ${each.at(-1)}` : each[0];
  if (healthOnly(s)) {
    return `Confidence is ${words} in the data measurements only (how many days the data covers and on how many of them each problem showed); demand, half of the evidence, was not measured, so this is not a confidence that the ranking reflects what people need.`;
  }
  return `Confidence is ${words}: it combines how sure the classifier is of each theme, how clearly the messages point at each table, how much of the comms was analysed and how consistently the sources rank the theme.`;
}

/** The decision memo: one paragraph with the three actions, why, and the confidence in plain words. */
export function decisionSection(s: ExecSummary): Section {
  const blocks: Block[] = [];
  if (!s.actions.length) {
    blocks.push({ kind: 'p', text: ['No action is recommended: no data problem or request passed the confidence threshold. The data health and demand below show what was measured.'] });
    return { id: 'decision', title: 'Decision memo', blocks };
  }
  const n = s.actions.length;
  const text: Text = [`We recommend ${n === 1 ? 'one fix' : `${n === 3 ? 'three' : 'two'} fixes`}, in this order. `];
  for (const a of s.actions) text.push({ strong: `${a.rank}. ${a.title}` }, ` — ${why(a)} `);
  text.push(confidenceSentence(s));
  blocks.push({ kind: 'p', text });
  if (healthOnly(s)) blocks.push({ kind: 'p', text: [`Demand was not measured (${whyNoDemand(s)}), so this ranking rests on money at risk and on how far each table is past its limits. `, ...(engineSkip(s) ? themesHint : [])] });
  return { id: 'decision', title: 'Decision memo', blocks };
}

/** One section per action: what to do, evidence, money at risk, who is asking, expected effect, score. */
export function actionSection(a: Action, s: ExecSummary): Section {
  const blocks: Block[] = [
    { kind: 'p', text: [{ strong: 'What to do.' }, ' ', a.recommendation] },
    { kind: 'p', text: [{ strong: 'Evidence.' }] },
  ];
  blocks.push({ kind: 'ul', items: a.evidence.length ? a.evidence.map(evidenceLine) : [['No warehouse metric measures this problem; the evidence is what people ask for (below).']] });
  if (a.confidence_parts.agreement != null && healthOnly(s)) blocks.push({ kind: 'p', text: [`The problem showed on ${share(a.confidence_parts.agreement)} of the days in the window.`] });
  blocks.push({ kind: 'p', text: [{ strong: 'Money at risk.' }, ' ', moneyText(a)] });
  blocks.push(...askingBlocks(a, s));
  blocks.push({ kind: 'p', text: [{ strong: 'Expected effect.' }, ' ', ...expectedEffect(a, healthOnly(s))] });
  blocks.push({ kind: 'p', text: [{ strong: 'Score and confidence.' }, ' ', scoreText(a, s), ' ', confidenceText(a, s)] });
  return { id: `action-${a.rank}`, title: `${a.rank}. ${a.title}`, blocks };
}

/** "Score 62/100: money at risk 40 pts, …": the parts in whole points add up to the score shown. */
function scoreText(a: Action, s: ExecSummary): string {
  const p = a.components.shown;
  const w = s.scoring.weights;
  const parts = healthOnly(s)
    ? `money at risk ${points(p.revenue)}, severity ${points(p.severity)} (out of ${points(w.revenue)} and ${points(w.severity)}${fade(a)}; demand was not measured)`
    : `money at risk ${points(p.revenue)}, demand ${points(p.demand)}, severity ${points(p.severity)} (out of ${points(w.revenue)}, ${points(w.demand)} and ${points(w.severity)}${fade(a)})`;
  return `Score ${outOf100(a.score)}: ${parts}.`;
}

/** Confidence in words and out of 100; without demand it is said to rest on the data alone. */
function confidenceText(a: Action, s: ExecSummary): string {
  const c = `${confidenceWord(a.confidence)} (${outOf100(a.confidence)})`;
  return healthOnly(s) ? `Confidence in the data measurements ${c}; data only, demand not measured.` : `Confidence ${c}.`;
}

/** The fading of the points since the last peak, when there is one. */
function fade(a: Action): string {
  if (!a.days_since_peak || a.peak_day == null) return '';
  return `, faded to ${share(a.components.decay)} for the ${days(a.days_since_peak)} since the last peak on ${date(a.peak_day)}`;
}

function moneyText(a: Action): string {
  if (a.revenue_at_risk_usd <= 0) return a.problem ? 'None measured: the affected rows carry no revenue.' : 'Not measured: no warehouse metric covers this problem.';
  return `${cap(moneyClause(a)!)}: ${count(a.affected_rows)} of ${count(a.table_rows)} rows.`;
}

function askingBlocks(a: Action, s: ExecSummary): Block[] {
  const head: Text = [{ strong: 'Who is asking.' }, ' '];
  if (healthOnly(s) || !a.asking) return [{ kind: 'p', text: [...head, `Not measured: ${whyNoDemand(s)}.`] }];
  const k = a.asking;
  const roles = k.roles.slice(0, 3).map((r) => `${roleName(r.role, true)} (${plural(r.items, 'message')})`);
  const when = k.window_items
    ? `${count(k.window_items)} of them fall${k.window_items === 1 ? 's' : ''} in this window (busiest day ${date(k.window_peak_day)})`
    : 'none of the messages falls in this window';
  const blocks: Block[] = [
    {
      kind: 'p',
      text: [...head, `${cap(share(a.demand_share))} of data requests are about ${themeName(a.theme)}: ${plural(k.items, 'message or question', 'messages and questions')} over the whole history, from ${plural(k.people, 'person', 'people')}; ${when}. Most come from ${roles.join(', ')}.`],
    },
  ];
  for (const v of k.examples) blocks.push({ kind: 'quote', text: v.text, cite: `${article(roleName(v.role))}, ${sourceName(v.source)}, ${date(v.day)} (ref. ${v.ref})` });
  if (!k.examples.length) blocks.push({ kind: 'p', text: [`No message from this window or the month before it names ${tableName(a.table)}, so none is quoted.`] });
  return blocks;
}

/** Candidates held back for low confidence, in one list. */
export function hiddenBlocks(s: ExecSummary): Block[] {
  if (!s.hidden_actions.length) return [];
  return [
    { kind: 'p', text: ['Also considered but held back because the confidence is low:'] },
    { kind: 'ul', items: s.hidden_actions.map((h) => [`${cap(themeName(h.theme))} in ${tableName(h.table)}: score ${outOf100(h.score)}, confidence ${confidenceWord(h.confidence)} (${outOf100(h.confidence)}).`]) },
  ];
}
