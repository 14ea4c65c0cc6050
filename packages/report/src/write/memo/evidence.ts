import type { Action, Evidence, Gap } from '../../schemas/exec-summary.js';
import type { Text } from '../doc.js';
import { count, date, minutes, pct, ratio, share, usd } from '../format.js';
import { cap, columnName, metricName, tableName, tableRowName, themeName } from '../names.js';

/** A measured value with its unit. */
const valueOf = (v: number, unit: 'pct' | 'min') => (unit === 'pct' ? pct(v) : minutes(v));

/** One evidence line in words: "Keys that match no record in card transactions: 5.3% (limit 2.0%), 2.6× the limit." */
export function evidenceLine(e: Evidence): Text {
  if (e.kind === 'metric') {
    const over = e.ratio > 1 ? `, ${ratio(e.ratio)} the limit` : ', within the limit';
    return [`${cap(metricName(e.metric))} in ${tableName(e.table)}: `, { strong: valueOf(e.value, e.unit) }, ` (limit ${valueOf(e.limit, e.unit)})${over}.`];
  }
  return [`${cap(columnName(e.column))} of ${tableName(e.table)} was empty on `, { strong: pct(e.null_pct) }, ` of rows on ${date(e.day)}, where up to ${pct(e.threshold_pct)} is normal (${ratio(e.ratio)}).`];
}

/** The worst evidence of a gap in a short clause: "keys that match no record at 2.6× the limit". */
export function howBadClause(g: Gap): string | null {
  const worst = [...g.evidence].sort((a, b) => b.ratio - a.ratio)[0];
  if (!worst || worst.ratio <= 1) return null;
  if (worst.kind === 'null_spike') return `${columnName(worst.column)} empty on ${pct(worst.null_pct)} of rows on ${date(worst.day)} (${ratio(worst.ratio)} the normal level)`;
  return `${metricName(worst.metric)} at ${valueOf(worst.value, worst.unit)}, ${ratio(worst.ratio)} the limit of ${valueOf(worst.limit, worst.unit)}`;
}

/** Money at risk in a short clause, or null when none. */
export function moneyClause(g: Gap): string | null {
  if (g.revenue_at_risk_usd <= 0) return null;
  const shareText = g.revenue_share_pct != null ? ` (${pct(g.revenue_share_pct)} of a typical month’s revenue)` : '';
  return `${usd(g.revenue_at_risk_usd)} of revenue in the window sits in the affected rows${shareText}`;
}

/** What fixing it should change, from the measured values of the action. */
export function expectedEffect(a: Action, healthOnly: boolean): Text {
  const money = a.revenue_at_risk_usd > 0 ? usd(a.revenue_at_risk_usd) : null;
  const asks = a.demand_share > 0 && !healthOnly ? ` It also answers the ${share(a.demand_share)} of data requests about ${themeName(a.theme)}.` : '';
  const t = tableName(a.table);
  switch (a.problem) {
    case 'keys':
      return [`Every ${tableRowName(a.table)} row joins to the records it points at again${money ? `, so ${money} of revenue in the window can be attributed in reports by product, merchant or seller` : ''}.${asks}`];
    case 'duplicates':
      return [`Totals stop counting ${t} twice${money ? `: ${money} of double-counted revenue in the window leaves the totals` : ''}, and counts match finance.${asks}`];
    case 'lag':
      return [`${cap(t)} arrive before the day is closed${money ? `, so ${money} of revenue that now lands in the following day’s numbers is reported on the right day` : ''}.${asks}`];
    case 'null_spikes':
      return [`Days with empty columns get their values back, so reports over those days stop undercounting${money ? ` (${money} of revenue in the affected rows)` : ''}.${asks}`];
    case 'revenue_nulls':
      return [`Every row carries its revenue amount${money ? `: ${money} of revenue in the window comes back into revenue reports` : ''}.${asks}`];
    default:
      return [`No warehouse metric measures this problem, so the effect is in the requests it settles: ${share(a.demand_share)} of all data requests (${count(a.asking?.items ?? 0)} messages and questions).`];
  }
}
