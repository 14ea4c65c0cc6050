import type { CalendarRow } from './calendar.js';
import type { MarketplaceProfile } from './marketplace/index.js';
import type { NeobankProfile, Profile } from './types.js';

const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '–' : String(Number(x.toFixed(d))));
const pct = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(d)}%`);

function table(head: string[], rows: Array<Array<string | number>>): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const fig = (p: Profile, file: string, alt: string) => (p.figures.includes(file) ? `\n![${alt}](${file})\n` : '');

function calendarMd(rows: CalendarRow[], source: Profile['calendar_source']): string {
  if (!rows.length) return '_No named days inside the window._';
  return [
    `Named days from the ${source}. Ratio = events that local day ÷ the mean of the same weekday 1–4 weeks before and after (other named days left out); declared = the whole-day multiplier the behaviour config sets (its per-key effects weighted by the baseline mix).`,
    '',
    table(
      ['day', 'date', 'events', 'baseline', 'ratio', 'declared'],
      rows.map((r) => [r.name, r.date, r.events, f(r.baseline, 1), f(r.ratio), f(r.declared)]),
    ),
  ].join('\n');
}

function neobankMd(p: Profile, nb: NeobankProfile): string[] {
  const out: string[] = ['## Cohort retention', '', 'Share of each signup cohort with at least one approved card transaction in a month (all customers of the cohort in the denominator, whatever their KYC outcome).', fig(p, 'cohort_retention.png', 'Cohort retention heatmap')];
  out.push(table(['signup year', 'customers', 'active in first window month', 'active in last window month'], nb.cohorts.by_year.map((y) => [y.year, y.customers, pct(y.active_first_month), pct(y.active_last_month)])), '');
  out.push('## Segments', '');
  if (!nb.segments) out.push('_Not available: the warehouse carries no behaviour ground truth (behaviour_entities.parquet), and segments are not visible in the Parquet tables themselves._', '');
  else {
    out.push(
      'From the ground truth’s customer → segment assignment. Frequency = approved transactions per active customer-month; ticket = median approved amount; churn = of the customers active in the first 3 window months, the share with no approved transaction in the last 3; premium = customers with a paid premium invoice; decline rate = declined ÷ (approved + declined).',
      '',
      table(
        ['segment', 'customers', 'share', 'declared share', 'frequency', 'ticket $', 'e-commerce', 'top sector', 'churn', 'premium', 'decline rate'],
        nb.segments.map((s) => {
          const top = Object.entries(s.sector_mix).sort((a, b) => b[1] - a[1])[0];
          return [s.segment, s.customers, pct(s.share), pct(s.declared_share), f(s.frequency, 2), f(s.median_ticket_usd, 2), pct(s.channel_mix.ecommerce), top ? `${top[0]} ${pct(top[1])}` : '–', pct(s.churn), pct(s.premium_share), pct(s.decline_rate, 2)];
        }),
      ),
      '',
    );
  }
  out.push('## Onboarding funnel', '');
  if (!nb.funnel) out.push('_Not available in this warehouse (no fact_onboarding_event table)._', '');
  else {
    const fu = nb.funnel;
    out.push(
      `Cohort: ${fu.cohort} customers signed up at least ${fu.maturity_days} days before the window end; first transaction is measured on the ${fu.first_transaction_cohort} of them who signed up inside the window. Lags are hours from the previous stage.`,
      fig(p, 'funnel.png', 'Onboarding funnel'),
      table(['stage', 'reached', 'step conversion', 'share of cohort', 'lag p50 (h)', 'lag p90 (h)'], fu.stages.map((s) => [s.stage, s.reached, pct(s.step_conversion), pct(s.from_signup), f(s.lag_p50_h, 1), f(s.lag_p90_h, 1)])),
      '',
      table(['branch', 'customers', 'share of KYC submissions'], Object.entries(fu.branches).map(([k, v]) => [k, v.reached, pct(v.share_of_submitted)])),
      '',
    );
  }
  out.push('## Seasonality', '', 'Local time of every card transaction.', fig(p, 'hour_by_sector.png', 'Hour of day by sector'), fig(p, 'day_of_week.png', 'Day of week'), fig(p, 'month_by_sector.png', 'Month of year by sector'));
  out.push('### Named days', '', calendarMd(nb.seasonality.calendar, p.calendar_source), fig(p, 'calendar_days.png', 'Named days against the same weekday'));
  out.push('## Subscription state transitions', '');
  if (!nb.subscriptions) out.push('_Not available in this warehouse (no fact_subscription_event table)._', '');
  else {
    const s = nb.subscriptions;
    out.push(table(['event', 'from plan', 'to plan', 'events in window'], s.transitions.map((t) => [t.event_type, t.from_plan ?? '–', t.to_plan ?? '–', t.events])), '', `Invoices: ${s.invoices.billed} billed, ${s.invoices.paid} paid, ${s.invoices.unpaid} unpaid.`, '');
  }
  out.push('## State consistency', '');
  if (!nb.consistency) out.push('_Not available in this warehouse (no status-history tables)._', '');
  else {
    const c = nb.consistency;
    out.push(
      `Of ${c.approved_checked} approved transactions made after their card’s activation: ${c.approved_on_frozen_or_closed} while the account was frozen or closed, ${c.approved_on_inactive_card} while the card was not active, ${c.approved_without_kyc} by customers without verified KYC. ${c.unverified_with_account} of ${c.unverified_customers} unverified customers hold an account. All should be 0.`,
      '',
    );
  }
  return out;
}

function marketplaceMd(p: Profile, mp: MarketplaceProfile): string[] {
  const na = (section: string) => `_Not available in this warehouse (needs ${mp.unavailable.find((u) => u.section === section)?.needs.join(', ') ?? 'tables it lacks'})._`;
  const out: string[] = ['## Demand concentration', ''];
  const c = mp.concentration;
  out.push(c ? `${c.sellers} sellers, ${c.sellers_with_sales} with sales in the window; top 1% of sellers hold ${pct(c.top1pct_gmv_share)} of GMV ($${c.gmv_usd.toFixed(0)}); Gini of seller GMV ${f(c.gini)} (sellers without sales count as 0).` : na('concentration'), '');
  const n = mp.never_sold;
  out.push('## Never-sold listings', '', n ? `${n.never_sold} of ${n.listings} listings created in the first half of the window (${pct(n.share)}) had no order line in the window.` : na('never_sold'), '');
  const s = mp.consistency;
  out.push(
    '## Status consistency',
    '',
    s
      ? `${s.lines_on_unavailable_listing} of ${s.lines} order lines were sold on a day the listing was not active in the daily snapshot; ${s.sold_out_never_sold} of ${s.sold_out} sold-out listings have no order line naming them in the window (not counting those already sold out on its first day), ${s.sold_out_never_sold_unexplained} of them without a line of their shop with a null listing_id on the day they sold out; ${s.closed_shops_selling_late} of ${s.closed_shops} closed shops sold in the last 30 days.`
      : na('consistency'),
    '',
  );
  const pay = mp.payments;
  out.push('## Payments, refunds and failed payments', '', pay ? `${pay.unpaid_orders} of ${pay.orders} orders (${pct(pay.unpaid_share)}) have no payment row.` : na('payments'), '');
  const fp = mp.failed_payments;
  out.push(
    fp
      ? `Failed payments: ${pct(fp.first_attempt_failure_rate)} of first attempts fail (domestic ${pct(fp.domestic_failure_rate)}, cross-border ${pct(fp.cross_border_failure_rate)}; ${pct(fp.cross_border_share)} of orders are cross-border); orders whose first attempt failed made ${f(fp.attempts_per_failed_order, 2)} attempts. Reasons: ${Object.entries(fp.reasons).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}.`
      : `Failed payments: ${na('failed_payments')}`,
    '',
  );
  const rf = mp.refunds;
  out.push(
    rf
      ? `Refunds: ${pct(rf.cancellation_rate)} of ${rf.cancel_base} orders placed ≥ 45 days before the window end were cancelled; of ${rf.refund_base} orders placed ≥ 120 days before it, ${pct(rf.full_refund_rate)} were refunded in full and ${pct(rf.partial_refund_rate)} in part. Refunds return ${pct(rf.refunded_gmv_share)} of the window's item value (GMV) and ${pct(rf.fee_reversed_share)} of its platform fees.`
      : `Refunds: ${na('refunds')}`,
    '',
  );
  out.push('## Buyer cohorts', '');
  out.push(
    mp.cohorts
      ? table(['signup year', 'buyers', 'orders per buyer (window)', 'active in first window month', 'active in last window month'], mp.cohorts.map((x) => [x.year, x.buyers, f(x.orders_per_buyer, 2), pct(x.active_first_month), pct(x.active_last_month)]))
      : na('cohorts'),
    fig(p, 'buyer_cohorts.png', 'Orders per buyer by signup year'),
  );
  const mk = mp.marketing;
  out.push('## Marketing and attribution', '');
  out.push(
    mk
      ? [
          `${mk.attributed_orders} of ${mk.orders} orders have tracked touches. Order credit per channel under first-touch, last-touch and linear attribution; sign-ups credited to their first touch; cost per conversion = spend ÷ (those sign-ups + last-touch orders).`,
          '',
          table(
            ['channel', 'first touch', 'last touch', 'linear', 'sign-ups', 'sessions', 'spend (USD)', 'cost per conversion'],
            mk.channels.map((c) => [c.channel, pct(c.first_touch), pct(c.last_touch), pct(c.linear), c.signups, c.sessions, f(c.spend_usd, 0), c.cost_per_conversion_usd === null ? '–' : f(c.cost_per_conversion_usd, 2)]),
          ),
        ].join('\n')
      : na('marketing'),
    '',
  );
  out.push('## Named days', '', calendarMd(mp.calendar, p.calendar_source), fig(p, 'calendar_days.png', 'Named days against the same weekday'));
  return out;
}

/** profile.md: one section per analysis, the figures inline, absent sections named as such. */
export function renderProfileMd(p: Profile): string {
  const head = [
    `# Behaviour profile: ${p.archetype}`,
    '',
    `Warehouse \`${p.warehouse}\`, window ${p.window.start} → ${p.window.end} (${p.window.tz}). Declared values: ${p.truth ? `behaviour truth \`${p.truth}\`` : 'none (no behaviour truth in this warehouse)'}.`,
    '',
    table(['table', 'rows'], Object.entries(p.tables).map(([t, n]) => [t, n])),
    '',
    ...p.notes.map((n) => `> ${n}`),
    '',
  ];
  const body = p.neobank ? neobankMd(p, p.neobank) : p.marketplace ? marketplaceMd(p, p.marketplace) : [];
  return [...head, ...body].join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
