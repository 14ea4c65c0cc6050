import type { DuckDBConnection } from '@duckdb/node-api';
import { MCCS, PRICE_STYLES, SECTORS, type NeobankBehaviour } from '@dnr/core';
import { activityAt } from '../../behaviour/activity.js';
import { calendarMultipliers, monthOf, weekdayOf } from '../../behaviour/calendar.js';
import { quantileBuckets } from '../../behaviour/curves.js';
import { loadColumns } from '../../behaviour/load.js';
import { PAY_PROFILES, paydayMultipliers, prePaydayFlags } from '../../behaviour/paydays.js';
import { installPoissonTable } from '../../behaviour/poisson.js';
import { valuesTable } from '../../behaviour/sql.js';
import { SECTOR_COUNT } from './model.js';
import { cardInterchange } from './interchange.js';
import type { NeobankWorld } from './world.js';

/** Bits of a merchant's popularity rank in nb_mrank's one-column key k = mi << MRANK_BITS | rank (ranks stay far below 2^24). */
export const MRANK_BITS = 24;

/** Pay-profile × segment key of the day-weight tables. */
export const psKey = (profile: number, segment: number) => profile * 16 + segment;

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Day weight of each MCC on each window day: weekday × month (each normalised to mean 1) × calendar effects. */
export function mccDayWeights(world: NeobankWorld): Float64Array[] {
  const { m } = world;
  const { b, window } = m;
  return MCCS.map((x) => {
    const code = String(x.mcc);
    const dow = b.day_of_week[code] ?? b.day_of_week[x.sector];
    const month = b.month_of_year[x.sector];
    const dm = mean(dow);
    const mm = mean(month);
    const cal = calendarMultipliers(m.calendar, [code, x.sector], 0, window.days);
    const out = new Float64Array(window.days);
    for (let d = 0; d < window.days; d++) out[d] = (dow[weekdayOf(window.startDate, d)] / dm) * (month[monthOf(window.startDate, d).month] / mm) * cal[d];
    return out;
  });
}

/** Payday multiplier and pre-payday flag per (pay profile × segment) and window day. */
export function paydayTables(world: NeobankWorld): Map<number, { pm: Float64Array; pre: Uint8Array }> {
  const { m } = world;
  const p = m.b.paydays;
  const out = new Map<number, { pm: Float64Array; pre: Uint8Array }>();
  for (const [pi, profile] of PAY_PROFILES.entries()) {
    const days = m.paydays[profile];
    const base = paydayMultipliers(days, 0, m.window.days, p.lift, p.fade_days, p.pre_payday_dip);
    const pre = prePaydayFlags(days, 0, m.window.days);
    for (const [si, name] of m.segmentNames.entries()) {
      const sens = m.b.segments[name].payday_sensitivity;
      out.set(psKey(pi, si), { pm: base.map((x) => 1 + sens * (x - 1)), pre });
    }
  }
  return out;
}

/** P(MCC | sector) from the MCC weights. */
export function mccGivenSector(): Float64Array {
  const out = new Float64Array(MCCS.length);
  for (const s of SECTORS) {
    const idx = MCCS.flatMap((x, j) => (x.sector === s ? [j] : []));
    const total = idx.reduce((acc, j) => acc + MCCS[j].weight, 0);
    for (const j of idx) out[j] = MCCS[j].weight / total;
  }
  return out;
}

/**
 * Load the simulated entities and the lookup tables the spend SQL joins: nb_cust, nb_span, nb_block,
 * nb_card, nb_freeze, nb_rec, nb_stale, nb_mcc, nb_mrank, nb_mcc_q (MCC within sector), nb_hour_q (hour by MCC and
 * weekend), nb_mday / nb_pday / nb_wmax (day weights and their weekly peak), pois.
 */
export async function installSpendTables(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  await installCustomerTable(conn, world);
  await installSpanTables(conn, world);
  await installCardTables(conn, world);
  await installRecurringTable(conn, world);
  await installStaleCards(conn, world);
  await installMerchantTables(conn, world);
  await installDayTables(conn, world);
  await installPoissonTable(conn, 'pois');
}

/**
 * nb_cust, one row per customer (cidx = simulation index): customer_id, pay profile × segment key ps,
 * activity act, usual ticket multiplier, first spend (local day, NaN = never), the segment's activity
 * curve (ramp_days, long_run, half_life_days), cumulative sector mix s1…s(n−1), e-commerce and
 * contactless propensities, loyalty, ln(decline risk: the segment's × the customer's own multiplier), weekend lean wkp and hour lean hsh (whole hours),
 * home metro and its zone zh (model.zones).
 */
async function installCustomerTable(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { m, customers: c, ac, ids } = world;
  const segs = m.segmentNames.map((n) => m.b.segments[n]);
  const fsDay = Float64Array.from(ac.firstSpend, (t, i) => (Number.isNaN(t) ? NaN : homeClock(world, i).localOf(t) / 86400));
  const sector = (j: number) => Float64Array.from({ length: c.n }, (_, i) => c.sectorCum[i * SECTOR_COUNT + j]);
  await loadColumns(conn, 'nb_cust', [
    ['cidx', 'INTEGER', Int32Array.from({ length: c.n }, (_, i) => i)],
    ['customer_id', 'BIGINT', ids.customer],
    ['ps', 'INTEGER', Int32Array.from({ length: c.n }, (_, i) => psKey(c.profile[i], c.segment[i]))],
    ['act', 'DOUBLE', c.act],
    ['ticket', 'DOUBLE', c.ticket],
    ['fs_day', 'DOUBLE', fsDay],
    ['ramp', 'DOUBLE', Float64Array.from(c.segment, (s) => segs[s].activity.ramp_days)],
    ['long_run', 'DOUBLE', Float64Array.from(c.segment, (s) => segs[s].activity.long_run)],
    ['half_life', 'DOUBLE', Float64Array.from(c.segment, (s) => segs[s].activity.half_life_days)],
    ...Array.from({ length: SECTOR_COUNT - 1 }, (_, j): [string, 'DOUBLE', Float64Array] => [`s${j + 1}`, 'DOUBLE', sector(j)]),
    ['ecom', 'DOUBLE', c.ecom],
    ['contactless', 'DOUBLE', c.contactless],
    ['loyalty', 'DOUBLE', Float64Array.from(c.segment, (s) => segs[s].loyalty)],
    ['lrisk', 'DOUBLE', Float64Array.from(c.segment, (s, i) => Math.log(segs[s].decline_risk * c.riskMult[i]))],
    ['wkp', 'DOUBLE', Float64Array.from(c.weekendLean)],
    ['hsh', 'INTEGER', Int32Array.from(c.hourShift)],
    ['home', 'INTEGER', world.home],
    // the zone of the home metro (model.zones): purchases at home and online are on its clock
    ['zh', 'INTEGER', Int32Array.from(world.home, (h) => m.zones.ofMetro[h])],
  ]);
}

/** The clock of customer i's home metro (model.zones). */
export const homeClock = (world: NeobankWorld, i: number) => world.m.zones.clocks[world.m.zones.ofMetro[world.home[i]]];

/**
 * nb_span(sid, k, cidx, f, t, prem, a, b): the spend windows, each on one card k between Unix s f and t
 * (first and last local day a, b on the customer's home clock; prem = premium plan), and nb_block(bid, k, cidx, f, t): the spells in
 * which the card's account is frozen (purchase attempts there are declined).
 */
async function installSpanTables(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { spans } = world;
  const day = (t: number, j: number) => Math.floor(homeClock(world, spans.customer[j]).localOf(t) / 86400);
  await loadColumns(conn, 'nb_span', [
    ['sid', 'BIGINT', Float64Array.from(spans.card, (_, j) => j)],
    ['k', 'INTEGER', spans.card],
    ['cidx', 'INTEGER', spans.customer],
    ['f', 'BIGINT', spans.from.map(Math.ceil)],
    ['t', 'BIGINT', spans.to.map(Math.ceil)],
    ['prem', 'INTEGER', spans.premium],
    ['a', 'BIGINT', spans.from.map((t, j) => day(t, j))],
    ['b', 'BIGINT', spans.to.map((t, j) => day(t - 1, j))],
  ]);
  const bl = spans.blocked;
  await loadColumns(conn, 'nb_block', [
    ['bid', 'BIGINT', bl.card.map((_, j) => j)],
    ['k', 'INTEGER', bl.card],
    ['cidx', 'INTEGER', bl.customer],
    ['f', 'BIGINT', bl.from.map(Math.ceil)],
    ['t', 'BIGINT', bl.to.map(Math.ceil)],
  ]);
}

/**
 * nb_card(k, card_id, acct, cidx, activated, ended, er, closed, ic_*): every card with its activation and
 * end (Unix s), why it ended, its account's closure and its interchange (interchange.ts); nb_freeze(acct,
 * f, t): every account freeze (t = 9e15 while never lifted).
 */
async function installCardTables(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { m, ac, ids } = world;
  const ic = cardInterchange(m, ac);
  await loadColumns(conn, 'nb_card', [
    ['k', 'INTEGER', Int32Array.from(ac.cards, (_, j) => j)],
    ['card_id', 'BIGINT', ids.card],
    ['acct', 'INTEGER', Int32Array.from(ac.cards, (x) => x.account)],
    ['cidx', 'INTEGER', Int32Array.from(ac.cards, (x) => x.customer)],
    ['activated', 'BIGINT', Float64Array.from(ac.cards, (x) => Math.ceil(x.activated))],
    ['ended', 'BIGINT', Float64Array.from(ac.cards, (x) => Math.ceil(x.ended))],
    // why the card stopped (END_REASON) and its account's closure (9e15 = open; floored as the status history's valid_from)
    ['er', 'INTEGER', Int32Array.from(ac.cards, (x) => END_REASON[x.endReason ?? 'none'])],
    ['closed', 'BIGINT', Float64Array.from(ac.cards, (x) => (Number.isFinite(ac.accounts[x.account].closed) ? Math.floor(ac.accounts[x.account].closed) : 9e15))],
    ['ic_reg', 'INTEGER', Int32Array.from(ic.regulated)],
    ['ic_cp', 'DOUBLE', ic.cardPresent],
    ['ic_cl', 'DOUBLE', ic.contactless],
    ['ic_ec', 'DOUBLE', ic.ecommerce],
  ]);
  const fr = ac.accounts.flatMap((a, j) => a.freezes.map(([f, t]) => [j, f, t] as const));
  await loadColumns(conn, 'nb_freeze', [
    ['acct', 'INTEGER', fr.map((x) => x[0])],
    ['f', 'BIGINT', fr.map((x) => Math.ceil(x[1]))],
    // a freeze never lifted runs past any event (NULL would make the range test unknown)
    ['t', 'BIGINT', fr.map((x) => (Number.isFinite(x[2]) ? Math.ceil(x[2]) : 9e15))],
  ]);
}

/**
 * nb_rec: one row per recurring service of a customer (recurring.ts): its account, MCC and hour curve,
 * merchant draw mu, price and its variability, rises and overage, seasonality, its slice of the MCC's
 * subscription providers (p_off, p_cnt), billing day, active span [f, t) and the account's closure (Unix s; 9e15 = never).
 */
async function installRecurringTable(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { m, recurring } = world;
  const providers = subscriptionProviders(world.merchants.perMcc, recurringServiceMccs(m.b));
  await loadColumns(conn, 'nb_rec', [
    ['rid', 'BIGINT', recurring.map((_, j) => j)],
    ['cidx', 'INTEGER', recurring.map((x) => x.customer)],
    ['acct', 'INTEGER', recurring.map((x) => x.account)],
    ['mi', 'INTEGER', recurring.map((x) => x.mcc)],
    ['hc', 'INTEGER', recurring.map((x) => hourCurves(m.b).ofMcc[x.mcc])],
    ['mu', 'DOUBLE', recurring.map((x) => x.merchantU)],
    ['price', 'DOUBLE', recurring.map((x) => x.priceCents)],
    ['variable', 'DOUBLE', recurring.map((x) => x.variable)],
    ['rise', 'DOUBLE', recurring.map((x) => x.risePct)],
    ['rise_every', 'INTEGER', recurring.map((x) => x.riseEvery)],
    ['over_share', 'DOUBLE', recurring.map((x) => x.overageShare)],
    ['over_max', 'DOUBLE', recurring.map((x) => x.overageMax)],
    ['seasonal', 'DOUBLE', recurring.map((x) => x.seasonal)],
    ['p_off', 'INTEGER', recurring.map((x) => providers.services[x.service].offset)],
    ['p_cnt', 'INTEGER', recurring.map((x) => providers.services[x.service].count)],
    ['bill_day', 'INTEGER', recurring.map((x) => x.billDay)],
    ['f', 'BIGINT', recurring.map((x) => Math.ceil(x.from))],
    ['t', 'BIGINT', recurring.map((x) => (Number.isFinite(x.to) ? Math.ceil(x.to) : 9e15))],
    ['closed', 'BIGINT', recurring.map((x) => (Number.isFinite(x.closed) ? Math.floor(x.closed) : 9e15))],
  ]);
}

/** The MCC index (as MCCS) of each recurring service, in config order. */
const recurringServiceMccs = (b: NeobankBehaviour) => Object.values(b.recurring).map((x) => MCCS.findIndex((y) => y.mcc === x.mcc));

/** Why a card stopped working, as nb_card.er / nb_stale.er. */
export const END_REASON = { none: 0, lost: 1, expired: 2, closed: 3 } as const;

/**
 * nb_stale(sid, k, cidx, er, f, lam): cards that stopped working (lost, expired or replaced, account
 * closed) in time for attempts inside the window: f = the stop (Unix s), lam = mean declined attempts
 * on the card afterwards (declines.stale_card by reason).
 */
async function installStaleCards(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { m, ac } = world;
  const sc = m.b.declines.stale_card;
  const lam = { lost: sc.lost, expired: sc.expired, closed: sc.closed };
  const rows = ac.cards.flatMap((c, k) =>
    c.endReason && !Number.isNaN(c.activated) && c.ended < m.endUtc && c.ended > m.startUtc - sc.days * 86400 && lam[c.endReason] > 0 ? [[k, c.customer, END_REASON[c.endReason], Math.ceil(c.ended), lam[c.endReason]]] : [],
  );
  await loadColumns(conn, 'nb_stale', [
    ['sid', 'BIGINT', rows.map((_, j) => j)],
    ['k', 'INTEGER', rows.map((r) => r[0])],
    ['cidx', 'INTEGER', rows.map((r) => r[1])],
    ['er', 'INTEGER', rows.map((r) => r[2])],
    ['f', 'BIGINT', rows.map((r) => r[3])],
    ['lam', 'DOUBLE', rows.map((r) => r[4])],
  ]);
}

/** Share of an MCC's merchants that are subscription providers when a recurring service uses the MCC (a modelling choice: a few big providers, most merchants selling one-off). */
const SUBSCRIPTION_PROVIDER_SHARE = 0.2;

/** Subscription providers: per MCC (index as MCCS) their count, per recurring service (config order) its own ranks [offset, offset + count). */
export interface SubscriptionProviders {
  perMcc: number[];
  services: { offset: number; count: number }[];
}

/**
 * Subscription providers per MCC: merchants of popularity rank 0 … s − 1 of an MCC used by a recurring
 * service bill only card-on-file charges, and ordinary purchases go to the other ranks. s = round(share ×
 * merchants), at least one per service of the MCC, always leaving one ordinary merchant; 0 when the MCC
 * has fewer than services + 1 merchants (small scales: its recurring charges then share all its merchants
 * with purchases). The services of one MCC (video and music streaming) split its providers into disjoint
 * slices, so a customer paying both pays two merchants.
 * `serviceMccs`: the MCC index of each recurring service.
 */
export function subscriptionProviders(perMcc: ArrayLike<number>, serviceMccs: number[]): SubscriptionProviders {
  const counts = Array.from(perMcc, (n, j) => {
    const services = serviceMccs.filter((x) => x === j).length;
    // too few merchants for one provider per service besides an ordinary merchant: none (shared as before)
    return services === 0 || n - 1 < services ? 0 : Math.max(services, Math.min(n - 1, Math.round(SUBSCRIPTION_PROVIDER_SHARE * n)));
  });
  const services = serviceMccs.map((j, i) => {
    const same = serviceMccs.flatMap((x, k) => (x === j ? [k] : []));
    const s = counts[j] ?? 0;
    if (s === 0) return { offset: 0, count: 0 };
    const pos = same.indexOf(i);
    const size = (q: number) => Math.floor(s / same.length) + (q < s % same.length ? 1 : 0);
    let offset = 0;
    for (let q = 0; q < pos; q++) offset += size(q);
    return { offset, count: size(pos) };
  });
  return { perMcc: counts, services };
}

/**
 * nb_mrank(mi, rank, merchant_id, z, k): the merchant of each popularity rank of each MCC and its seat's zone; nb_mcc and
 * nb_points (installMccTable); nb_mcc_q(sec, b, mi, k, nb_mcc's columns): the MCC of bucket b of 1024 of
 * P(MCC | sector); nb_hour_q (installHourTable).
 */
async function installMerchantTables(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { merchants } = world;
  await loadColumns(conn, 'nb_mrank', [
    ['mi', 'INTEGER', merchants.mcc],
    ['rank', 'INTEGER', merchants.rank],
    ['merchant_id', 'BIGINT', merchants.id],
    // the zone of the merchant's seat (its metro; an online-only merchant's seat metro): its billing clock
    ['z', 'INTEGER', Int32Array.from(merchants.seat, (j) => world.m.zones.ofMetro[j])],
  ]);
  // one-column join key (a packed BIGINT hashes and compares faster than the (mi, rank) pair)
  await conn.run(`CREATE OR REPLACE TABLE nb_mrank AS SELECT *, (mi::BIGINT << ${MRANK_BITS}) | rank AS k FROM nb_mrank`);
  await installMccTable(conn, world);
  const pm = mccGivenSector();
  const rows: number[][] = [];
  for (const [s, name] of SECTORS.entries()) {
    const idx = MCCS.flatMap((x, j) => (x.sector === name ? [j] : []));
    const q = quantileBuckets(idx.map((j) => pm[j]));
    for (let bkt = 0; bkt < q.length; bkt++) rows.push([s, bkt, idx[q[bkt]]]);
  }
  await loadColumns(conn, 'nb_mcc_q0', [
    ['sec', 'INTEGER', rows.map((r) => r[0])],
    ['b', 'INTEGER', rows.map((r) => r[1])],
    ['mi', 'INTEGER', rows.map((r) => r[2])],
  ]);
  // the MCC's parameters travel with the lookup, saving a join per transaction
  // k = sec · 1024 + b: one-column join key
  await conn.run('CREATE OR REPLACE TABLE nb_mcc_q AS SELECT q.sec, q.b, q.mi, (q.sec::BIGINT << 10) | q.b AS k, mc.* EXCLUDE (mi, sec) FROM nb_mcc_q0 q JOIN nb_mcc mc USING (mi)');
  await installHourTable(conn, world);
}

/**
 * nb_mcc: one row per MCC (mi = index as MCCS): sector, amount median (cents) and lognormal sigma,
 * interchange bps, e-commerce share, price style, reversal rate, ordinary merchants m_cnt (its subscription
 * providers s_cnt excluded) and their Zipf constant zc, list-price count, the sector's loyalty multiplier
 * and hour curve, ponly (1 = no store: ecommerce only) and qst (storeEcommerceShare); nb_points(k = mi · 16
 * + point, cents): the MCC's list prices; the merchant pools (installPoolTables).
 */
async function installMccTable(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { merchants, m } = world;
  const a = m.b.merchants.popularity_exponent;
  const subs = subscriptionProviders(merchants.perMcc, recurringServiceMccs(m.b)).perMcc;
  const pools = merchantPools(merchants, subs);
  const geo = m.b.merchants.geography;
  await valuesTable(
    conn,
    'nb_mcc',
    ['mi', 'sec', 'median', 'sigma', 'bps', 'ecom', 'style', 'rev', 'm_cnt', 'zc', 'npts', 'lmul', 's_cnt', 'hc', 'ponly', 'qst'],
    MCCS.map((x, j) => [
      j,
      SECTORS.indexOf(x.sector),
      x.medianCents,
      x.sigma,
      x.interchangeBps,
      x.ecommerceShare,
      PRICE_STYLES.indexOf(x.priceStyle),
      x.reversalRate,
      merchants.perMcc[j] - subs[j],
      Math.pow(merchants.perMcc[j] - subs[j] + 1, 1 - a) - 1,
      (x.pricePoints ?? [x.medianCents]).length,
      m.b.merchants.sector_loyalty[x.sector] ?? 1,
      subs[j],
      hourCurves(m.b).ofMcc[j],
      pools.stores[j] === 0 ? 1 : 0,
      storeEcommerceShare(x.ecommerceShare, geo.store_ecommerce_share[x.sector], pools.online[j], pools.stores[j]),
    ]),
  );
  await installPoolTables(conn, world, pools);
  const points = MCCS.flatMap((x, j) => (x.pricePoints ?? [x.medianCents]).map((cents, k) => [j * 16 + k, cents]));
  await valuesTable(conn, 'nb_points', ['k', 'cents'], points);
}

/** Pools per MCC in the nb_mpick / nb_mgeo keys (mi · POOL_SLOTS + pool): the metros (35) and the online pool. */
export const POOL_SLOTS = 64;
/** Pool (nb_mpick / nb_mgeo key part) of an MCC's online-only merchants; a store's pool is its metro index. */
export const ONLINE_POOL = POOL_SLOTS - 1;
/** Buckets of a trip-metro lookup (nb_mgeo). */
export const TRIP_BUCKETS = 256;

/**
 * The merchants ordinary purchases pick from, per MCC (index as MCCS): the MCC's merchants past its
 * subscription providers (ranks ≥ subs[j]), split into online-only merchants and stores by metro.
 * `members[j][pool]` lists merchant indices by popularity rank (pool ONLINE_POOL = online-only, else the
 * metro); `online[j]` / `stores[j]` count them.
 */
export interface MerchantPools {
  members: Array<Map<number, number[]>>;
  online: number[];
  stores: number[];
}

/** Split each MCC's ordinary merchants into pools (see MerchantPools). */
export function merchantPools(merchants: NeobankWorld['merchants'], subs: readonly number[]): MerchantPools {
  const members = MCCS.map(() => new Map<number, number[]>());
  const order = Array.from({ length: merchants.n }, (_, i) => i).sort((p, q) => merchants.mcc[p] - merchants.mcc[q] || merchants.rank[p] - merchants.rank[q]);
  for (const i of order) {
    const j = merchants.mcc[i];
    if (merchants.rank[i] < subs[j]) continue;
    const pool = merchants.online[i] ? ONLINE_POOL : merchants.city[i];
    const list = members[j].get(pool) ?? [];
    list.push(i);
    members[j].set(pool, list);
  }
  const online = members.map((x) => x.get(ONLINE_POOL)?.length ?? 0);
  const stores = members.map((x) => [...x.entries()].reduce((s, [pool, l]) => s + (pool === ONLINE_POOL ? 0 : l.length), 0));
  return { members, online, stores };
}

/**
 * Probability that an ecommerce purchase at an MCC goes to a store (order-ahead) rather than an online-only
 * merchant: the share that gives stores `storeShare` of their purchases card-not-present when the MCC's
 * purchases are a share `mccShare` ecommerce, i.e. storeShare (1 − mccShare) ÷ ((1 − storeShare) mccShare),
 * capped at 1; 1 when the MCC has no online-only merchant, 0 when it has no store.
 */
export function storeEcommerceShare(mccShare: number, storeShare: number, online: number, stores: number): number {
  if (stores === 0) return 0;
  if (online === 0 || mccShare <= 0 || storeShare >= 1) return 1;
  return Math.min(1, (storeShare * (1 - mccShare)) / ((1 - storeShare) * mccShare));
}

/**
 * nb_mpick(k, merchant_id), k = ((mi · POOL_SLOTS + pool) << MRANK_BITS) | rank within the pool; and nb_mgeo(k,
 * reg, ph, phs, h_cnt, h_zc, t_cnt, t_zc), k = ((mi · POOL_SLOTS + home) << 8) | b: for a purchase of MCC mi by a
 * customer of metro `home` (home = ONLINE_POOL for an online-only purchase), the home pool's size h_cnt
 * and the probability ph (phs in summer) of buying there (0 when the metro has no store of the MCC), and
 * for trip bucket b (of TRIP_BUCKETS) the trip metro reg and its size t_cnt: the bucket's metro for
 * every MCC (other metros by their stores of all sectors, so one trip uniform names one metro whatever
 * the purchase), or, when that metro has no store of the MCC, a metro by the MCC's own store counts; *_zc are zipfRankSql's precomputed constants. Without a home store the home share of the
 * buckets is the MCC's online pool (ONLINE_POOL; the purchase becomes ecommerce) when it has one.
 */
async function installPoolTables(conn: DuckDBConnection, world: NeobankWorld, pools: MerchantPools): Promise<void> {
  const { merchants, m } = world;
  const a = m.b.merchants.popularity_exponent;
  const geo = m.b.merchants.geography;
  const zc = (n: number) => Math.pow(n + 1, 1 - a) - 1;
  const pick: number[][] = [[], []];
  for (const [j, byPool] of pools.members.entries())
    for (const [pool, list] of byPool)
      for (const [r, i] of list.entries()) {
        pick[0].push(((j * POOL_SLOTS + pool) * 2 ** MRANK_BITS) + r);
        pick[1].push(merchants.id[i]);
      }
  await loadColumns(conn, 'nb_mpick', [
    ['k', 'BIGINT', pick[0]],
    ['merchant_id', 'BIGINT', pick[1]],
  ]);
  const cols: number[][] = [[], [], [], [], [], [], [], []];
  const push = (row: number[]) => row.forEach((v, c) => cols[c].push(v));
  // one trip metro per bucket for every MCC (a trip goes to one place, whatever is bought there): metros
  // other than home by their stores of all sectors; an MCC without a store in that metro keeps its own draw
  const stores = Array.from({ length: merchants.metros }, (_, r) => pools.members.reduce((acc, byPool) => acc + (byPool.get(r)?.length ?? 0), 0));
  const tripMetro = stores.map((_, h) => {
    const w = stores.map((n, r) => (r === h ? 0 : n));
    return w.some((n) => n > 0) ? quantileBuckets(w, TRIP_BUCKETS) : null;
  });
  for (const [j, x] of MCCS.entries()) {
    const byPool = pools.members[j];
    const size = (pool: number) => byPool.get(pool)?.length ?? 0;
    const online = size(ONLINE_POOL);
    for (let b = 0; b < TRIP_BUCKETS; b++) push([(j * POOL_SLOTS + ONLINE_POOL) * TRIP_BUCKETS + b, ONLINE_POOL, 1, 1, online, zc(online), online, zc(online)]);
    const home = geo.home_share[x.sector];
    const trip = Math.min(1, (1 - home) * geo.summer_trip_lift);
    for (let h = 0; h < merchants.metros; h++) {
      const weights = Array.from({ length: merchants.metros }, (_, r) => (r === h ? 0 : size(r)));
      const any = weights.some((w) => w > 0);
      // no store elsewhere: a trip stays home (or, with no store at all, the row is never used)
      const q = any ? quantileBuckets(weights, TRIP_BUCKETS) : new Int32Array(TRIP_BUCKETS).fill(h);
      const hn = size(h);
      const t = tripMetro[h];
      if (t && hn > 0) for (let b = 0; b < TRIP_BUCKETS; b++) if (size(t[b]) > 0) q[b] = t[b];
      // no store of the MCC in the home metro: the purchases made at home go online (a ride app where no
      // local taxi is listed) when the MCC has online-only merchants, the trips as usual
      if (hn === 0 && online > 0) {
        const local = any ? Math.round(home * TRIP_BUCKETS) : TRIP_BUCKETS;
        for (let b = 0; b < local; b++) q[b] = ONLINE_POOL;
        if (any) q.set(quantileBuckets(weights, TRIP_BUCKETS - local), local);
      }
      for (let b = 0; b < TRIP_BUCKETS; b++) {
        const r = q[b];
        push([(j * POOL_SLOTS + h) * TRIP_BUCKETS + b, r, hn > 0 ? home : 0, hn > 0 ? 1 - trip : 0, hn, zc(hn), size(r), zc(size(r))]);
      }
    }
  }
  await loadColumns(conn, 'nb_mgeo', ['k', 'reg', 'ph', 'phs', 'h_cnt', 'h_zc', 't_cnt', 't_zc'].map((name, c) => [name, c === 0 || c === 1 || c === 4 || c === 6 ? (c === 0 ? 'BIGINT' : 'INTEGER') : 'DOUBLE', cols[c]] as [string, 'BIGINT' | 'INTEGER' | 'DOUBLE', number[]]));
}

/** Buckets of an hour lookup (1/512 resolution: hours below 0.2% of a curve are never drawn). */
export const HOUR_BUCKETS = 512;
/** Largest customer hour lean in whole hours (customers.ts caps the draw at ±4). */
export const MAX_HOUR_SHIFT = 4;

/**
 * An hour curve tilted by a customer's hour lean s: weight(h) × exp(tilt · s · lateness(h)), lateness
 * −11.5 at 5 a.m. … +11.5 at 4 a.m. (the night belongs to the evening before). Hours the curve gives
 * no weight (a closed bar) stay empty whatever the lean.
 */
export function tiltedHourCurve(curve: readonly number[], shift: number, tilt: number): number[] {
  return curve.map((w, h) => w * Math.exp(tilt * shift * (((h - 5 + 24) % 24) - 11.5)));
}

/**
 * The distinct hour curves of the MCCs (a sector's curve, or an MCC's own such as bars'): `curves[c]`,
 * and per MCC (index as MCCS) the index c of the curve it follows.
 */
export function hourCurves(b: NeobankBehaviour): { curves: Array<{ weekday: readonly number[]; weekend: readonly number[] }>; ofMcc: number[] } {
  const keys: string[] = [];
  const ofMcc = MCCS.map((x) => {
    const key = b.hour_of_day[String(x.mcc)] ? String(x.mcc) : x.sector;
    if (!keys.includes(key)) keys.push(key);
    return keys.indexOf(key);
  });
  return { curves: keys.map((k) => b.hour_of_day[k]), ofMcc };
}

/**
 * nb_hour_q(hc, s, wk, b, h, k): the local hour of bucket b (of HOUR_BUCKETS) of hour curve hc's weekday
 * (wk 0) or weekend (wk 1) shape tilted by hour lean s − MAX_HOUR_SHIFT; k = hc · 2^14 + s · 2^10 + wk · 2^9 + b.
 */
async function installHourTable(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { m } = world;
  const tilt = m.b.habits.hour_shift_tilt;
  const cols: number[][] = [[], [], [], [], []];
  for (const [c, shape] of hourCurves(m.b).curves.entries()) {
    for (let s = 0; s <= 2 * MAX_HOUR_SHIFT; s++) {
      for (const [wk, curve] of [shape.weekday, shape.weekend].entries()) {
        const q = quantileBuckets(tiltedHourCurve(curve, s - MAX_HOUR_SHIFT, tilt), HOUR_BUCKETS);
        for (let bkt = 0; bkt < q.length; bkt++) [c, s, wk, bkt, q[bkt]].forEach((v, col) => cols[col].push(v));
      }
    }
  }
  await loadColumns(conn, 'nb_hour_q', [
    ['hc', 'INTEGER', cols[0]],
    ['s', 'INTEGER', cols[1]],
    ['wk', 'INTEGER', cols[2]],
    ['b', 'INTEGER', cols[3]],
    ['h', 'INTEGER', cols[4]],
  ]);
  await conn.run('CREATE OR REPLACE TABLE nb_hour_q AS SELECT *, (hc::BIGINT << 14) | (s::BIGINT << 10) | (wk::BIGINT << 9) | b AS k FROM nb_hour_q');
}

/**
 * Multiplier of the ecommerce probability on a day whose calendar multiplier is `cal` (a holiday): a share
 * `inStore` of a dip (cal < 1) falls on in-store purchases (stores close on Thanksgiving, web shops do
 * not), so online volume keeps 1 − (1 − cal)(1 − inStore) of its level: factor (1 − (1 − cal)(1 − inStore)) ÷ cal;
 * 1 on ordinary days and peaks.
 */
export const ecommerceDayFactor = (cal: number, inStore: number): number => (cal < 1 && cal > 0 ? (1 - (1 - cal) * (1 - inStore)) / cal : 1);

/** nb_mday(mi, d, w0, ef = ecommerceDayFactor, k = mi · 65536 + d), nb_pday(ps, d, pm, pre, k = ps · 65536 + d, wk = weekend flag, sm = summer flag, pmx = pm × the day's peak w0) and nb_wmax(ps, w, k = ps · 65536 + w, wmax): day weights per MCC and per pay profile × segment, and their weekly peak. */
async function installDayTables(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { m } = world;
  const days = m.window.days;
  const w0 = mccDayWeights(world);
  const inStore = m.b.merchants.geography.calendar_dip_in_store;
  const mrows: number[][] = [];
  for (let j = 0; j < MCCS.length; j++) {
    const cal = calendarMultipliers(m.calendar, [String(MCCS[j].mcc), MCCS[j].sector], 0, days);
    for (let d = 0; d < days; d++) mrows.push([j, d, w0[j][d], ecommerceDayFactor(cal[d], inStore)]);
  }
  await loadColumns(conn, 'nb_mday', [
    ['mi', 'INTEGER', mrows.map((r) => r[0])],
    ['d', 'BIGINT', mrows.map((r) => r[1])],
    ['w0', 'DOUBLE', mrows.map((r) => r[2])],
    ['ef', 'DOUBLE', mrows.map((r) => r[3])],
  ]);
  const pays = paydayTables(world);
  const prow: number[][] = [];
  for (const [ps, t] of pays) for (let d = 0; d < days; d++) prow.push([ps, d, t.pm[d], t.pre[d]]);
  await loadColumns(conn, 'nb_pday', [
    ['ps', 'INTEGER', prow.map((r) => r[0])],
    ['d', 'BIGINT', prow.map((r) => r[1])],
    ['pm', 'DOUBLE', prow.map((r) => r[2])],
    ['pre', 'INTEGER', prow.map((r) => r[3])],
  ]);
  await conn.run('ALTER TABLE nb_mday ADD COLUMN k BIGINT');
  await conn.run('UPDATE nb_mday SET k = mi * 65536 + d');
  await conn.run('ALTER TABLE nb_pday ADD COLUMN k BIGINT');
  await conn.run('UPDATE nb_pday SET k = ps * 65536 + d');
  // wk: 1 on Saturdays and Sundays (window day 0 is weekday w0, 0 = Monday), picks the weekend hour curve
  await conn.run('ALTER TABLE nb_pday ADD COLUMN wk INTEGER');
  await conn.run(`UPDATE nb_pday SET wk = ((d + ${m.days.weekday[-m.days.fromDay]}) % 7 >= 5)::INTEGER`);
  // sm: 1 in June, July and August (summer trips, merchants.geography.summer_trip_lift)
  await conn.run('ALTER TABLE nb_pday ADD COLUMN sm INTEGER');
  await conn.run(`UPDATE nb_pday SET sm = (month(DATE '${m.window.startDate}' + d::INTEGER) IN (6, 7, 8))::INTEGER`);
  // pmx: the day's peak weight over MCCs (a candidate above it is rejected whatever its MCC: thinned before the MCC draw)
  await conn.run(`CREATE OR REPLACE TABLE nb_pday AS
    SELECT p.*, p.pm * md.mx AS pmx FROM nb_pday p JOIN (SELECT d, max(w0) AS mx FROM nb_mday GROUP BY d) md USING (d)`);
  // the peak day weight of each week (per pay profile × segment): the thinning bound
  await conn.run(`CREATE OR REPLACE TABLE nb_wmax AS
    SELECT ps, d // 7 AS w, ps::BIGINT * 65536 + d // 7 AS k, max(pmx) AS wmax FROM nb_pday GROUP BY ALL`);
}

/**
 * Expected ordinary (Poisson) transactions per unit of base rate: Σ over spend windows and their weeks
 * of activity × tenure curve × premium lift × the customer's sector-mixed day weights on the days the
 * window covers (boundary days pro rata). The SQL draws the same intensity, so base = target ÷ this.
 */
export function expectedSpendUnits(world: NeobankWorld): number {
  const { m, customers: c, spans, ac } = world;
  const days = m.window.days;
  const w0 = mccDayWeights(world);
  const pm = mccGivenSector();
  const pays = paydayTables(world);
  // Q[s][d] = Σ_{mcc ∈ s} P(mcc | s) · w0(mcc, d)
  const q = SECTORS.map((s) => {
    const out = new Float64Array(days);
    MCCS.forEach((x, j) => {
      if (x.sector === s) for (let d = 0; d < days; d++) out[d] += pm[j] * w0[j][d];
    });
    return out;
  });
  const lift = m.b.subscriptions.premium_spend_lift;
  const segs = m.segmentNames.map((n) => m.b.segments[n]);
  let total = 0;
  const mix = new Float64Array(SECTOR_COUNT);
  for (let r = 0; r < spans.card.length; r++) {
    const i = spans.customer[r];
    const pay = pays.get(psKey(c.profile[i], c.segment[i]));
    if (!pay) continue;
    let prev = 0;
    for (let s = 0; s < SECTOR_COUNT; s++) {
      const cum = c.sectorCum[i * SECTOR_COUNT + s];
      mix[s] = cum - prev;
      prev = cum;
    }
    const curve = segs[c.segment[i]].activity;
    const clock = homeClock(world, i);
    const fs = clock.localOf(ac.firstSpend[i]) / 86400;
    const lf = clock.localOf(spans.from[r]) / 86400;
    const lt = clock.localOf(spans.to[r]) / 86400;
    const a = Math.floor(lf);
    const bEnd = Math.ceil(lt);
    let sum = 0;
    for (let wk = Math.floor(a / 7); wk * 7 < bEnd; wk++) {
      const act = activityAt(curve, wk * 7 + 3.5 - fs);
      let daySum = 0;
      for (let d = Math.max(a, wk * 7); d < Math.min(bEnd, wk * 7 + 7, days); d++) {
        const cover = Math.min(d + 1, lt) - Math.max(d, lf);
        if (cover <= 0) continue;
        let wd = 0;
        for (let s = 0; s < SECTOR_COUNT; s++) wd += mix[s] * q[s][d];
        daySum += cover * wd * pay.pm[d];
      }
      sum += act * daySum;
    }
    total += c.act[i] * (1 + lift * spans.premium[r]) * sum;
  }
  return total;
}
