import { METROS, PLACES } from '@dnr/generate';
import type { ProfileSource } from './source.js';

const txnTables = new WeakMap<ProfileSource, Promise<string>>();

/** SQL string literal. */
const lit = (x: string) => `'${x.replace(/'/g, "''")}'`;

/**
 * Whether the warehouse's customers live on their metros' clocks (behaviour truth
 * merchants.geography.local_time; true when the truth is absent or does not say).
 */
function localTimeOn(src: ProfileSource): boolean {
  const geo = (src.truth?.behaviour as { merchants?: { geography?: { local_time?: boolean } } } | undefined)?.merchants?.geography;
  return geo?.local_time !== false;
}

/**
 * SQL (relation) of the wall-clock offsets of the zones customers can live in: `_nb_off(k, off)`, k =
 * zone index × 2^24 + UTC hour since the epoch, off = seconds east of UTC, for every hour of the window
 * ± 2 days; zone index j + 1 is the zone of the j-th distinct metro zone, 0 the warehouse's. Offsets
 * change on whole UTC hours in every zone of the metros (US zones switch at 02:00 local). Returns the
 * zone list (index → IANA name).
 */
async function installZoneOffsets(src: ProfileSource): Promise<string[]> {
  const zones = [src.tz, ...new Set(METROS.map((x) => x.zone))];
  const values = zones.map((z, j) => `(${j}, ${lit(z)})`).join(', ');
  await src.q(`CREATE OR REPLACE TEMP TABLE _nb_off AS
    SELECT (z.j::BIGINT << 24) + epoch(h)::BIGINT // 3600 AS k, (epoch(timezone(z.zone, timezone('UTC', h))) - epoch(h))::BIGINT AS off
    FROM (VALUES ${values}) z(j, zone), (SELECT unnest(generate_series(TIMESTAMP '${src.window.start}' - INTERVAL 2 DAY, TIMESTAMP '${src.window.end}' + INTERVAL 3 DAY, INTERVAL 1 HOUR)) AS h)`);
  return zones;
}

/**
 * SQL (relation) of the zone of each merchant whose descriptor names a town of a metro: `_nb_mzone(merchant_id,
 * zi)`, zi as installZoneOffsets: the zone of the town whose ` TOWN ST` ends the name, else whose ` TOWN`
 * does (processor descriptors print the town alone).
 */
async function installMerchantZones(src: ProfileSource, zones: string[]): Promise<void> {
  const cases = [
    ...PLACES.map((x) => `WHEN name LIKE ${lit(`% ${x.city} ${x.state}`)} THEN ${zones.indexOf(x.zone)}`),
    ...PLACES.map((x) => `WHEN name LIKE ${lit(`% ${x.city}`)} THEN ${zones.indexOf(x.zone)}`),
  ];
  await src.q(`CREATE OR REPLACE TEMP TABLE _nb_mzone AS
    SELECT merchant_id, zi FROM (SELECT merchant_id, CASE ${cases.join(' ')} END AS zi FROM dim_merchant) WHERE zi IS NOT NULL`);
}

/**
 * Card transactions (every auth result, deduplicated) with the customer they belong to (card →
 * account → customer), local time `lt` and `after_activation` (false for rows dated before their
 * card's activation: the injected "fact before its dimension row" defect). Orphan and null keys drop
 * out. Materialised once per source as a temp table; returns its name.
 *
 * Local time is where the purchase happens, as the data shows it: an in-person transaction (card_present,
 * contactless) at a merchant whose descriptor names a metro is on that metro's zone; any other is on
 * the customer's home zone, the zone of the metro most of their in-person transactions name (the
 * warehouse's zone, `warehouse.timezone`, for a customer with none). When the behaviour truth says the
 * customers were generated on the warehouse's clock (merchants.geography.local_time false), `lt` is
 * the warehouse's local time.
 */
export function neobankTxnSql(src: ProfileSource): Promise<string> {
  let made = txnTables.get(src);
  if (!made) {
    made = (async () => {
      const first = await src.first('fact_card_transaction');
      const base = `SELECT a.customer_id, t.*, (c.activated_at IS NOT NULL AND t.event_time >= c.activated_at) AS after_activation
        FROM ${first} t JOIN dim_card c ON c.card_id = t.card_id JOIN dim_account a ON a.account_id = c.account_id`;
      if (!localTimeOn(src) || !src.tables.has('dim_merchant')) {
        await src.q(`CREATE OR REPLACE TEMP TABLE _nb_txn AS SELECT x.*, local_ts(x.event_time) AS lt FROM (${base}) x`);
        return '_nb_txn';
      }
      const zones = await installZoneOffsets(src);
      await installMerchantZones(src, zones);
      await src.q(`CREATE OR REPLACE TEMP TABLE _nb_txn0 AS SELECT x.*, mz.zi AS mzi FROM (${base}) x LEFT JOIN _nb_mzone mz USING (merchant_id)`);
      // the home zone: the zone most of the customer's in-person transactions name (ties: the lower index)
      await src.q(`CREATE OR REPLACE TEMP TABLE _nb_czone AS
        SELECT customer_id, arg_max(mzi, n * 64 - mzi) AS zi FROM (
          SELECT customer_id, mzi, count(*) AS n FROM _nb_txn0 WHERE channel <> 'ecommerce' AND mzi IS NOT NULL GROUP BY 1, 2) GROUP BY 1`);
      await src.q(`CREATE OR REPLACE TEMP TABLE _nb_txn AS
        SELECT x.* EXCLUDE (mzi, zi), coalesce(x.event_time + to_seconds(o.off), local_ts(x.event_time)) AS lt FROM (
          SELECT t.*, CASE WHEN t.channel <> 'ecommerce' AND t.mzi IS NOT NULL THEN t.mzi ELSE coalesce(cz.zi, 0) END AS zi
          FROM _nb_txn0 t LEFT JOIN _nb_czone cz USING (customer_id)) x
        LEFT JOIN _nb_off o ON o.k = (x.zi::BIGINT << 24) + epoch(x.event_time)::BIGINT // 3600`);
      await src.q('DROP TABLE _nb_txn0');
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
