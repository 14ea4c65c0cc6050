import { hashString, SECTORS } from '@dnr/core';
import { localSecondsSql, zonedLocalSecondsSql, zonedUtcSecondsSql } from '../../behaviour/clock-sql.js';
import { permuteIdSql } from '../../behaviour/ids.js';
import { POIS_U, POIS_U_BITS, poissonBucketSql, poissonCountSql } from '../../behaviour/poisson.js';
import { REASON } from './declines.js';
import type { NeobankModel } from './model.js';
import { END_REASON, HOUR_BUCKETS, MAX_HOUR_SHIFT, MRANK_BITS, ONLINE_POOL, POOL_SLOTS, TRIP_BUCKETS } from './spend-tables.js';

/**
 * Generation-key tags (low 3 bits of a transaction's key): ordinary purchase, retry, blocked attempt,
 * recurring charge, attempt on a stopped card (6), a merchant's retry of a declined recurring charge (7); a purchase's key | 4 is its twin in the second copy of a repeated (fall-back) hour
 * (and | 5 that twin's retry).
 */
const TAG = { purchase: 0, retry: 1, blocked: 2, recurring: 3, foldTwin: 4, stale: 6, recurringRetry: 7 } as const;
/** Bits of the generation-key tag. */
export const TAG_BITS = 3;

export interface SpendSqlParams {
  m: NeobankModel;
  /** Ordinary transactions per unit of expectedSpendUnits. */
  base: number;
  /** Bits of the txn_id permutation domain. */
  idBits: number;
}

/**
 * Per-stream salts (seeded): a draw is hash(key XOR salt). DuckDB's multi-argument hash XORs the
 * arguments' hashes, so hash(key, salt1) and hash(key, salt2) would differ by a constant and every
 * stream would mirror the others. XOR-ing a 62-bit salt into the key before the (avalanching) integer
 * hash keeps streams independent, and as keys stay below 2^48 no two (key, stream) pairs collide.
 */
export function saltValues(seed: number) {
  const s = (name: string) => (BigInt(hashString(`neobank/${seed}/${name}`)) << 30n) ^ BigInt(hashString(`neobank/${name}/${seed}`)) ^ (1n << 61n);
  const names = ['week', 'week2', 'cand', 'attr', 'pick', 'money', 'auth', 'auth2', 'fav', 'block', 'block2', 'block3', 'rec', 'rec2', 'recRetry', 'habit', 'tax', 'geo', 'trip', 'tripDays'] as const;
  return Object.fromEntries(names.map((n) => [n, s(n)])) as Record<(typeof names)[number], bigint>;
}

/** The per-stream salts of a seed as SQL BIGINT literals (see saltValues). */
function salts(seed: number) {
  const v = saltValues(seed);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, `${x}::BIGINT`])) as Record<keyof typeof v, string>;
}

/**
 * SQL: popularity rank (0 = most used) of a merchant among n, Zipf-like with exponent a, by inverting
 * the continuous density x^−a on [1, n + 1) at uniform u. `zc` may pass a precomputed (n + 1)^(1−a) − 1.
 */
export const zipfRankSql = (u: string, n: string, a: number, zc?: string) =>
  Math.abs(a - 1) < 1e-9
    ? `least(${n} - 1, floor(exp(${u} * ln(${n} + 1)))::INTEGER - 1)`
    : `least(${n} - 1, floor(pow(1 + ${u} * ${zc ?? `(pow(${n} + 1, ${1 - a}) - 1)`}, ${1 / (1 - a)}))::INTEGER - 1)`;

/**
 * SQL: the pool a purchase picks its merchant from (spend-tables installPoolTables): an ecommerce purchase
 * goes to the MCC's online-only merchants (pool ONLINE_POOL) unless u16(hg, 0) < qst (an order at a
 * store); a store purchase is made in the customer's metro `home` when the customer's away uniform
 * `awayU` (tripDaysUSql: one draw per customer and run of days) is below the nb_mgeo probability (ph,
 * phs on summer days when `summer` is 1), else in trip metro g.reg (bucket of uniform `tripU`; the online
 * pool when the home metro has no store of the MCC: the purchase is then ecommerce). Because every
 * purchase of those days shares `awayU`, a customer is away for whole days (all sectors with a home share
 * below it), not for single purchases between two at home; each sector keeps its home share. Joins nb_mgeo
 * as g; returns the nb_mgeo key, the join on it and the expressions of the pool, whether the purchase is in
 * the home pool, the pool's size and its Zipf constant.
 */
function poolSql(mi: string, channel: string, home: string, qst: string, summer: string, tripU: string, awayU: string, hg: string) {
  const hk = `(CASE WHEN ${channel} = 'ecommerce' AND u16(${hg}, 0) >= ${qst} THEN ${ONLINE_POOL} ELSE ${home} END)`;
  const athome = `(${awayU} < CASE WHEN ${summer} = 1 THEN g.phs ELSE g.ph END)`;
  const key = `((${mi}::BIGINT * ${POOL_SLOTS} + ${hk}) << ${Math.log2(TRIP_BUCKETS)}) | floor(${tripU} * ${TRIP_BUCKETS})::BIGINT`;
  return {
    key,
    join: `JOIN nb_mgeo g ON g.k = ${key}`,
    athome,
    pool: `CASE WHEN ${athome} THEN ${hk} ELSE g.reg END`,
    cnt: `CASE WHEN ${athome} THEN g.h_cnt ELSE g.t_cnt END`,
    zc: `CASE WHEN ${athome} THEN g.h_zc ELSE g.t_zc END`,
  };
}

/**
 * SQL: the uniform of a customer's trip destination in the 30-day period of local day `d` (one draw per
 * customer and period, so a month's trips go to one metro, not a new state per purchase). With
 * geography.trip_destinations, a period draws afresh with probability new_place_share (its own uniform,
 * component 0 of the period's hash) and otherwise takes one of the customer's `favourites` fixed
 * destination uniforms (keys 2048 + j: periods never reach 2048), chosen evenly by component 1.
 */
function tripUSql(m: NeobankModel, cidx: string, d: string, salt: string): string {
  const { favourites: k, new_place_share: fresh } = m.b.merchants.geography.trip_destinations;
  const period = `hash(xor(${cidx}::BIGINT * 4096 + (${d}) // 30, ${salt}))`;
  if (k === 0 || fresh >= 1) return `u16(${period}, 0)`;
  const slot = `least(${k - 1}, floor((u16(${period}, 1) - ${fresh}) / ${1 - fresh} * ${k}))::BIGINT`;
  return `(CASE WHEN u16(${period}, 1) < ${fresh} THEN u16(${period}, 0) ELSE u16(hash(xor(${cidx}::BIGINT * 4096 + 2048 + ${slot}, ${salt})), 0) END)`;
}

/** Days of a run of away-or-home days (TRIP_RUN_DAYS): trips last whole runs of days, not single purchases. */
const TRIP_RUN_DAYS = 3;

/**
 * SQL: a customer's away uniform for local day `d`: one draw per customer and run of TRIP_RUN_DAYS days
 * (runs offset per customer, so they do not all start on the same day), shared by every purchase of those
 * days (poolSql compares it with each sector's home share).
 */
const tripDaysUSql = (cidx: string, d: string, salt: string) => `u16(hash(xor(${cidx}::BIGINT * 65536 + ((${d}) + ${cidx} % ${TRIP_RUN_DAYS}) // ${TRIP_RUN_DAYS}, ${salt})), 0)`;

/**
 * SQL: the zone index (model.zones) a purchase in merchant pool `pool` happens in: the pool's metro
 * zone for a store (at home or on a trip), the customer's home zone `zh` for an online-only merchant.
 */
function poolZoneSql(m: NeobankModel, pool: string, zh: string): string {
  if (m.zones.clocks.length === 1) return '0';
  return `CASE WHEN ${pool} = ${ONLINE_POOL} THEN ${zh} ELSE [${Array.from(m.zones.ofMetro).join(', ')}][${pool} + 1] END`;
}

/**
 * SQL: the bank's local day (warehouse.timezone) of Unix seconds `utc`, an instant inside the window
 * (± 2 days): the day defects key on.
 */
const bankDaySql = (m: NeobankModel, utc: string) => `((${localSecondsSql(m.clock, utc, [m.startUtc - 2 * 86400, m.endUtc + 2 * 86400])}) // 86400)`;


/** SQL: nb_mpick key of the merchant at popularity rank `rank` of pool `pool` of MCC `mi`. */
const pickKeySql = (mi: string, pool: string, rank: string) => `((${mi}::BIGINT * ${POOL_SLOTS} + ${pool}) << ${MRANK_BITS}) | (${rank})`;


const sectorCaseSql = (u: string) =>
  `(CASE ${SECTORS.slice(0, -1)
    .map((_, j) => `WHEN ${u} < s${j + 1} THEN ${j}`)
    .join(' ')} ELSE ${SECTORS.length - 1} END)`;






/** Table holding the fixed streams of every customer (see fixedStreamsSql), materialised once per run. */
export const FIXED_STREAMS_TABLE = 'nb_fixed';


/**
 * The streams whose volume does not depend on the purchase rate, for every customer: attempts on frozen
 * accounts and recurring charges. Columns as the purchases' (purchase-pool.ts purchasePartSql) plus cidx. Every row depends only on its
 * own key, so computing them once and slicing by cidx gives the same rows as computing them per chunk.
 */
export function fixedStreamsSql(p: SpendSqlParams): string {
  return [blockedSql(p), recurringSql(p), staleSql(p)].join('\nUNION ALL\n');
}

/** Most attempts drawn on one stopped card (the Poisson count is capped here; means are below 1). */
export const STALE_MAX = 64;

/**
 * Attempts on cards that stopped working (nb_stale: lost, expired or replaced, account closed): a
 * Poisson number per card within declines.stale_card.days of the stop, most in the first days (day
 * offset ∝ u²), at the customer's sector mix, the MCC's popular merchants and hours; all declined, for
 * the account's state at the time (closed, frozen) or else the card's.
 */
function staleSql(p: SpendSqlParams): string {
  const { m } = p;
  const S = salts(m.seed);
  const id = (key: string) => permuteIdSql(key, p.idBits, m.seed, 11);
  const days = m.b.declines.stale_card.days;
  const sectors = SECTORS.slice(0, -1).map((_, j) => `c.s${j + 1}`).join(', ');
  const reason = `CASE WHEN x.utc >= nc.closed THEN ${REASON.account_closed}
      WHEN EXISTS (SELECT 1 FROM nb_freeze z WHERE z.acct = nc.acct AND x.utc >= z.f AND x.utc < z.t) THEN ${REASON.account_frozen}
      ELSE ${cardEndReasonSql('x.er')} END`;
  // the channel first (an MCC without stores takes only ecommerce), then a merchant that takes it
  const channel = `CASE WHEN mc.ponly = 1 OR u16(x.hb, 2) < least(0.98, mc.ecom * x.ecom) THEN 'ecommerce' WHEN u16(x.hb2, 3) < x.contactless THEN 'contactless' ELSE 'card_present' END`;
  const pool = poolSql('x.mi', `(${channel})`, 'x.home', 'mc.qst', '0', tripUSql(m, 'x.cidx', 'x.d', S.trip), tripDaysUSql('x.cidx', 'x.d', S.tripDays), `hash(xor(x.skey, ${S.geo}))`);
  return `
  SELECT ${id('skey')} AS rid, ${bankDaySql(m, 'x.utc')} AS d, make_timestamp(x.utc * 1000000) AS ev, x.k, mr.merchant_id AS true_merchant,
    greatest(50, round(x.median * x.ticket * exp(x.sigma * z16(x.hb, 0))))::BIGINT AS amount_cents,
    CASE WHEN x.pool = ${ONLINE_POOL} THEN 'ecommerce' ELSE x.channel0 END AS channel,
    'declined' AS auth_result, x.bps AS bps0, ${reason} AS reason, x.cidx
  FROM (
    -- the attempt's instant on the clock of where it happens (home zone, or a trip metro's for a store there)
    SELECT x.*, ${zonedUtcSecondsSql(m.zones.clocks, 'x.z', 'x.d * 86400 + x.hr * 3600 + floor(u16(x.hb2, 1) * 3600)::BIGINT', 'x.d * 24 + x.hr', 'u16(x.hb2, 2)')} AS utc
    FROM (SELECT x.*, ${poolZoneSql(m, 'x.pool', 'x.zh')} AS z FROM (
      SELECT x.*, hq.h AS hr, mc.median, mc.sigma, mc.bps, ${channel} AS channel0, ${pool.pool} AS pool, ${pool.cnt} AS pcnt, ${pool.zc} AS pzc
      FROM (
        -- the day since the stop on the customer's home clock
        SELECT x.*, q.mi, q.hc, (${zonedLocalSecondsSql(m.zones.clocks, 'x.zh', 'x.f')}) // 86400 + floor(pow(u16(x.hb, 3), 2) * ${days})::BIGINT AS d
        FROM (
          SELECT x.*, hash(xor(x.skey, ${S.block2})) AS hb, hash(xor(x.skey, ${S.block3})) AS hb2 FROM (
            SELECT b.sid, b.k, b.cidx, b.er, b.f, c.ticket, c.ecom, c.contactless, c.home, c.zh, ${sectors},
              ((b.sid * ${STALE_MAX} + unnest(range(least(n, ${STALE_MAX})))) * ${2 ** TAG_BITS} + ${TAG.stale}) AS skey
            FROM (SELECT b.*, ${poissonCountSql('b.lam', 'pz', 'z16(hn, 1)')} AS n FROM (SELECT *, hash(xor(sid + ${2 ** 40}, ${S.block})) AS hn FROM nb_stale) b
              LEFT JOIN pois pz ON pz.k = (${poissonBucketSql('b.lam')}::BIGINT << ${POIS_U_BITS}) | (b.hn & ${POIS_U - 1}::UBIGINT)::BIGINT) b
            JOIN nb_cust c USING (cidx) WHERE n > 0) x) x
        JOIN nb_mcc_q q ON q.sec = ${sectorCaseSql('u16(x.hb, 1)')} AND q.b = floor(u16(x.hb2, 0) * 1024)::INTEGER
      ) x
      JOIN nb_hour_q hq ON hq.hc = x.hc AND hq.s = ${MAX_HOUR_SHIFT} AND hq.wk = 0 AND hq.b = floor(u16(hash(xor(x.skey, ${S.rec2})), 0) * ${HOUR_BUCKETS})::INTEGER
      JOIN nb_mcc mc ON mc.mi = x.mi
      ${pool.join}
      WHERE x.d >= 0 AND x.d < ${m.window.days}
    ) x) x
  ) x
  JOIN nb_card nc ON nc.k = x.k
  JOIN nb_mpick mr ON mr.k = ${pickKeySql('x.mi', 'x.pool', zipfRankSql(`u16(hash(xor(x.skey, ${S.pick})), 0)`, 'x.pcnt', m.b.merchants.popularity_exponent, 'x.pzc'))}
  WHERE x.utc IS NOT NULL AND x.utc >= x.f AND x.utc < ${m.endUtc}`;
}











/**
 * Purchase attempts while the account is frozen: a few per day, fading over the first week (the day drawn
 * with density falling over the week), at the local hours of the attempted MCC's weekday or weekend
 * curve (people try to pay when they shop); all declined.
 */
function blockedSql(p: SpendSqlParams): string {
  const { m } = p;
  const S = salts(m.seed);
  const rate = m.b.declines.blocked_attempts_per_day;
  const id = (key: string) => permuteIdSql(key, p.idBits, m.seed, 11);
  const hb2 = `hash(xor(bkey::BIGINT, ${S.block3}))`;
  // the channel first (an MCC without stores takes only ecommerce), then a merchant that takes it
  const channel = `CASE WHEN mc.ponly = 1 OR u16(hb, 2) < least(0.98, mc.ecom * x.ecom) THEN 'ecommerce' ELSE 'card_present' END`;
  const pool = poolSql('x.mi', `(${channel})`, 'x.home', 'mc.qst', '0', tripUSql(m, 'x.cidx', 'x.ld', S.trip), tripDaysUSql('x.cidx', 'x.ld', S.tripDays), `hash(xor(bkey::BIGINT, ${S.geo}))`);
  return `
  SELECT ${id('bkey')} AS rid, ${bankDaySql(m, 'utc')} AS d, make_timestamp(utc * 1000000) AS ev, x.k, mr.merchant_id AS true_merchant,
    greatest(50, round(x.median * ticket * exp(x.sigma * z16(hb, 0))))::BIGINT AS amount_cents,
    CASE WHEN x.pool = ${ONLINE_POOL} THEN 'ecommerce' ELSE x.channel0 END AS channel, 'declined' AS auth_result, x.bps AS bps0, ${REASON.account_frozen} AS reason, x.cidx
  FROM (
    -- the attempt's instant on the clock of where it happens (home zone, or a trip metro's for a store there)
    SELECT x.*, ${zonedUtcSecondsSql(m.zones.clocks, 'x.z', `x.ld * 86400 + x.hr * 3600 + floor(u16(${hb2}, 2) * 3600)::BIGINT`, 'x.ld * 24 + x.hr', `u16(${hb2}, 3)`)} AS utc FROM (
    SELECT x.*, ${poolZoneSql(m, 'x.pool', 'x.zh')} AS z FROM (
    SELECT x.*, hq.h AS hr, mc.median, mc.sigma, mc.bps, ${channel} AS channel0, ${pool.pool} AS pool, ${pool.cnt} AS pcnt, ${pool.zc} AS pzc FROM (
    -- the attempt's day on the customer's home clock
    SELECT x.*, q.mi, q.hc, (${zonedLocalSecondsSql(m.zones.clocks, 'x.zh', 'f + floor(pow(u16(hb, 3), 2) * least(t - f, 7 * 86400))::BIGINT')}) // 86400 AS ld FROM (
      SELECT x.*, hash(xor((bkey)::BIGINT, ${S.block2})) AS hb FROM (
        SELECT b.*, c.ticket, c.ecom, c.home, c.zh, ${SECTORS.slice(0, -1)
          .map((_, j) => `c.s${j + 1}`)
          .join(', ')}, ((b.bid * 131072 + unnest(range(least(n, 1000)))) * ${2 ** TAG_BITS} + ${TAG.blocked}) AS bkey
        FROM (SELECT b.*, ${poissonCountSql('lam', 'pz', 'z16(hn, 1)')} AS n FROM (
          SELECT *, ${rate} * least(7, (t - f) / 86400.0) * 0.6 AS lam, hash(xor((bid)::BIGINT, ${S.block})) AS hn FROM nb_block) b
          LEFT JOIN pois pz ON pz.k = (${poissonBucketSql('b.lam')}::BIGINT << ${POIS_U_BITS}) | (b.hn & ${POIS_U - 1}::UBIGINT)::BIGINT) b
        JOIN nb_cust c USING (cidx) WHERE n > 0) x) x
    JOIN nb_mcc_q q ON q.sec = ${sectorCaseSql('u16(x.hb, 1)')} AND q.b = floor(u16(x.hb, 2) * 1024)::INTEGER) x
    JOIN nb_hour_q hq ON hq.hc = x.hc AND hq.s = ${MAX_HOUR_SHIFT} AND hq.wk = (isodow(DATE '${m.window.startDate}' + x.ld::INTEGER) >= 6)::INTEGER
      AND hq.b = floor(u16(${hb2}, 1) * ${HOUR_BUCKETS})::INTEGER
    JOIN nb_mcc mc ON mc.mi = x.mi ${pool.join}) x) x
  ) x
  JOIN nb_mpick mr ON mr.k = ${pickKeySql('x.mi', 'x.pool', zipfRankSql(`u16(${hb2}, 0)`, 'x.pcnt', m.b.merchants.popularity_exponent, 'x.pzc'))}
  WHERE utc BETWEEN f AND t - 1`;
}

/**
 * Monthly card-on-file charges on each service's billing day (the provider's batch hour), by one of the
 * service's own slice of the MCC's subscription providers (ranks p_off … p_off + p_cnt − 1, Zipf 1.6:
 * a few big providers), to the card on file
 * (the latest activated card of the account): declined when that card was lost,
 * expired or the account is frozen; otherwise a small insufficient-funds chance.
 */
function recurringSql(p: SpendSqlParams): string {
  const { m } = p;
  const S = salts(m.seed);
  const id = (key: string) => permuteIdSql(key, p.idBits, m.seed, 11);
  const start = `DATE '${m.window.startDate}'`;
  const nsf = m.b.declines.base_rate / 3;
  // calendar month index (year × 12 + month − 1) of the window's first month
  const [y0, m0] = m.window.startDate.split('-').map(Number);
  const cm0 = y0 * 12 + m0 - 1;
  // the list price after the provider's price changes so far in the window (each provider changes on its
  // own month, phase = hash of the merchant): the new price keeps the cents ending (6.99 → 7.99)
  const ph = `(hash(xor(x.merchant_id, ${S.rec})) % x.rise_every::UBIGINT)::INTEGER`;
  const rises = `(((${cm0} + x.mo - ${ph}) // x.rise_every) - ((${cm0} - ${ph}) // x.rise_every))`;
  const raised = `(CASE WHEN x.rise = 0 OR ${rises} = 0 THEN x.price
      ELSE round(x.price * pow(1 + x.rise, ${rises}) / 100) * 100 + x.price % 100 - CASE WHEN x.price % 100 >= 50 THEN 100 ELSE 0 END END)`;
  const season = `(1 + x.seasonal * cos(2 * pi() * ((${cm0} + x.mo) % 12) / 6))`;
  const overage = `CASE WHEN u16(hr, 0) < x.over_share THEN round(${raised} * x.over_max * u16(hash(xor((rkey)::BIGINT, ${S.rec2})), 2)) ELSE 0 END`;
  // the account's state first (closed, frozen), then the card's (lost, expired or replaced), then the balance
  const reason = `CASE WHEN x.utc >= x.closed THEN ${REASON.account_closed}
      WHEN EXISTS (SELECT 1 FROM nb_freeze z WHERE z.acct = x.acct AND x.utc >= z.f AND x.utc < z.t) THEN ${REASON.account_frozen}
      WHEN x.utc >= nc.ended THEN ${cardEndReasonSql('nc.er')}
      WHEN u16(hr, 1) < ${nsf} * exp(c.lrisk) THEN ${REASON.insufficient_funds} END`;
  return `
  SELECT * FROM (WITH rec AS MATERIALIZED (
  SELECT ${id('rkey')} AS rid, ${bankDaySql(m, 'x.utc')} AS d, make_timestamp(utc * 1000000) AS ev, nc.k, x.merchant_id AS true_merchant,
    greatest(50, round(${raised} * ${season} * (1 + variable * z16(hr, 2))) + ${overage})::BIGINT AS amount_cents, 'ecommerce' AS channel,
    ${reason} AS reason, x.bps AS bps0, x.cidx, x.acct, x.rkey, x.utc, least(x.t, x.closed, nc.ended) AS stop
  FROM (
    -- the billing day and hour on the clock of the merchant's seat (its zone z)
    SELECT x.*, ${zonedUtcSecondsSql(m.zones.clocks, 'x.z', 'd * 86400 + hour * 3600 + sec', 'd * 24 + hour', 'u16(hr, 3)')} AS utc FROM (
      SELECT x.*, mr.merchant_id, mr.z, mc.bps FROM (
        SELECT r.*, (date_trunc('month', ${start}) + to_months(mo::INTEGER) + to_days(bill_day - 1))::DATE - ${start} AS d,
          hash(xor((rkey)::BIGINT, ${S.rec})) AS hr, hq.h AS hour, floor(u16(hash(xor((rkey)::BIGINT, ${S.rec2})), 1) * 3600)::BIGINT AS sec
        FROM (SELECT *, (rid * 256 + mo) * ${2 ** TAG_BITS} + ${TAG.recurring} AS rkey FROM (SELECT *, unnest(range(0, ${m.window.months + 1})) AS mo FROM nb_rec)) r
        -- each service bills at its own hour of the day (merchants run their billing batches at different times)
        JOIN nb_hour_q hq ON hq.hc = r.hc AND hq.s = ${MAX_HOUR_SHIFT} AND hq.wk = 0 AND hq.b = floor(u16(hash(xor((r.rid)::BIGINT, ${S.rec2})), 0) * ${HOUR_BUCKETS})::INTEGER
      ) x
      JOIN nb_mcc mc ON mc.mi = x.mi
      JOIN nb_mrank mr ON mr.mi = x.mi AND mr.rank = CASE WHEN x.p_cnt > 0 THEN x.p_off + ${zipfRankSql('x.mu', 'x.p_cnt', 1.6)} ELSE ${zipfRankSql('x.mu', 'mc.m_cnt', 1.6)} END
      WHERE d >= 0 AND d <= ${m.window.days}
    ) x
  ) x
  ASOF JOIN (SELECT * FROM nb_card WHERE activated IS NOT NULL) nc ON nc.acct = x.acct AND x.utc >= nc.activated
  JOIN nb_cust c ON c.cidx = x.cidx
  -- the merchant's billing day is local to its zone; the window is the bank's days
  -- one BETWEEN: each comparison would inline utc's whole expression (a NULL utc, a skipped local hour, fails it)
  WHERE x.utc BETWEEN greatest(x.f, ${m.startUtc}) AND least(x.t, ${m.endUtc}) - 1)
  SELECT rid, d, ev, k, true_merchant, amount_cents, channel, CASE WHEN reason IS NULL THEN 'approved' ELSE 'declined' END AS auth_result, bps0, reason, cidx FROM rec
  UNION ALL
  ${recurringRetrySql(p)})`;
}

/**
 * SQL (reads CTE \`rec\` of recurringSql): the merchant's retries of a recurring charge declined for
 * insufficient funds (declines.recurring_retry): failures before the first success are geometric in
 * \`success\`, capped at \`attempts\`; retry j (0-based) falls (j + 1) × a lognormal spacing after the
 * decline, at a batch hour jittered by up to 6 hours; a retry while the account is frozen is declined
 * account_frozen; a retry after the card stopped, the account closed or the window ended is not made. Keys: ((charge key >> 3) × 8 + j) × 8 + 7 (tag 7, distinct from every other stream; j ≤ 7 as attempts ≤ 8).
 */
function recurringRetrySql(p: SpendSqlParams): string {
  const { m } = p;
  const S = salts(m.seed);
  const rr = m.b.declines.recurring_retry;
  const id = (key: string) => permuteIdSql(key, p.idBits, m.seed, 11);
  const fails = rr.success >= 1 ? '0' : rr.success <= 0 ? `${rr.attempts}` : `least(${rr.attempts}, floor(ln(greatest(1e-9, u16(hq, 0))) / ${Math.log(1 - rr.success)}))::INTEGER`;
  // a retry that falls while the account is frozen is declined account_frozen, whatever the balance
  const frozen = `EXISTS (SELECT 1 FROM nb_freeze z WHERE z.acct = r.acct AND r.utc2 >= z.f AND r.utc2 < z.t)`;
  return `SELECT ${id('qkey')} AS rid, (${localSecondsSql(m.clock, 'utc2')}) // 86400 AS d, make_timestamp(utc2 * 1000000) AS ev, k, true_merchant, amount_cents, channel,
    CASE WHEN j < fails OR ${frozen} THEN 'declined' ELSE 'approved' END AS auth_result, bps0,
    CASE WHEN ${frozen} THEN ${REASON.account_frozen} WHEN j < fails THEN ${REASON.insufficient_funds} END AS reason, cidx
  FROM (SELECT *, ((rkey >> ${TAG_BITS}) * 8 + j) * ${2 ** TAG_BITS} + ${TAG.recurringRetry} AS qkey,
      utc + round((j + 1) * ${rr.lag.median_hours * 3600} * exp(${rr.lag.sigma} * z16(hq, 1)) + 21600 * u16(hash(xor(rkey * 4 + j, ${S.recRetry})), 2))::BIGINT AS utc2
    FROM (SELECT *, unnest(range(least(fails + 1, ${rr.attempts}))) AS j FROM (
      SELECT *, ${fails} AS fails FROM (SELECT *, hash(xor(rkey, ${S.recRetry})) AS hq FROM rec WHERE reason = ${REASON.insufficient_funds}) WHERE ${rr.attempts} > 0))) r
  WHERE utc2 < stop AND (${localSecondsSql(m.clock, 'utc2')}) // 86400 < ${m.window.days}`;
}

/** SQL: the decline reason of an attempt on a card that stopped (nb_card.er): lost, expired / replaced, or its account closed. */
const cardEndReasonSql = (er: string) =>
  `CASE ${er} WHEN ${END_REASON.lost} THEN ${REASON.lost_card} WHEN ${END_REASON.expired} THEN ${REASON.expired_card} ELSE ${REASON.account_closed} END`;
