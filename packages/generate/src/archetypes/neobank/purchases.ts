import { MCCS, queryRows } from '@dnr/core';
import bindings from '@duckdb/node-bindings';
import type { DuckDBConnection } from '@duckdb/node-api';
import { dstGroups } from '../../behaviour/clock-sql.js';
import { LocalClock } from '../../behaviour/clock.js';
import { saltOf } from '../../behaviour/hash64.js';
import { idPermutation } from '../../behaviour/ids.js';
import { POIS_MAX, POIS_STEPS, POIS_U_BITS } from '../../behaviour/poisson.js';
import { declineDayShifts, declineIncidents, REASON } from './declines.js';
import type { NeobankModel } from './model.js';
import { TABLE_COLUMNS, type Consts, type PurchaseLookups, type Table, type ZoneClock } from './purchase-lookups.js';
import { saltValues, type SpendSqlParams } from './spend-sql.js';
import { HOUR_BUCKETS, MAX_HOUR_SHIFT, MRANK_BITS, ONLINE_POOL, POOL_SLOTS, TRIP_BUCKETS } from './spend-tables.js';

/**
 * The purchase draws' lookups (purchase-lookups.ts PurchaseLookups) read back from the spend tables
 * DuckDB holds (spend-tables.ts), with the zones' clocks, the decline calendar, salts and id permutation
 * of the build: read once per build on the main thread, then cloned to each worker.
 */

/**
 * Read a query's columns, every one cast to DOUBLE by the query, as Float64Arrays (NULL → NaN): each
 * result chunk's vectors are copied as raw bytes (no per-value conversion; ~1M values take milliseconds).
 */
async function readColumns(conn: DuckDBConnection, sql: string): Promise<Record<string, Float64Array>> {
  const result = await conn.run(sql);
  const names = result.columnNames();
  const parts: Float64Array[][] = names.map(() => []);
  for (;;) {
    const chunk = await result.fetchChunk();
    const n = chunk ? bindings.data_chunk_get_size(chunk.chunk) : 0;
    if (!chunk || n === 0) break;
    names.forEach((_, j) => {
      const vector = bindings.data_chunk_get_vector(chunk.chunk, j);
      const bytes = bindings.vector_get_data(vector, 8 * n);
      const values = new Float64Array(bytes.slice().buffer, 0, n);
      const valid = bindings.vector_get_validity(vector, 8 * Math.ceil(n / 64));
      if (valid && valid.length) for (let i = 0; i < n; i++) if (!((valid[i >> 3] >> (i & 7)) & 1)) values[i] = NaN;
      parts[j].push(values);
    });
  }
  const concat = (xs: Float64Array[]) => {
    const out = new Float64Array(xs.reduce((a, x) => a + x.length, 0));
    let off = 0;
    for (const x of xs) {
      out.set(x, off);
      off += x.length;
    }
    return out;
  };
  return Object.fromEntries(names.map((n, j) => [n, concat(parts[j])]));
}

/**
 * `columns` of `table` in order `order`, each cast to DOUBLE, straight into one row-major array on a
 * SharedArrayBuffer (NULL → NaN): no per-column copies on the way (the customer and spend-window tables
 * are ~120 MB at large scale, where the build runs close to its memory budget).
 */
async function readRowMajor(conn: DuckDBConnection, table: string, columns: readonly string[], order: string): Promise<Float64Array> {
  const [{ n }] = await queryRows<{ n: bigint }>(conn, `SELECT count(*) AS n FROM ${table}`);
  const w = columns.length;
  const out = new Float64Array(new SharedArrayBuffer(8 * Number(n) * w));
  const result = await conn.run(`SELECT ${columns.map((c) => `${c}::DOUBLE AS ${c}`).join(', ')} FROM ${table} ORDER BY ${order}`);
  for (let row = 0; ; ) {
    const chunk = await result.fetchChunk();
    const m = chunk ? bindings.data_chunk_get_size(chunk.chunk) : 0;
    if (!chunk || m === 0) break;
    for (let c = 0; c < w; c++) {
      const vector = bindings.data_chunk_get_vector(chunk.chunk, c);
      const values = new Float64Array(bindings.vector_get_data(vector, 8 * m).slice().buffer, 0, m);
      const valid = bindings.vector_get_validity(vector, 8 * Math.ceil(m / 64));
      for (let i = 0; i < m; i++) out[(row + i) * w + c] = valid && valid.length && !((valid[i >> 3] >> (i & 7)) & 1) ? NaN : values[i];
    }
    row += m;
  }
  return out;
}

/**
 * Row-major values of columns (all of one length): row i's column c at [i · cols.length + c]. On a
 * SharedArrayBuffer: the worker threads read the same memory instead of a copy each (the customer and
 * spend-window tables are ~120 MB at large scale).
 */
function rowMajor(cols: Float64Array[]): Float64Array {
  const n = cols.length ? cols[0].length : 0;
  const w = cols.length;
  const out = new Float64Array(new SharedArrayBuffer(8 * n * w));
  for (let c = 0; c < w; c++) {
    const x = cols[c];
    for (let i = 0; i < n; i++) out[i * w + c] = x[i];
  }
  return out;
}

/** Row-major `columns` of `table` ordered by integer column `by` (0, 1, …: row i has by = i). */
async function readRows(conn: DuckDBConnection, table: string, by: string, columns: readonly string[]): Promise<Float64Array> {
  const cols = await readColumns(conn, `SELECT ${by}::DOUBLE AS ${by}, ${columns.map((c) => `${c}::DOUBLE AS ${c}`).join(', ')} FROM ${table} ORDER BY ${by}`);
  if (!cols[by].every((x, i) => x === i)) throw new Error(`${table}: ${by} is not 0 … n − 1`);
  return rowMajor(columns.map((c) => cols[c]));
}

/**
 * nb_mgeo compacted (PurchaseLookups.mgeo … geoGroup): its trip columns per row packed in an Int32Array,
 * the home-pool columns once per group (they depend on the MCC and home pool only; checked), the trip
 * pool's Zipf constant by pool size.
 */
async function readGeo(conn: DuckDBConnection): Promise<Pick<PurchaseLookups, 'mgeo' | 'geoRow' | 'zcOf' | 'geoGroup'>> {
  const t = await readTable(conn, 'nb_mgeo', 'k', TABLE_COLUMNS.mgeo, TRIP_BUCKETS);
  const w = t.width;
  const rows = t.data.length / w;
  const keys = (await readColumns(conn, 'SELECT k::DOUBLE AS k FROM nb_mgeo ORDER BY 1')).k;
  const geoRow = new Int32Array(rows);
  let maxCnt = 0;
  let maxGroup = 0;
  for (let i = 0; i < rows; i++) {
    maxCnt = Math.max(maxCnt, t.data[i * w + 1], t.data[i * w + 5]);
    maxGroup = Math.max(maxGroup, Math.floor(keys[i] / TRIP_BUCKETS));
  }
  const zcOf = new Float64Array(maxCnt + 1).fill(NaN);
  const geoGroup = new Float64Array((maxGroup + 1) * 4).fill(NaN);
  for (let i = 0; i < rows; i++) {
    const [reg, tCnt, tZc, ph, phs, hCnt, hZc] = t.data.subarray(i * w, i * w + w);
    if (reg > 255 || tCnt >= 2 ** 23) throw new RangeError(`nb_mgeo: pool ${reg} or size ${tCnt} out of range`);
    geoRow[i] = reg | (tCnt << 8);
    const same = (a: number, b: number) => Number.isNaN(a) || a === b || (Number.isNaN(a) && Number.isNaN(b));
    if (!same(zcOf[tCnt], tZc)) throw new Error(`nb_mgeo: two Zipf constants for pool size ${tCnt}`);
    zcOf[tCnt] = tZc;
    const o = Math.floor(keys[i] / TRIP_BUCKETS) * 4;
    const home = [ph, phs, hCnt, hZc];
    home.forEach((v, c) => {
      if (!same(geoGroup[o + c], v)) throw new Error(`nb_mgeo: home-pool column ${c} differs within group ${o / 4}`);
      geoGroup[o + c] = v;
    });
  }
  return { mgeo: { ...t, width: 1, data: new Float64Array(0) }, geoRow, zcOf, geoGroup };
}

/** nb_hour_q's key index and the hour of each row. */
async function readHours(conn: DuckDBConnection): Promise<Pick<PurchaseLookups, 'hourq' | 'hours'>> {
  const t = await readTable(conn, 'nb_hour_q', 'k', TABLE_COLUMNS.hourq, HOUR_BUCKETS);
  return { hourq: { ...t, data: new Float64Array(0) }, hours: Int8Array.from(t.data) };
}

/**
 * A Table (purchase-draws.ts) of `table`'s `columns` keyed by integer expression `key`: keys grouped by
 * floor(key / span), each group's keys indexed densely between its smallest and largest.
 */
async function readTable(conn: DuckDBConnection, table: string, key: string, columns: readonly string[], span: number): Promise<Table> {
  const cols = await readColumns(conn, `SELECT (${key})::DOUBLE AS key, ${columns.map((c) => `${c}::DOUBLE AS ${c}`).join(', ')} FROM ${table} ORDER BY 1`);
  const keys = cols.key;
  const groups = new Map<number, { min: number; max: number }>();
  for (const k of keys) {
    const g = Math.floor(k / span);
    const lo = k - g * span;
    const x = groups.get(g);
    if (!x) groups.set(g, { min: lo, max: lo });
    else {
      x.min = Math.min(x.min, lo);
      x.max = Math.max(x.max, lo);
    }
  }
  const gs = [...groups.keys()];
  const g0 = gs.length ? Math.min(...gs) : 0;
  const ng = gs.length ? Math.max(...gs) - g0 + 1 : 0;
  const gMin = new Float64Array(ng);
  const gLen = new Int32Array(ng);
  const gStart = new Int32Array(ng);
  let total = 0;
  for (let j = 0; j < ng; j++) {
    const x = groups.get(g0 + j);
    gStart[j] = total;
    if (x) {
      gMin[j] = x.min;
      gLen[j] = x.max - x.min + 1;
      total += gLen[j];
    }
  }
  const idx = new Int32Array(total).fill(-1);
  keys.forEach((k, i) => {
    const g = Math.floor(k / span);
    const j = g - g0;
    idx[gStart[j] + (k - g * span - gMin[j])] = i;
  });
  const identity = idx.every((x, i) => x === i);
  return { data: rowMajor(columns.map((c) => cols[c])), width: columns.length, span, g0, gMin, gLen, gStart, idx: identity ? new Int32Array(0) : idx, identity };
}


/** The zone clocks exactly as the SQL CASEs of clock-sql.ts evaluate them. */
function zoneClocks(clocks: readonly LocalClock[]): ZoneClock[] {
  const out: ZoneClock[] = [];
  for (const g of dstGroups(clocks)) {
    const rep = g.rep;
    const hours = rep.window.days * 24 + 24;
    const { gaps, folds } = rep.transitions();
    for (const z of g.zones) {
      const delta = g.delta[z];
      const first = new Float64Array(hours);
      const second = new Float64Array(hours);
      const gap = new Uint8Array(hours);
      const twin = new Uint8Array(hours);
      let prev = rep.offsetOfLocalHour(0);
      for (let h = 0; h < hours; h++) {
        const off = rep.offsetOfLocalHour(h);
        if (h > 0 && off !== LocalClock.GAP && off !== prev) prev = off;
        first[h] = prev + delta;
        second[h] = prev + delta;
      }
      for (const h of gaps) if (h >= 0 && h < hours) gap[h] = 1;
      for (const h of folds) {
        if (h >= 0 && h < hours) second[h] = rep.offsetOfLocalHour(h, true) + delta;
        if (h >= 0 && h < rep.window.days * 24) twin[h] = 1;
      }
      out[z] = { epoch: rep.epoch, first, second, gap, twin };
    }
  }
  return out;
}

/** The bank clock's offset steps inside the window ± 2 days (localSecondsSql with `within`). */
function bankSteps(m: NeobankModel): { epoch: number; initial: number; at: number[]; offset: number[] } {
  const within = [m.startUtc - 2 * 86400, m.endUtc + 2 * 86400];
  const all = m.clock.offsetChanges();
  let initial = all.initial;
  for (const ch of all.changes) if (ch.at <= within[0]) initial = ch.offset;
  const changes = all.changes.filter((ch) => ch.at > within[0] && ch.at < within[1]);
  return { epoch: m.clock.epoch, initial, at: changes.map((c) => c.at), offset: changes.map((c) => c.offset) };
}

function consts(m: NeobankModel, base: number): Consts {
  const w0 = m.days.weekday[-m.days.fromDay];
  const offs = (ds: number[]) => ds.map((wd) => (wd - w0 + 7) % 7);
  const geo = m.b.merchants.geography.trip_destinations;
  const a = m.b.merchants.popularity_exponent;
  const fw = m.b.merchants.favourite_weights.slice(0, m.b.merchants.favourites_per_mcc);
  const fTotal = fw.reduce((x, y) => x + y, 0);
  let acc = 0;
  const favCum = fw.slice(0, -1).map((x) => (acc += x / fTotal));
  const d = m.b.declines;
  const reasons = ['insufficient_funds', 'suspected_fraud', 'limit_exceeded', 'incorrect_pin'] as const;
  const pr = m.b.prices;
  const small = Object.entries(pr.small_tickets).flatMap(([code, t]) => {
    const j = MCCS.findIndex((x) => String(x.mcc) === code);
    return j < 0 || t.share <= 0 ? [] : [{ mi: j, share: t.share, cents: [...t.cents] }];
  });
  return {
    base,
    ws: m.b.heterogeneity.week_sigma,
    ws2h: (m.b.heterogeneity.week_sigma * m.b.heterogeneity.week_sigma) / 2,
    lift: m.b.subscriptions.premium_spend_lift,
    weekendOff: offs([5, 6]),
    weekdayOff: offs([0, 1, 2, 3, 4]),
    favourites: geo.favourites,
    fresh: geo.new_place_share,
    oneMinusFresh: 1 - geo.new_place_share,
    zipfA: a,
    zipfInv: 1 / (1 - a),
    ppe: pr.point_popularity_exponent,
    favCum,
    logit: Math.log(d.base_rate / (1 - d.base_rate)),
    usual: d.usual_ticket_cents,
    d,
    retry: {
      p: reasons.map((r) => d.reasons[r].retry.probability),
      lag: reasons.map((r) => d.reasons[r].retry.lag.median_hours * 3600),
      sigma: reasons.map((r) => d.reasons[r].retry.lag.sigma),
      redecline: reasons.map((r) => d.reasons[r].retry.redecline),
    },
    cutLo: 1 - d.retry_amount_cut.max,
    cutRange: d.retry_amount_cut.max - d.retry_amount_cut.min,
    taxMin: pr.sales_tax_pct.min,
    taxRange: pr.sales_tax_pct.max - pr.sales_tax_pct.min,
    taxedShare: pr.taxed_share,
    small,
    days: m.window.days,
    multiZone: m.zones.clocks.length > 1,
    reason: { insufficientFunds: REASON.insufficient_funds, limitExceeded: REASON.limit_exceeded, issuerUnavailable: REASON.issuer_unavailable },
    pool: { online: ONLINE_POOL, slots: POOL_SLOTS, tripBuckets: TRIP_BUCKETS, maxHourShift: MAX_HOUR_SHIFT, rankBits: MRANK_BITS },
    pois: { max: POIS_MAX, steps: POIS_STEPS, uBits: POIS_U_BITS },
  };
}

/**
 * Read the spend tables (installSpendTables must have run on `conn`) into the lookups of purchaseRows.
 * Reads ~0.6M table rows once per build.
 */
export async function readPurchaseLookups(conn: DuckDBConnection, p: SpendSqlParams): Promise<PurchaseLookups> {
  const { m } = p;
  const T = TABLE_COLUMNS;
  const cust = await readRowMajor(conn, 'nb_cust', T.cust, 'cidx');
  const span = await readRowMajor(conn, 'nb_span', T.span, 'cidx, sid');
  const n = cust.length / T.cust.length;
  const spanW = T.span.length;
  const cidxAt = T.span.indexOf('cidx');
  const spans = span.length / spanW;
  const spanStart = new Int32Array(n + 1);
  for (let r = 0, i = 0; i <= n; i++) {
    while (r < spans && span[r * spanW + cidxAt] < i) r++;
    spanStart[i] = r;
  }
  const saltsV = saltValues(m.seed);
  return {
    C: consts(m, p.base),
    cust,
    span,
    spanStart,
    wmax: await readTable(conn, 'nb_wmax', 'k', T.wmax, 65536),
    pday: await readTable(conn, 'nb_pday', 'k', T.pday, 65536),
    mccq: await readTable(conn, 'nb_mcc_q', 'k', T.mccq, 1024),
    mcc: await readRows(conn, 'nb_mcc', 'mi', T.mcc),
    mday: await readTable(conn, 'nb_mday', 'k', T.mday, 65536),
    ...(await readGeo(conn)),
    ...(await readHours(conn)),
    points: await readTable(conn, 'nb_points', 'k', T.points, 16),
    mpick: await readTable(conn, 'nb_mpick', 'k', T.mpick, 2 ** MRANK_BITS),
    pois: await readTable(conn, 'pois', 'k', T.pois, 2 ** POIS_U_BITS),
    zones: zoneClocks(m.zones.clocks),
    ofMetro: m.zones.ofMetro,
    bank: bankSteps(m),
    dayShift: Array.from(declineDayShifts(m), (x) => Number(x.toFixed(5))),
    incidents: declineIncidents(m),
    salt: Object.fromEntries(Object.entries(saltsV).map(([k, v]) => [k, saltOf(v)])) as PurchaseLookups['salt'],
    ids: idPermutation(p.idBits, m.seed, 11),
  };
}


