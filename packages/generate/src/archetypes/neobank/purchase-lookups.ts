import type { IdPermutation, Salt } from '../../behaviour/hash64.js';
import type { NeobankModel } from './model.js';

/**
 * What the purchase draws (purchase-draws.ts) read and write, as plain data that crosses to the worker
 * threads: the spend tables read back from DuckDB (row-major, with compact key indexes), the zones'
 * clocks, the build's constants, and the growable columns of the drawn rows.
 */

/** Channel codes of PurchaseColumns.channel (SQL: CHANNELS[code + 1]). */
export const CHANNELS = ['ecommerce', 'contactless', 'card_present'] as const;
/** Authorisation codes of PurchaseColumns.auth (SQL: AUTH_RESULTS[code + 1]). */
export const AUTH_RESULTS = ['approved', 'declined', 'reversed'] as const;
export const EC = 0;
export const CL = 1;
export const CP = 2;
export const APPROVED = 0;
export const DECLINED = 1;
export const REVERSED = 2;

/**
 * A lookup table read back from DuckDB (plain data: it crosses to the worker threads): row-major values
 * (row i's column c at `data[i · width + c]`, NULL = NaN: a probe touches one cache line, not one per
 * column) and a compact index of its integer keys. A key k falls in group g = floor(k / span); group
 * j = g − g0 holds the rows of keys g · span + gMin[j] … + gLen[j] − 1 at idx[gStart[j] + …] (−1 where a
 * key has no row: an inner join drops it, a left join yields NULL). The tables' keys pack a small
 * group (profile, MCC, pool) above a dense low part (day, bucket, rank), so the index is about as large
 * as the table.
 */
export interface Table {
  data: Float64Array;
  width: number;
  span: number;
  g0: number;
  gMin: Float64Array;
  gLen: Int32Array;
  gStart: Int32Array;
  idx: Int32Array;
  /** idx[i] = i everywhere (rows in key order, no key missing inside a group): idx is not read. */
  identity: boolean;
}

/** Offset in `t.data` of key k's row (row × width), or −1. */
export function rowOf(t: Table, k: number): number {
  const g = Math.floor(k / t.span);
  const j = g - t.g0;
  if (j < 0 || j >= t.gLen.length) return -1;
  const o = k - g * t.span - t.gMin[j];
  if (o < 0 || o >= t.gLen[j]) return -1;
  const i = t.identity ? t.gStart[j] + o : t.idx[t.gStart[j] + o];
  return i < 0 ? -1 : i * t.width;
}

/** The columns the chain reads of each table, in `Table.data` order (purchases.ts reads them in this order). */
export const TABLE_COLUMNS = {
  cust: ['ps', 'wkp', 'hsh', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 'act', 'fs_day', 'ramp', 'long_run', 'half_life', 'customer_id', 'ticket', 'ecom', 'contactless', 'loyalty', 'lrisk', 'home', 'zh'],
  span: ['sid', 'cidx', 'prem', 'k', 'f', 't', 'a', 'b'],
  wmax: ['wmax'],
  pday: ['pm', 'pre', 'wk', 'sm', 'pmx'],
  mccq: ['mi'],
  mcc: ['median', 'sigma', 'bps', 'style', 'rev', 'npts', 'lmul', 'hc', 'ecom', 'ponly', 'qst'],
  mday: ['w0', 'ef'],
  mgeo: ['reg', 't_cnt', 't_zc', 'ph', 'phs', 'h_cnt', 'h_zc'],
  hourq: ['h'],
  points: ['cents'],
  mpick: ['merchant_id'],
  pois: ['n'],
} as const;

// column offsets (TABLE_COLUMNS order)
export const CU = { ps: 0, wkp: 1, hsh: 2, s1: 3, act: 10, fs: 11, ramp: 12, longRun: 13, halfLife: 14, id: 15, ticket: 16, ecom: 17, contactless: 18, loyalty: 19, lrisk: 20, home: 21, zh: 22, width: 23 } as const;
export const SP = { sid: 0, cidx: 1, prem: 2, k: 3, f: 4, t: 5, a: 6, b: 7, width: 8 } as const;
export const PD = { pm: 0, pre: 1, wk: 2, sm: 3, pmx: 4 } as const;
export const MQ = { median: 0, sigma: 1, bps: 2, style: 3, rev: 4, npts: 5, lmul: 6, hc: 7, ecom: 8, ponly: 9, qst: 10, width: 11 } as const;
/** Per merchant-pool group (nb_mgeo key >> 8 = mi · pool slots + home): ph, phs, h_cnt, h_zc. */
export const MG = { ph: 0, phs: 1, hCnt: 2, hZc: 3, width: 4 } as const;

/** Per zone (model.zones): the SQL clock's offsets by local hour index (utcSecondsSql, zonedFoldSql). */
export interface ZoneClock {
  epoch: number;
  /** Offset (minutes, the zone's DST-group delta included) of a local hour's first copy, by hour index 0 … hours − 1. */
  first: Float64Array;
  /** Offset of the second copy (fall-back hours), else as `first`. */
  second: Float64Array;
  /** 1 in a skipped (spring-forward) local hour. */
  gap: Uint8Array;
  /** 1 in a repeated local hour inside the window's days (its candidates get a twin). */
  twin: Uint8Array;
}

/** Unix seconds of local seconds `ls` in local hour `lh` of zone clock `c` (copy `fold` of a repeated hour), NaN in a skipped hour. */
export function zonedUtc(c: ZoneClock, ls: number, lh: number, fold: number): number {
  const n = c.first.length;
  const i = lh < 0 ? 0 : lh >= n ? n - 1 : lh;
  if (lh >= 0 && lh < n && c.gap[lh]) return NaN;
  const off = fold >= 0.5 && lh >= 0 && lh < n ? c.second[i] : c.first[i];
  return c.epoch + ls - 60 * off;
}

/** Everything the purchase chain reads: the spend tables, clocks and constants of one build (structured-cloneable). */
export interface PurchaseLookups {
  C: Consts;
  /** nb_cust row-major by cidx (TABLE_COLUMNS.cust). */
  cust: Float64Array;
  /** nb_span row-major, ordered by cidx (TABLE_COLUMNS.span), and the first span row of each customer (length n + 1). */
  span: Float64Array;
  spanStart: Int32Array;
  wmax: Table;
  pday: Table;
  /** nb_mcc_q: the MCC index of each (sector, bucket) key. */
  mccq: Table;
  /** nb_mcc row-major by MCC index (TABLE_COLUMNS.mcc). */
  mcc: Float64Array;
  mday: Table;
  /** nb_mgeo's key index (data unused), its rows as reg | t_cnt << 8 (`geoRow`), the trip pool's Zipf constant by size (`zcOf[t_cnt]`) and the home-pool columns per group (`geoGroup`, MG layout). */
  mgeo: Table;
  geoRow: Int32Array;
  zcOf: Float64Array;
  geoGroup: Float64Array;
  /** nb_hour_q's key index (data unused) and the hour of each row. */
  hourq: Table;
  hours: Int8Array;
  points: Table;
  mpick: Table;
  pois: Table;
  zones: ZoneClock[];
  ofMetro: Int8Array;
  bank: { epoch: number; initial: number; at: number[]; offset: number[] };
  dayShift: number[];
  incidents: Array<{ from: number; to: number; logOdds: number }>;
  salt: Record<string, Salt>;
  ids: IdPermutation;
}

/** Growable numeric columns of the generated rows (see purchaseRows). */
export interface PurchaseColumns {
  n: number;
  rid: Float64Array;
  d: Int32Array;
  utc: Float64Array;
  k: Int32Array;
  merchant: Float64Array;
  amount: Float64Array;
  channel: Int32Array;
  auth: Int32Array;
  bps: Float64Array;
  /** Decline reason index (declines.ts REASON), −1 when not declined. */
  reason: Int32Array;
}

const COLUMN_KEYS = ['rid', 'd', 'utc', 'k', 'merchant', 'amount', 'channel', 'auth', 'bps', 'reason'] as const;

export function newColumns(cap: number): PurchaseColumns {
  return {
    n: 0,
    rid: new Float64Array(cap),
    d: new Int32Array(cap),
    utc: new Float64Array(cap),
    k: new Int32Array(cap),
    merchant: new Float64Array(cap),
    amount: new Float64Array(cap),
    channel: new Int32Array(cap),
    auth: new Int32Array(cap),
    bps: new Float64Array(cap),
    reason: new Int32Array(cap),
  };
}

export function grow(c: PurchaseColumns): PurchaseColumns {
  const g = newColumns(c.rid.length * 2);
  g.n = c.n;
  for (const key of COLUMN_KEYS) g[key].set(c[key]);
  return g;
}

/** The columns' buffers (to transfer them between threads). */
export const columnBuffers = (c: PurchaseColumns): ArrayBuffer[] => COLUMN_KEYS.map((k) => c[k].buffer as ArrayBuffer);

/** Per-build constants of the chain (literals of the SQL it mirrors). */
export interface Consts {
  base: number;
  ws: number;
  ws2h: number;
  lift: number;
  weekendOff: number[];
  weekdayOff: number[];
  favourites: number;
  fresh: number;
  oneMinusFresh: number;
  zipfA: number;
  zipfInv: number;
  ppe: number;
  favCum: number[];
  logit: number;
  usual: number;
  d: NeobankModel['b']['declines'];
  reason: { insufficientFunds: number; limitExceeded: number; issuerUnavailable: number };
  pool: { online: number; slots: number; tripBuckets: number; maxHourShift: number; rankBits: number };
  pois: { max: number; steps: number; uBits: number };
  retry: { p: number[]; lag: number[]; sigma: number[]; redecline: number[] };
  cutLo: number;
  cutRange: number;
  taxMin: number;
  taxRange: number;
  taxedShare: number;
  small: Array<{ mi: number; share: number; cents: number[] }>;
  days: number;
  multiZone: boolean;
}
