import type { ProfileSource } from './source.js';

const txnTables = new WeakMap<ProfileSource, Promise<string>>();

/**
 * Card transactions (every auth result, deduplicated) with the customer they belong to (card →
 * account → customer), local time `lt` and `after_activation` (false for rows dated before their
 * card's activation: the injected "fact before its dimension row" defect). Orphan and null keys drop
 * out. Materialised once per source as a temp table; returns its name.
 */
export function neobankTxnSql(src: ProfileSource): Promise<string> {
  let made = txnTables.get(src);
  if (!made) {
    made = (async () => {
      const first = await src.first('fact_card_transaction');
      await src.q(`CREATE OR REPLACE TEMP TABLE _nb_txn AS
        SELECT a.customer_id, t.*, local_ts(t.event_time) AS lt, (c.activated_at IS NOT NULL AND t.event_time >= c.activated_at) AS after_activation
        FROM ${first} t JOIN dim_card c ON c.card_id = t.card_id JOIN dim_account a ON a.account_id = c.account_id`);
      return '_nb_txn';
    })();
    txnTables.set(src, made);
  }
  return made;
}

/** First day of the month of a YYYY-MM-DD date, as a SQL DATE literal. */
export const monthStart = (date: string): string => `DATE '${date.slice(0, 7)}-01'`;

/** Number → fixed decimals (null stays null): for JSON that reads well and compares exactly in tests. */
export const round = (x: number | null | undefined, digits = 4): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

/** BIGINT/DECIMAL/number → number. */
export const num = (x: unknown): number => (typeof x === 'bigint' ? Number(x) : typeof x === 'number' ? x : Number(x));

/** SQL of the USD per unit of the currency code in `currency` (`rates`: code → USD per unit; unknown codes 1). */
export const usdRate = (currency: string, rates: Record<string, number>): string => {
  const cases = Object.entries(rates).map(([c, r]) => `WHEN ${currency} = '${c.replace(/'/g, "''")}' THEN ${r}`);
  return cases.length ? `CASE ${cases.join(' ')} ELSE 1 END` : '1';
};
