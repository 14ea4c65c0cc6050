import type { ExecSummary } from '../schemas/exec-summary.js';
import { fmt, mdTable, pct, usd, yes } from './format.js';

const KPI_LABELS: Record<string, string> = {
  active_customers_30d: 'Active customers (30d)',
  new_account_opens: 'New account opens',
  card_spend_usd: 'Card spend (USD)',
  interchange_revenue_usd: 'Interchange revenue (USD)',
  subscription_revenue_usd: 'Subscription revenue (USD)',
  total_revenue_usd: 'Total revenue (USD)',
  approved_transactions: 'Approved transactions',
  gmv_usd: 'GMV (USD)',
  net_revenue_usd: 'Net revenue (USD)',
  take_rate_pct: 'Take rate (%)',
  orders: 'Orders',
  aov_usd: 'AOV (USD)',
  active_buyers_30d: 'Active buyers (30d)',
  active_sellers: 'Active sellers',
  live_listings: 'Live listings',
};

const kpiValue = (k: string, v: number | null) => (k.endsWith('_usd') ? usd(v) : k.endsWith('_pct') ? pct(v) : fmt(v));

/** exec_summary.md, rendered only from the exec_summary.json values. */
export function renderExecSummaryMd(s: ExecSummary): string {
  const out: string[] = [];
  out.push(`# Data-needs report: ${s.archetype}`, '');
  out.push(`Window ${s.window.start} → ${s.window.end} (${s.window.days} days, ${s.window.tz}) · run \`${s.run_id}\``, '');

  out.push('## Top actions', '');
  out.push(`_${s.gap_source_note}_`, '');
  if (!s.actions.length) out.push('No action passed the confidence threshold.', '');
  for (const a of s.actions) {
    out.push(`### ${a.rank}. ${a.title}`, '');
    out.push(`${a.recommendation}`, '');
    out.push(
      `- Score **${fmt(a.score)}** = revenue ${fmt(a.components.weighted.revenue)} + demand ${fmt(a.components.weighted.demand)} + severity ${fmt(a.components.weighted.severity)} ` +
        `(RevenueImpact ${fmt(a.components.revenue_impact)}, Demand ${fmt(a.components.demand)}, HealthSeverity ${fmt(a.components.health_severity)}, decay ${fmt(a.components.decay)})`,
    );
    out.push(`- Revenue at risk: ${usd(a.revenue_at_risk_usd)} in ${fmt(a.affected_rows)} affected rows · peak day ${a.peak_day ?? 'n/a'}`);
    out.push(
      `- Confidence ${fmt(a.confidence)} (class ${fmt(a.confidence_parts.class_conf)}, entity ${fmt(a.confidence_parts.entity_conf)}, coverage ${fmt(a.confidence_parts.coverage)}, agreement ${fmt(a.confidence_parts.agreement)})`,
    );
    for (const e of a.evidence) out.push(`- ${e}`);
    out.push('');
  }
  if (s.hidden_actions.length) {
    out.push('### Hidden (low confidence)', '');
    out.push(mdTable(['Gap', 'Score', 'Reason'], s.hidden_actions.map((h) => [`${h.theme} · ${h.table}`, fmt(h.score), h.reason])), '');
  }

  out.push('## KPIs', '');
  out.push(mdTable(['KPI', 'Value'], Object.entries(s.kpis).map(([k, v]) => [KPI_LABELS[k] ?? k, kpiValue(k, v)])), '');
  out.push(`Revenue normaliser: median monthly revenue ${usd(s.revenue_norm.median_monthly_revenue_usd)} over ${s.revenue_norm.months.join(', ') || 'n/a'}.`, '');

  out.push('## Data Health', '');
  const dh = s.data_health;
  out.push(`${fmt(dh.guardrails_failing)} of ${fmt(dh.guardrails_total)} guardrails fail. Null-spike days detected: ${fmt(dh.null_spike_days)} (${fmt(dh.null_spike_days_in_window)} in the window).`, '');
  for (const sp of dh.null_spikes_in_window) {
    out.push(`- Null spike in the window: ${sp.table}.${sp.column} was ${pct(sp.null_pct)} NULL on ${sp.day} (threshold ${pct(sp.threshold_pct)}).`);
  }
  if (dh.null_spikes_in_window.length) out.push('');
  if (dh.failing_guardrails.length) {
    out.push(mdTable(['Guardrail', 'Scope', 'Value', 'Bound'], dh.failing_guardrails.map((g) => [g.name, g.scope, fmt(g.value), g.bound])), '');
  }

  out.push('## Invoice Aggregates', '');
  if (s.invoice_aggregates) {
    const ia = s.invoice_aggregates;
    out.push(`Subscription invoices (full history): ${ia.passed ? 'all guardrails pass' : '**guardrails fail**'}.`, '');
    out.push(mdTable(['Metric', 'Value', 'Min', 'Max', 'Verdict'], ia.checks.map((c) => [c.metric, fmt(c.value), fmt(c.min), fmt(c.max), yes(c.passed)])), '');
  } else {
    out.push('Not applicable to this archetype (neobank only).', '');
  }

  out.push('## Marketplace Evening Coverage', '');
  if (s.marketplace_evening_window) {
    const ev = s.marketplace_evening_window;
    out.push(
      `Captured payments between ${fmt(ev.start_hour)}:00 and ${fmt(ev.end_hour)}:00 local: ${pct(ev.overall_share_pct)} overall; ${pct(ev.days_pct)} of days meet the daily minimum. ${ev.passed ? 'Guardrail passes.' : '**Guardrail fails.**'}`,
      '',
    );
    out.push(mdTable(['Check', 'Value', 'Min', 'Verdict'], ev.checks.map((c) => [c.metric, fmt(c.value), fmt(c.min), yes(c.passed)])), '');
  } else {
    out.push('Not applicable to this archetype (marketplace only).', '');
  }

  out.push('## Themes', '');
  out.push(s.themes_status === 'skipped' ? `Themes skipped: ${s.themes_skipped_reason ?? 'n/a'}.` : `Theme analysis status: ${s.themes_status}. Details in themes.md.`, '');
  if (s.top_themes.length) {
    out.push(mdTable(['Theme', 'Demand (share)', 'Peak day', 'Unmet share'], s.top_themes.map((t) => [t.theme, fmt(t.demand), t.peak_day ?? 'n/a', fmt(t.unmet_share)])), '');
  }
  if (s.coverage.sources_below_floor.length || s.coverage.budget_early_stop) {
    out.push(`Coverage warnings: ${[...s.coverage.sources_below_floor.map((x) => `${x} below the coverage floor`), ...(s.coverage.budget_early_stop ? ['budget forced an early stop'] : [])].join('; ')}.`, '');
  }

  out.push('## Figures', '');
  for (const f of s.figures) out.push(`![${f}](figures/${f})`);
  out.push('');
  return out.join('\n');
}
