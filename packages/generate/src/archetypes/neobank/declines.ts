import { midnightOf, type NeobankModel } from './model.js';

/**
 * Decline reasons of fact_authorization_decline: the spend SQL carries the index (`reason`, NULL when
 * not declined) and the table writes the code and its ISO 8583 response code (51 insufficient funds,
 * 59 suspected fraud, 61 exceeds amount limit, 55 incorrect PIN, 54 expired card, 41 lost card, 62
 * restricted card, 46 closed account, 91 issuer unavailable). The first four come from the purchase
 * decline model, the next four from the account and card state, the last from processor incidents.
 */
export const DECLINE_REASONS = [
  { code: 'insufficient_funds', iso: '51' },
  { code: 'suspected_fraud', iso: '59' },
  { code: 'limit_exceeded', iso: '61' },
  { code: 'incorrect_pin', iso: '55' },
  { code: 'expired_card', iso: '54' },
  { code: 'lost_card', iso: '41' },
  { code: 'account_frozen', iso: '62' },
  { code: 'account_closed', iso: '46' },
  { code: 'issuer_unavailable', iso: '91' },
] as const;

/** Index of a reason code in DECLINE_REASONS (the spend SQL's `reason` value). */
export const REASON = Object.fromEntries(DECLINE_REASONS.map((r, j) => [r.code, j])) as { [K in (typeof DECLINE_REASONS)[number]['code']]: number };

/** SQL: reason_code and response_code columns from a reason index `reason`. */
export function reasonColumnsSql(reason: string): { code: string; iso: string } {
  const cases = (key: 'code' | 'iso') => `CASE ${reason} ${DECLINE_REASONS.map((r, j) => `WHEN ${j} THEN '${r[key]}'`).join(' ')} END`;
  return { code: cases('code'), iso: cases('iso') };
}


/** The four purchase-decline reasons in DECLINE_REASONS order (the ones with their own retry behaviour). */
const PURCHASE_REASONS = ['insufficient_funds', 'suspected_fraud', 'limit_exceeded', 'incorrect_pin'] as const;


/**
 * Expected share of declined purchases that are retried: the reasons' retry probabilities weighted by
 * their base weights (a usual ticket, card present, away from payday); used only to size the purchase
 * stream so that the row target holds (the exact mix shifts with amounts and channels).
 */
export function meanRetryProbability(m: NeobankModel): number {
  const r = m.b.declines.reasons;
  const w = PURCHASE_REASONS.map((k) => r[k].weight);
  const total = w.reduce((a, b) => a + b, 0);
  return total > 0 ? PURCHASE_REASONS.reduce((a, k, j) => a + w[j] * r[k].retry.probability, 0) / total : 0;
}

const DAY_MS = 86_400_000;

/**
 * Decline log-odds shift of each timeline day d in [−2, window.days + 2) (index d + 2), from
 * declines.calendar: the month-of-year term, the month-end term on the month's last month_end_days
 * days, and every policy change started by then (linear over its roll-out).
 */
export function declineDayShifts(m: NeobankModel): Float64Array {
  const cal = m.b.declines.calendar;
  const start = Date.parse(`${m.window.startDate}T00:00:00Z`);
  const policies = Object.values(cal.policy_changes).map((p) => ({ from: Math.round((Date.parse(`${p.from}T00:00:00Z`) - start) / DAY_MS), p }));
  const out = new Float64Array(m.window.days + 4);
  for (let d = -2; d < m.window.days + 2; d++) {
    const date = new Date(start + d * DAY_MS);
    const monthLength = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    let lo = cal.month_of_year_log_odds[date.getUTCMonth()];
    if (date.getUTCDate() > monthLength - cal.month_end_days) lo += cal.month_end_log_odds;
    for (const { from, p } of policies) if (d >= from) lo += p.log_odds * Math.min(1, (d - from + 1) / Math.max(1, p.ramp_days));
    out[d + 2] = lo;
  }
  return out;
}

/** Processor incidents as Unix-second ranges [from, to) with their extra decline log-odds (those on the clock's days only). */
export function declineIncidents(m: NeobankModel): Array<{ from: number; to: number; logOdds: number }> {
  const start = Date.parse(`${m.window.startDate}T00:00:00Z`);
  return Object.values(m.b.declines.calendar.incidents).flatMap((x) => {
    const [date, hm] = x.start.split('T');
    const day = Math.round((Date.parse(`${date}T00:00:00Z`) - start) / DAY_MS);
    if (day < m.clock.fromDay || day >= m.clock.toDay) return [];
    const [h, min] = hm.split(':').map(Number);
    const from = midnightOf(m, day) + h * 3600 + min * 60;
    return [{ from, to: from + x.hours * 3600, logOdds: x.log_odds }];
  });
}

