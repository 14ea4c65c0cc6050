import { H, hashKey, permuteId, roundSql, u16Of, z16Of, type IdPermutation, type Salt } from '../../behaviour/hash64.js';
import type { NeobankModel } from './model.js';

/**
 * Ordinary card purchases and their retries, drawn in JavaScript from the lookup tables the spend SQL
 * joins (spend-tables.ts), draw for draw as spend-sql.ts's purchase chain describes them: the same
 * salted DuckDB hashes (behaviour/hash64.ts), the same table rows, the same arithmetic. A row costs
 * well under a microsecond here against ~4 µs through ~60 SQL operators; DuckDB then only joins the
 * card and interchange and writes the rows. The chain, per spend window and week: a Poisson count of
 * candidates (activity curve × premium lift × week noise × the week's peak day weight), each on a day
 * after the customer's weekend lean and in a sector of their mix, thinned by payday × MCC day weight;
 * then where it happens (channel, merchant pool at home or on a trip, that place's zone), an hour of
 * the MCC's curve tilted by the customer's hour lean on that zone's DST-correct clock (a repeated
 * fall-back hour twice), the amount, the merchant (Zipf popularity or a loyal favourite), the
 * authorisation (logistic decline model) and the reason-specific retry of a declined attempt.
 */

/** Channel codes of PurchaseColumns.channel (SQL: CHANNELS[code + 1]). */
export const CHANNELS = ['ecommerce', 'contactless', 'card_present'] as const;
/** Authorisation codes of PurchaseColumns.auth (SQL: AUTH_RESULTS[code + 1]). */
export const AUTH_RESULTS = ['approved', 'declined', 'reversed'] as const;
const EC = 0;
const CL = 1;
const CP = 2;
const APPROVED = 0;
const DECLINED = 1;
const REVERSED = 2;

/**
 * A lookup table read back from DuckDB (plain data: it crosses to the worker threads): numeric columns
 * (NULL = NaN) and a dense index of its integer keys, `idx[k − min]` = the key's row or −1 (absent: an
 * inner join drops the row, a left join yields NULL).
 */
export interface Dense {
  cols: Record<string, Float64Array>;
  min: number;
  idx: Int32Array;
}

/** Row of key k in a Dense lookup, or −1. */
export function rowOf(l: Dense, k: number): number {
  const i = k - l.min;
  return i >= 0 && i < l.idx.length ? l.idx[i] : -1;
}

/** nb_mpick sorted by key: merchant of key (group << MRANK_BITS) + rank, group = mi · C.pool.slots + pool, ranks 0 … count − 1 contiguous. */
export interface Picks {
  keys: Float64Array;
  merchant: Float64Array;
  start: Int32Array;
  count: Int32Array;
  rankBits: number;
}

/** Row of nb_mpick key k, or −1. */
export function pickRow(p: Picks, k: number): number {
  const g = Math.floor(k / 2 ** p.rankBits);
  const rank = k - g * 2 ** p.rankBits;
  if (g < 0 || g >= p.start.length || rank >= p.count[g]) return -1;
  const i = p.start[g] + rank;
  return p.keys[i] === k ? i : -1;
}

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
function zonedUtc(c: ZoneClock, ls: number, lh: number, fold: number): number {
  const n = c.first.length;
  const i = lh < 0 ? 0 : lh >= n ? n - 1 : lh;
  if (lh >= 0 && lh < n && c.gap[lh]) return NaN;
  const off = fold >= 0.5 && lh >= 0 && lh < n ? c.second[i] : c.first[i];
  return c.epoch + ls - 60 * off;
}

/** Everything the purchase chain reads: the spend tables, clocks and constants of one build. */
export interface PurchaseLookups {
  C: Consts;
  cust: Record<string, Float64Array>;
  /** The customers' cumulative sector mix s1 … s7 (nb_cust), by sector. */
  sectors: Float64Array[];
  /** nb_span columns ordered by cidx, and the first span row of each customer (length n + 1). */
  span: Record<string, Float64Array>;
  spanStart: Int32Array;
  wmax: Dense;
  pday: Dense;
  mccq: Dense;
  mday: Dense;
  mgeo: Dense;
  hourq: Dense;
  points: Dense;
  mpick: Picks;
  pois: Dense;
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

function newColumns(cap: number): PurchaseColumns {
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

function grow(c: PurchaseColumns): PurchaseColumns {
  const g = newColumns(c.rid.length * 2);
  g.n = c.n;
  for (const key of ['rid', 'd', 'utc', 'k', 'merchant', 'amount', 'channel', 'auth', 'bps', 'reason'] as const) g[key].set(c[key]);
  return g;
}

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

/** The bank's local day of Unix second `utc` (bankDaySql: integer division truncates, as DuckDB's //). */
function bankDay(L: PurchaseLookups, utc: number): number {
  const b = L.bank;
  let off = b.initial;
  for (let i = 0; i < b.at.length; i++) if (utc >= b.at[i]) off = b.offset[i];
  return Math.trunc((utc - b.epoch + 60 * off) / 86400);
}

/** Zipf popularity rank (zipfRankSql). */
function zipfRank(C: Consts, u: number, n: number, zc: number): number {
  const r = Math.abs(C.zipfA - 1) < 1e-9 ? Math.floor(Math.exp(u * Math.log(n + 1))) - 1 : Math.floor(Math.pow(1 + u * zc, C.zipfInv)) - 1;
  return Math.min(n - 1, r);
}

/** Hash halves of the last few draws (H is overwritten by every hash). */
let hHi = 0;
let hLo = 0;
function draw(key: number, s: Salt): void {
  hashKey(key, s);
  hHi = H[0];
  hLo = H[1];
}

/**
 * The amount in cents (amountSql): a small ticket of the MCC's list at uniform `us`, else by price style
 * from the lognormal draw `raw` (h4 = the money hash, ht = the customer's tax hash, pt = list price).
 */
function amountOf(C: Consts, mi: number, us: number, style: number, raw: number, h4Hi: number, h4Lo: number, htHi: number, htLo: number, pt: number): number {
  for (const t of C.small) if (mi === t.mi && us < t.share) return t.cents[Math.min(t.cents.length - 1, Math.floor((us / t.share) * t.cents.length))];
  let v: number;
  if (style === 1) {
    const u2 = u16Of(h4Hi, h4Lo, 2);
    const charm = roundSql(raw / 100) * 100 - (u2 < 0.65 ? 1 : u2 < 0.85 ? 51 : 5);
    v = u16Of(htHi, htLo, 0) < C.taxedShare ? roundSql(charm * (1 + (C.taxMin + C.taxRange * u16Of(htHi, htLo, 1)) / 100)) : charm;
  } else if (style === 2) v = Math.max(100, roundSql(raw / 100) * 100);
  else if (style === 3) {
    const u3 = u16Of(h4Hi, h4Lo, 3);
    const u2 = u16Of(h4Hi, h4Lo, 2);
    v = u3 < 0.25 ? roundSql(raw) : u3 < 0.25 + 0.3 ? Math.ceil((raw * (115 + 10 * u2)) / 10000) * 100 : roundSql((raw * (115 + 10 * u2)) / 100);
  } else if (style === 4) v = pt * (u16Of(h4Hi, h4Lo, 3) < 0.15 ? 2 : 1);
  else v = roundSql(raw);
  return Math.max(50, v);
}

/**
 * The purchases and retries of customers cidx in [lo, hi] (inclusive), as spend-sql.ts's purchase chain
 * draws them. Columns as spendChunkSql's purchase rows, with channel and auth as codes (CHANNELS,
 * AUTH_RESULTS) and the event as Unix seconds `utc`.
 */
export function purchaseRows(L: PurchaseLookups, lo: number, hi: number): PurchaseColumns {
  const C = L.C;
  let out = newColumns(1 << 19);
  const emit = (rid: number, d: number, utc: number, k: number, merchant: number, amount: number, channel: number, auth: number, bps: number, reason: number) => {
    if (out.n === out.rid.length) out = grow(out);
    const i = out.n++;
    out.rid[i] = rid;
    out.d[i] = d;
    out.utc[i] = utc;
    out.k[i] = k;
    out.merchant[i] = merchant;
    out.amount[i] = amount;
    out.channel[i] = channel;
    out.auth[i] = auth;
    out.bps[i] = bps;
    out.reason[i] = reason;
  };
  const { spanStart } = L;
  for (let r = spanStart[lo]; r < spanStart[Math.min(hi + 1, L.cust.ps.length)]; r++) spanRows(L, C, r, emit);
  return out;
}

type Emit = (rid: number, d: number, utc: number, k: number, merchant: number, amount: number, channel: number, auth: number, bps: number, reason: number) => void;

/** The weekly candidate counts of spend window r (weekCountsSql), each week's candidates through candidateRows. */
function spanRows(L: PurchaseLookups, C: Consts, r: number, emit: Emit): void {
  const { span, cust } = L;
  const cidx = span.cidx[r];
  const fs = cust.fs_day[cidx];
  if (Number.isNaN(fs)) return;
  const sid = span.sid[r];
  const ps = cust.ps[cidx];
  const a = span.a[r];
  const b = span.b[r];
  const ramp = cust.ramp[cidx];
  const longRun = cust.long_run[cidx];
  const halfLife = cust.half_life[cidx];
  for (let w = Math.trunc(a / 7); w <= Math.trunc(b / 7); w++) {
    const wr = rowOf(L.wmax, ps * 65536 + w);
    if (wr < 0) continue;
    const wmax = L.wmax.cols.wmax[wr];
    const tenure = w * 7 + 3.5 - fs;
    const activity = tenure <= 0 ? 0 : (1 - Math.exp(-tenure / ramp)) * (longRun + (1 - longRun) * Math.pow(0.5, tenure / halfLife));
    draw(sid * 1024 + w, L.salt.week2);
    const noise = Math.exp(C.ws * z16Of(hHi, hLo, 0) - C.ws2h);
    const lam = C.base * cust.act[cidx] * activity * (1 + C.lift * span.prem[r]) * 7 * wmax * noise;
    draw(sid * 1024 + w, L.salt.week);
    let n: number;
    if (lam <= 0) n = 0;
    else if (lam >= C.pois.max) n = Math.max(0, roundSql(lam + Math.sqrt(lam) * z16Of(hHi, hLo, 2)));
    else {
      const pr = rowOf(L.pois, Math.min(C.pois.max * C.pois.steps, roundSql(lam * C.pois.steps)) * 2 ** C.pois.uBits + (hLo & ((1 << C.pois.uBits) - 1)));
      n = pr < 0 ? 0 : L.pois.cols.n[pr];
    }
    for (let j = 0; j < Math.min(n, 127); j++) candidateRow(L, C, r, w, wmax, ((sid * 1024 + w) * 128 + j) * 8, emit);
  }
}

/** One candidate (candidatesSql, locatedSql): its day, sector, thinning, MCC, channel and merchant pool; then placedRows. */
function candidateRow(L: PurchaseLookups, C: Consts, r: number, w: number, wmax: number, ckey: number, emit: Emit): void {
  const { span, cust } = L;
  const cidx = span.cidx[r];
  draw(ckey, L.salt.cand);
  const h0 = u16Of(hHi, hLo, 0);
  const h1 = u16Of(hHi, hLo, 1);
  const h3 = u16Of(hHi, hLo, 3);
  const mb = (hHi >>> 6) & 1023;
  draw(ckey, L.salt.habit);
  const wkp = cust.wkp[cidx];
  const hh0 = u16Of(hHi, hLo, 0);
  const off = hh0 < wkp ? C.weekendOff[Math.floor(u16Of(hHi, hLo, 1) * 2)] : hh0 < -wkp ? C.weekdayOff[Math.floor(u16Of(hHi, hLo, 1) * 5)] : Math.floor(h0 * 7);
  const d = w * 7 + off;
  const pr = rowOf(L.pday, cust.ps[cidx] * 65536 + d);
  if (pr < 0) return;
  const P = L.pday.cols;
  if (!(h3 * wmax < P.pmx[pr] && d >= span.a[r] - 1 && d <= span.b[r] + 1)) return;
  let sec = 7;
  for (let j = 0; j < 7; j++)
    if (h1 < L.sectors[j][cidx]) {
      sec = j;
      break;
    }
  const qr = rowOf(L.mccq, sec * 1024 + mb);
  if (qr < 0) return;
  const Q = L.mccq.cols;
  const mi = Q.mi[qr];
  const mr = rowOf(L.mday, mi * 65536 + d);
  if (mr < 0) return;
  if (!(h3 * wmax < P.pm[pr] * L.mday.cols.w0[mr])) return;
  // located
  const mecom = Q.ecom[qr] * L.mday.cols.ef[mr];
  draw(ckey, L.salt.geo);
  const g0 = u16Of(hHi, hLo, 0);
  const channel0 = Q.ponly[qr] === 1 || u16Of(hHi, hLo, 1) < Math.min(0.98, mecom * cust.ecom[cidx]) ? EC : u16Of(hHi, hLo, 3) < cust.contactless[cidx] ? CL : CP;
  const hk = channel0 === EC && g0 >= Q.qst[qr] ? C.pool.online : cust.home[cidx];
  const tripU = tripUniform(L, C, cidx, d);
  draw(cidx * 65536 + Math.trunc((d + (cidx % 3)) / 3), L.salt.tripDays);
  const awayU = u16Of(hHi, hLo, 0);
  const gr = rowOf(L.mgeo, (mi * C.pool.slots + hk) * C.pool.tripBuckets + Math.floor(tripU * C.pool.tripBuckets));
  if (gr < 0) return;
  const G = L.mgeo.cols;
  const athome = awayU < (P.sm[pr] === 1 ? G.phs[gr] : G.ph[gr]);
  const pool = athome ? hk : G.reg[gr];
  const place = { mi, qr, pr, athome, pool, pcnt: athome ? G.h_cnt[gr] : G.t_cnt[gr], pzc: athome ? G.h_zc[gr] : G.t_zc[gr], channel: pool === C.pool.online ? EC : channel0 };
  const z = !C.multiZone ? 0 : pool === C.pool.online ? cust.zh[cidx] : L.ofMetro[pool];
  placedRows(L, C, r, ckey, d, z, place, emit);
}

/** The customer's trip-destination uniform for local day d (tripUSql). */
function tripUniform(L: PurchaseLookups, C: Consts, cidx: number, d: number): number {
  draw(cidx * 4096 + Math.trunc(d / 30), L.salt.trip);
  const p0 = u16Of(hHi, hLo, 0);
  if (C.favourites === 0 || C.fresh >= 1) return p0;
  const p1 = u16Of(hHi, hLo, 1);
  if (p1 < C.fresh) return p0;
  const slot = Math.min(C.favourites - 1, Math.floor(((p1 - C.fresh) / C.oneMinusFresh) * C.favourites));
  draw(cidx * 4096 + 2048 + slot, L.salt.trip);
  return u16Of(hHi, hLo, 0);
}

interface Place {
  mi: number;
  qr: number;
  pr: number;
  athome: boolean;
  pool: number;
  pcnt: number;
  pzc: number;
  channel: number;
}

/** placedSql … attemptsSql for one located candidate: its hour and instant(s), amount, merchant, authorisation and retry. */
function placedRows(L: PurchaseLookups, C: Consts, r: number, ckey: number, d: number, z: number, x: Place, emit: Emit): void {
  const { span, cust } = L;
  const cidx = span.cidx[r];
  const Q = L.mccq.cols;
  draw(ckey, L.salt.attr);
  const a1 = u16Of(hHi, hLo, 1);
  const a3 = u16Of(hHi, hLo, 3);
  const hq = rowOf(L.hourq, Q.hc[x.qr] * 16384 + (cust.hsh[cidx] + C.pool.maxHourShift) * 1024 + L.pday.cols.wk[x.pr] * 512 + ((hLo >>> 7) & 511));
  if (hq < 0) return;
  const hr = L.hourq.cols.h[hq];
  const lh = d * 24 + hr;
  const zc = L.zones[z];
  const twins = lh >= 0 && lh < zc.twin.length && zc.twin[lh] ? 2 : 1;
  for (let fold = 0; fold < twins; fold++) {
    const utc = zonedUtc(zc, d * 86400 + hr * 3600 + Math.floor(Math.abs(fold - a1) * 3600), lh, fold);
    if (!(utc >= span.f[r] && utc <= span.t[r] - 1)) continue;
    attempt(L, C, r, ckey + fold * 4, d, utc, x, a3, emit);
  }
}

/** chosenSql, attemptsSql and purchaseRowsSql for one placed purchase (key ck at Unix second utc). */
function attempt(L: PurchaseLookups, C: Consts, r: number, ck: number, d: number, utc: number, x: Place, a3: number, emit: Emit): void {
  const { span, cust } = L;
  const cidx = span.cidx[r];
  const Q = L.mccq.cols;
  const customerId = cust.customer_id[cidx];
  draw(ck, L.salt.pick);
  const p3Hi = hHi;
  const p3Lo = hLo;
  draw(ck, L.salt.money);
  const h4Hi = hHi;
  const h4Lo = hLo;
  draw(ck, L.salt.auth);
  const h5Hi = hHi;
  const h5Lo = hLo;
  draw(customerId, L.salt.tax);
  const htHi = hHi;
  const htLo = hLo;
  const mi = x.mi;
  const ptRow = rowOf(L.points, mi * 16 + Math.floor(Math.pow(u16Of(h4Hi, h4Lo, 2), C.ppe) * Q.npts[x.qr]));
  const pt = ptRow < 0 ? NaN : L.points.cols.cents[ptRow];
  const ticket = cust.ticket[cidx];
  const raw = Q.median[x.qr] * ticket * Math.exp(Q.sigma[x.qr] * z16Of(h4Hi, h4Lo, 0));
  const amount = amountOf(C, mi, u16Of(p3Hi, p3Lo, 2), Q.style[x.qr], raw, h4Hi, h4Lo, htHi, htLo, pt);
  // the merchant: a loyal draw at home goes to one of the customer's favourites of the MCC
  let u: number;
  if (x.athome && a3 < 1 - Math.pow(1 - cust.loyalty[cidx], Q.lmul[x.qr])) {
    const f1 = u16Of(p3Hi, p3Lo, 1);
    let fav = C.favCum.length;
    for (let j = 0; j < C.favCum.length; j++)
      if (f1 < C.favCum[j]) {
        fav = j;
        break;
      }
    draw(customerId * 4096 + mi * 16 + fav, L.salt.fav);
    u = u16Of(hHi, hLo, 0);
  } else u = u16Of(p3Hi, p3Lo, 0);
  const mr = pickRow(L.mpick, (mi * C.pool.slots + x.pool) * 2 ** C.pool.rankBits + zipfRank(C, u, x.pcnt, x.pzc));
  if (mr < 0) return;
  const merchant = L.mpick.merchant[mr];
  const pre = L.pday.cols.pre[x.pr];
  const lr = Math.log(amount / (C.usual * ticket));
  const incident = incidentLogOdds(L, utc);
  const shift = L.dayShift[Math.min(Math.max(d, -2), C.days + 1) + 2] + incident;
  const dc = C.d;
  const pDecline = 1 / (1 + Math.exp(-(C.logit + cust.lrisk[cidx] + dc.amount_log_odds * Math.max(0, lr) + dc.ecommerce_log_odds * (x.channel === EC ? 1 : 0) + dc.pre_payday_log_odds * pre + shift)));
  const declined = u16Of(h5Hi, h5Lo, 0) < pDecline;
  let reason = -1;
  if (declined) {
    reason = purchaseReason(C, lr, pre, x.channel, u16Of(h5Hi, h5Lo, 2));
    if (incident !== 0 && u16Of(h5Hi, h5Lo, 3) < 1 - Math.exp(-incident)) reason = C.reason.issuerUnavailable;
  }
  const bps = Q.bps[x.qr];
  const k = span.k[r];
  const day = C.multiZone ? bankDay(L, utc) : d;
  emit(permuteId(ck, L.ids), day, utc, k, merchant, amount, x.channel, declined ? DECLINED : u16Of(h5Hi, h5Lo, 1) < Q.rev[x.qr] ? REVERSED : APPROVED, bps, reason);
  if (declined && reason < 4 && u16Of(h5Hi, h5Lo, 1) < C.retry.p[reason]) {
    draw(ck, L.salt.auth2);
    const utc2 = utc + Math.max(5, roundSql(C.retry.lag[reason] * Math.exp(C.retry.sigma[reason] * z16Of(hHi, hLo, 0))));
    if (!(utc2 < span.t[r])) return;
    const amount2 = (reason === C.reason.insufficientFunds || reason === C.reason.limitExceeded) && u16Of(hHi, hLo, 3) < dc.retry_amount_change ? Math.max(50, roundSql(amount * (C.cutLo + C.cutRange * u16Of(hHi, hLo, 1)))) : amount;
    const declined2 = u16Of(hHi, hLo, 2) < (C.retry.redecline[reason] * amount2) / amount;
    emit(permuteId(ck + 1, L.ids), bankDay(L, utc2), utc2, k, merchant, amount2, x.channel, declined2 ? DECLINED : APPROVED, bps, declined2 ? reason : -1);
  }
}

/** Extra decline log-odds of a processor incident covering Unix second utc (declineShiftSql's `incident`), else 0. */
function incidentLogOdds(L: PurchaseLookups, utc: number): number {
  for (const x of L.incidents) if (utc >= x.from && utc < x.to) return x.logOdds;
  return 0;
}

/** The reason of a declined purchase (purchaseReasonSql) at uniform u. */
function purchaseReason(C: Consts, lr: number, pre: number, channel: number, u: number): number {
  const r = C.d.reasons;
  const w0 = r.insufficient_funds.weight * Math.exp(r.insufficient_funds.amount_log_odds * Math.max(0, lr) + r.insufficient_funds.pre_payday_log_odds * pre);
  const w1 = r.suspected_fraud.weight * Math.exp(r.suspected_fraud.ecommerce_log_odds * (channel === EC ? 1 : 0) + r.suspected_fraud.unusual_amount_log_odds * Math.abs(lr));
  const w2 = r.limit_exceeded.weight * Math.exp(r.limit_exceeded.amount_log_odds * Math.max(0, lr));
  const w3 = r.incorrect_pin.weight * (channel === CP ? 1 : 0);
  const rw1 = w0 + w1;
  const rw2 = w0 + w1 + w2;
  const rw3 = w0 + w1 + w2 + w3;
  if (rw3 <= 0) return C.reason.insufficientFunds;
  return u * rw3 < w0 ? 0 : u * rw3 < rw1 ? 1 : u * rw3 < rw2 ? 2 : 3;
}

