import { permuteId, roundSql, u16Of, z16Of, type Salt } from '../../behaviour/hash64.js';
import { APPROVED, CL, CP, CU, DECLINED, EC, grow, MG, MQ, newColumns, PD, REVERSED, rowOf, SP, zonedUtc, type Consts, type PurchaseColumns, type PurchaseLookups } from './purchase-lookups.js';

/**
 * Ordinary card purchases and their retries, drawn from the spend tables (spend-tables.ts, read back by
 * purchases.ts) in worker threads. Every draw is DuckDB's hash of a salted generation key
 * (behaviour/hash64.ts, the same salts and keys as the fixed streams' SQL in spend-sql.ts), so a row
 * depends only on its key: the rows of a customer range never depend on the chunking. Per spend window
 * and week: a Poisson count of candidates (activity curve × premium lift × lognormal week noise × the
 * week's peak day weight), each on a day after the customer's weekend lean and in a sector of their
 * mix, kept with probability (payday × MCC day weight) ÷ that peak (thinning an inhomogeneous Poisson
 * process); then where it happens (channel, merchant pool at home or on a trip, that place's zone), an
 * hour of the MCC's curve tilted by the customer's hour lean on that zone's DST-correct clock (a
 * repeated fall-back hour twice, a skipped hour never), the amount by the MCC's price style, the
 * merchant (Zipf popularity or a loyal favourite), the authorisation (logistic decline model) and the
 * reason-specific retry of a declined attempt. This replaced an equivalent chain of ~60 SQL operators
 * (~4 µs a row); at evaluation seed 42 it wrote the same rows (identical checksums).
 */

/**
 * The amount in cents: a small ticket of the MCC's list (prices.small_tickets) at uniform `us`, else by
 * price style from the lognormal draw `raw` (h4 = the money hash, ht = the customer's tax hash, pt = list
 * price): 1 charm (x.99 shelf price, plus sales tax for a taxed_share of customers), 2 whole dollars, 3
 * bill + tip (none for 25%, a 15–25% tip rounded up to whole dollars for 30%, exact otherwise), 4 a list
 * price (twice for 15%), else exact cents; at least 50 cents.
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

/** Hash halves of the last draw. */
let hHi = 0;
let hLo = 0;
/** The 64-bit multiplier of DuckDB's integer hash (behaviour/hash64.ts), as halves and 16-bit quarters of the low half. */
const M_HI = 0xd6e8feb8;
const M_LO = 0x6659fd93;
const M_LO0 = M_LO & 0xffff;
const M_LO1 = M_LO >>> 16;

/** hHi:hLo ← (hi:lo) × M mod 2^64 (hash64.ts mul64 with the constant multiplier, inlined). */
function mulM(hi: number, lo: number): void {
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const p00 = a0 * M_LO0;
  const p01 = a0 * M_LO1;
  const p10 = a1 * M_LO0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  hLo = ((mid & 0xffff) * 65536 + (p00 & 0xffff)) >>> 0;
  hHi = (a1 * M_LO1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(hi, M_LO) + Math.imul(lo, M_HI)) >>> 0;
}

/** hHi:hLo ← DuckDB hash(xor(key, salt)) (hash64.ts hashKey, without its output array). */
function draw(key: number, s: Salt): void {
  const hi = ((Math.floor(key / 4294967296) >>> 0) ^ s.hi) >>> 0;
  const lo = ((key >>> 0) ^ s.lo) >>> 0;
  mulM(hi, (lo ^ hi) >>> 0);
  mulM(hHi, (hLo ^ hHi) >>> 0);
  hLo = (hLo ^ hHi) >>> 0;
}

/**
 * The purchases and retries of customers cidx in [lo, hi] (inclusive), as spend-sql.ts's purchase chain
 * draws them (see the module comment). Columns rid, d (the bank's local day), utc, k (card), merchant, amount, channel and auth as codes (CHANNELS,
 * AUTH_RESULTS) and the event as Unix seconds `utc`. `reuse`: columns of an earlier call to fill
 * again (their rows are overwritten; grown when too short).
 */
export function purchaseRows(L: PurchaseLookups, lo: number, hi: number, reuse?: PurchaseColumns): PurchaseColumns {
  const g = new Drawer(L, reuse);
  const end = L.spanStart[Math.min(hi + 1, L.spanStart.length - 1)];
  for (let r = L.spanStart[lo]; r < end; r++) g.span(r);
  return g.out;
}

/** A located candidate: its MCC, table rows, merchant pool (home or trip) and its size and Zipf constant, channel. */
interface Place {
  mi: number;
  /** Offsets of its nb_mcc and nb_pday rows. */
  q: number;
  p: number;
  athome: boolean;
  pool: number;
  pcnt: number;
  pzc: number;
  channel: number;
}

/** The chain's steps over one build's lookups; `out` collects the rows. */
class Drawer {
  out: PurchaseColumns;
  private readonly C: Consts;
  private readonly cust: Float64Array;
  private readonly spans: Float64Array;
  private readonly rankSpan: number;
  private readonly poisSpan: number;
  /** The current span's row offset and customer's row offset. */
  private s = 0;
  private c = 0;
  /** The current customer's tax hash (hash(xor(customer_id, tax)): one per customer). */
  private htHi = 0;
  private htLo = 0;
  /** Last trip-period and away-run keys and their uniforms (pure functions of the key: cached, not redrawn). */
  private tripKey = -1;
  private tripU = 0;
  private awayKey = -1;
  private awayU = 0;
  /** The current customer's loyal-draw probability 1 − (1 − loyalty)^lmul per MCC (NaN = not yet computed). */
  private readonly loyal = new Float64Array(64);
  /** u16 word w → (w + 0.5 ⁄ 65536)^point_popularity_exponent (the list-price draw). */
  private readonly pointPow: Float64Array;

  constructor(
    private readonly L: PurchaseLookups,
    reuse?: PurchaseColumns,
  ) {
    this.out = reuse ?? newColumns(1 << 19);
    this.out.n = 0;
    this.C = L.C;
    this.cust = L.cust;
    this.spans = L.span;
    this.rankSpan = 2 ** L.C.pool.rankBits;
    this.poisSpan = 2 ** L.C.pois.uBits;
    this.pointPow = pointPowers(L.C.ppe);
  }

  private emit(rid: number, d: number, utc: number, k: number, merchant: number, amount: number, channel: number, auth: number, bps: number, reason: number): void {
    if (this.out.n === this.out.rid.length) this.out = grow(this.out);
    const o = this.out;
    const i = o.n++;
    o.rid[i] = rid;
    o.d[i] = d;
    o.utc[i] = utc;
    o.k[i] = k;
    o.merchant[i] = merchant;
    o.amount[i] = amount;
    o.channel[i] = channel;
    o.auth[i] = auth;
    o.bps[i] = bps;
    o.reason[i] = reason;
  }

  /** The weekly Poisson candidate counts of spend window r, each week's candidates through candidate(). */
  span(r: number): void {
    const { C, L, spans, cust } = this;
    const s = (this.s = r * SP.width);
    const cidx = spans[s + SP.cidx];
    const c = (this.c = cidx * CU.width);
    const fs = cust[c + CU.fs];
    if (Number.isNaN(fs)) return;
    draw(cust[c + CU.id], L.salt.tax);
    this.htHi = hHi;
    this.htLo = hLo;
    this.loyal.fill(NaN);
    const sid = spans[s + SP.sid];
    const ps = cust[c + CU.ps];
    const ramp = cust[c + CU.ramp];
    const longRun = cust[c + CU.longRun];
    const halfLife = cust[c + CU.halfLife];
    const wTo = Math.trunc(spans[s + SP.b] / 7);
    for (let w = Math.trunc(spans[s + SP.a] / 7); w <= wTo; w++) {
      const wr = rowOf(L.wmax, ps * 65536 + w);
      if (wr < 0) continue;
      const wmax = L.wmax.data[wr];
      const tenure = w * 7 + 3.5 - fs;
      const activity = tenure <= 0 ? 0 : (1 - Math.exp(-tenure / ramp)) * (longRun + (1 - longRun) * Math.pow(0.5, tenure / halfLife));
      draw(sid * 1024 + w, L.salt.week2);
      const noise = Math.exp(C.ws * z16Of(hHi, hLo, 0) - C.ws2h);
      const lam = C.base * cust[c + CU.act] * activity * (1 + C.lift * spans[s + SP.prem]) * 7 * wmax * noise;
      draw(sid * 1024 + w, L.salt.week);
      let n: number;
      if (lam <= 0) n = 0;
      else if (lam >= C.pois.max) n = Math.max(0, roundSql(lam + Math.sqrt(lam) * z16Of(hHi, hLo, 2)));
      else {
        const pr = rowOf(L.pois, Math.min(C.pois.max * C.pois.steps, roundSql(lam * C.pois.steps)) * this.poisSpan + (hLo & (this.poisSpan - 1)));
        n = pr < 0 ? 0 : L.pois.data[pr];
      }
      const m = Math.min(n, 127);
      for (let j = 0; j < m; j++) this.candidate(w, wmax, ((sid * 1024 + w) * 128 + j) * 8);
    }
  }

  /** One candidate: its day, sector, thinning, MCC, channel and merchant pool (home or a trip metro's); then placed(). */
  private candidate(w: number, wmax: number, ckey: number): void {
    const { C, L, cust, spans, c, s } = this;
    draw(ckey, L.salt.cand);
    const h0 = u16Of(hHi, hLo, 0);
    const h1 = u16Of(hHi, hLo, 1);
    const h3 = u16Of(hHi, hLo, 3);
    const mb = (hHi >>> 6) & 1023;
    draw(ckey, L.salt.habit);
    const wkp = cust[c + CU.wkp];
    const hh0 = u16Of(hHi, hLo, 0);
    const off = hh0 < wkp ? C.weekendOff[Math.floor(u16Of(hHi, hLo, 1) * 2)] : hh0 < -wkp ? C.weekdayOff[Math.floor(u16Of(hHi, hLo, 1) * 5)] : Math.floor(h0 * 7);
    const d = w * 7 + off;
    const p = rowOf(L.pday, cust[c + CU.ps] * 65536 + d);
    if (p < 0) return;
    const P = L.pday.data;
    if (!(h3 * wmax < P[p + PD.pmx] && d >= spans[s + SP.a] - 1 && d <= spans[s + SP.b] + 1)) return;
    let sec = 7;
    for (let j = 0; j < 7; j++)
      if (h1 < cust[c + CU.s1 + j]) {
        sec = j;
        break;
      }
    const qr = rowOf(L.mccq, sec * 1024 + mb);
    if (qr < 0) return;
    const mi = L.mccq.data[qr];
    const Q = L.mcc;
    const q = mi * MQ.width;
    const md = rowOf(L.mday, mi * 65536 + d);
    if (md < 0) return;
    if (!(h3 * wmax < P[p + PD.pm] * L.mday.data[md])) return;
    // located
    const mecom = Q[q + MQ.ecom] * L.mday.data[md + 1];
    draw(ckey, L.salt.geo);
    const g0 = u16Of(hHi, hLo, 0);
    const channel0 = Q[q + MQ.ponly] === 1 || u16Of(hHi, hLo, 1) < Math.min(0.98, mecom * cust[c + CU.ecom]) ? EC : u16Of(hHi, hLo, 3) < cust[c + CU.contactless] ? CL : CP;
    const hk = channel0 === EC && g0 >= Q[q + MQ.qst] ? C.pool.online : cust[c + CU.home];
    const cidx = spans[s + SP.cidx];
    const tripU = this.tripUniform(cidx, d);
    const awayKey = cidx * 65536 + Math.trunc((d + (cidx % 3)) / 3);
    if (awayKey !== this.awayKey) {
      draw(awayKey, L.salt.tripDays);
      this.awayKey = awayKey;
      this.awayU = u16Of(hHi, hLo, 0);
    }
    const awayU = this.awayU;
    const group = mi * C.pool.slots + hk;
    const g = rowOf(L.mgeo, group * C.pool.tripBuckets + Math.floor(tripU * C.pool.tripBuckets));
    if (g < 0) return;
    const G = L.geoGroup;
    const o = group * MG.width;
    const athome = awayU < (P[p + PD.sm] === 1 ? G[o + MG.phs] : G[o + MG.ph]);
    const gr = L.geoRow[g];
    const tCnt = gr >> 8;
    const pool = athome ? hk : gr & 255;
    const place: Place = { mi, q, p, athome, pool, pcnt: athome ? G[o + MG.hCnt] : tCnt, pzc: athome ? G[o + MG.hZc] : L.zcOf[tCnt], channel: pool === C.pool.online ? EC : channel0 };
    const z = !C.multiZone ? 0 : pool === C.pool.online ? cust[c + CU.zh] : L.ofMetro[pool];
    this.placed(ckey, d, z, place);
  }

  /** The customer's trip-destination uniform for local day d (spend-sql.ts tripUSql: one per customer and 30-day period). */
  private tripUniform(cidx: number, d: number): number {
    const key = cidx * 4096 + Math.trunc(d / 30);
    if (key !== this.tripKey) {
      this.tripKey = key;
      this.tripU = this.tripDraw(key, cidx);
    }
    return this.tripU;
  }

  private tripDraw(key: number, cidx: number): number {
    const { C, L } = this;
    draw(key, L.salt.trip);
    const p0 = u16Of(hHi, hLo, 0);
    if (C.favourites === 0 || C.fresh >= 1) return p0;
    const p1 = u16Of(hHi, hLo, 1);
    if (p1 < C.fresh) return p0;
    const slot = Math.min(C.favourites - 1, Math.floor(((p1 - C.fresh) / C.oneMinusFresh) * C.favourites));
    draw(cidx * 4096 + 2048 + slot, L.salt.trip);
    return u16Of(hHi, hLo, 0);
  }

  /** The candidate's hour and instant(s) on zone z's clock (a twin in a repeated hour), each kept inside its span through attempt(). */
  private placed(ckey: number, d: number, z: number, x: Place): void {
    const { C, L, cust, spans, c, s } = this;
    draw(ckey, L.salt.attr);
    const a1 = u16Of(hHi, hLo, 1);
    const a3 = u16Of(hHi, hLo, 3);
    const hq = rowOf(L.hourq, L.mcc[x.q + MQ.hc] * 16384 + (cust[c + CU.hsh] + C.pool.maxHourShift) * 1024 + L.pday.data[x.p + PD.wk] * 512 + ((hLo >>> 7) & 511));
    if (hq < 0) return;
    const hr = L.hours[hq];
    const lh = d * 24 + hr;
    const zc = L.zones[z];
    const twins = lh >= 0 && lh < zc.twin.length && zc.twin[lh] ? 2 : 1;
    for (let fold = 0; fold < twins; fold++) {
      const utc = zonedUtc(zc, d * 86400 + hr * 3600 + Math.floor(Math.abs(fold - a1) * 3600), lh, fold);
      if (!(utc >= spans[s + SP.f] && utc <= spans[s + SP.t] - 1)) continue;
      this.attempt(ckey + fold * 4, d, utc, x, a3);
    }
  }

  /** One placed purchase (key ck at Unix second utc): amount, merchant, authorisation and decline reason, and the retry of a declined one. */
  private attempt(ck: number, d: number, utc: number, x: Place, a3: number): void {
    const { C, L, cust, spans, c, s } = this;
    const Q = L.mcc;
    const q = x.q;
    const customerId = cust[c + CU.id];
    draw(ck, L.salt.pick);
    const p3Hi = hHi;
    const p3Lo = hLo;
    draw(ck, L.salt.money);
    const h4Hi = hHi;
    const h4Lo = hLo;
    draw(ck, L.salt.auth);
    const h5Hi = hHi;
    const h5Lo = hLo;
    const htHi = this.htHi;
    const htLo = this.htLo;
    const mi = x.mi;
    const ptRow = rowOf(L.points, mi * 16 + Math.floor(this.pointPow[h4Hi & 0xffff] * Q[q + MQ.npts]));
    const pt = ptRow < 0 ? NaN : L.points.data[ptRow];
    const ticket = cust[c + CU.ticket];
    const raw = Q[q + MQ.median] * ticket * Math.exp(Q[q + MQ.sigma] * z16Of(h4Hi, h4Lo, 0));
    const amount = amountOf(C, mi, u16Of(p3Hi, p3Lo, 2), Q[q + MQ.style], raw, h4Hi, h4Lo, htHi, htLo, pt);
    // the merchant: a loyal draw at home goes to one of the customer's favourites of the MCC
    let u: number;
    let loyal = this.loyal[mi];
    if (Number.isNaN(loyal)) loyal = this.loyal[mi] = 1 - Math.pow(1 - cust[c + CU.loyalty], Q[q + MQ.lmul]);
    if (x.athome && a3 < loyal) {
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
    const mr = rowOf(L.mpick, (mi * C.pool.slots + x.pool) * this.rankSpan + zipfRank(C, u, x.pcnt, x.pzc));
    if (mr < 0) return;
    const merchant = L.mpick.data[mr];
    const pre = L.pday.data[x.p + PD.pre];
    const lr = Math.log(amount / (C.usual * ticket));
    const incident = incidentLogOdds(L, utc);
    const shift = L.dayShift[Math.min(Math.max(d, -2), C.days + 1) + 2] + incident;
    const dc = C.d;
    const pDecline = 1 / (1 + Math.exp(-(C.logit + cust[c + CU.lrisk] + dc.amount_log_odds * Math.max(0, lr) + dc.ecommerce_log_odds * (x.channel === EC ? 1 : 0) + dc.pre_payday_log_odds * pre + shift)));
    const declined = u16Of(h5Hi, h5Lo, 0) < pDecline;
    let reason = -1;
    if (declined) {
      reason = purchaseReason(C, lr, pre, x.channel, u16Of(h5Hi, h5Lo, 2));
      if (incident !== 0 && u16Of(h5Hi, h5Lo, 3) < 1 - Math.exp(-incident)) reason = C.reason.issuerUnavailable;
    }
    const bps = Q[q + MQ.bps];
    const k = spans[s + SP.k];
    const day = C.multiZone ? bankDay(L, utc) : d;
    this.emit(permuteId(ck, L.ids), day, utc, k, merchant, amount, x.channel, declined ? DECLINED : u16Of(h5Hi, h5Lo, 1) < Q[q + MQ.rev] ? REVERSED : APPROVED, bps, reason);
    if (declined && reason < 4 && u16Of(h5Hi, h5Lo, 1) < C.retry.p[reason]) {
      draw(ck, L.salt.auth2);
      const utc2 = utc + Math.max(5, roundSql(C.retry.lag[reason] * Math.exp(C.retry.sigma[reason] * z16Of(hHi, hLo, 0))));
      if (!(utc2 < spans[s + SP.t])) return;
      const amount2 = (reason === C.reason.insufficientFunds || reason === C.reason.limitExceeded) && u16Of(hHi, hLo, 3) < dc.retry_amount_change ? Math.max(50, roundSql(amount * (C.cutLo + C.cutRange * u16Of(hHi, hLo, 1)))) : amount;
      const declined2 = u16Of(hHi, hLo, 2) < (C.retry.redecline[reason] * amount2) / amount;
      this.emit(permuteId(ck + 1, L.ids), bankDay(L, utc2), utc2, k, merchant, amount2, x.channel, declined2 ? DECLINED : APPROVED, bps, declined2 ? reason : -1);
    }
  }
}

/** The bank's local day of Unix second `utc` (spend-sql.ts bankDaySql; integer division truncates, as DuckDB's //). */
function bankDay(L: PurchaseLookups, utc: number): number {
  const b = L.bank;
  let off = b.initial;
  for (let i = 0; i < b.at.length; i++) if (utc >= b.at[i]) off = b.offset[i];
  return Math.trunc((utc - b.epoch + 60 * off) / 86400);
}

let powers: { e: number; out: Float64Array } | null = null;

/** (w + 0.5)/65536 raised to `e` for every 16-bit word w (u16Of's uniforms); the last exponent's table is kept. */
function pointPowers(e: number): Float64Array {
  if (powers?.e === e) return powers.out;
  const out = new Float64Array(65536);
  powers = { e, out };
  for (let w = 0; w < 65536; w++) out[w] = Math.pow((w + 0.5) / 65536, e);
  return out;
}

/** Zipf popularity rank (spend-sql.ts zipfRankSql): 0-based rank among n at uniform u, zc = (n + 1)^(1−a) − 1. */
function zipfRank(C: Consts, u: number, n: number, zc: number): number {
  const r = Math.abs(C.zipfA - 1) < 1e-9 ? Math.floor(Math.exp(u * Math.log(n + 1))) - 1 : Math.floor(Math.pow(1 + u * zc, C.zipfInv)) - 1;
  return Math.min(n - 1, r);
}

/** Extra decline log-odds of a processor incident (declines.calendar.incidents) covering Unix second utc, else 0. */
function incidentLogOdds(L: PurchaseLookups, utc: number): number {
  for (const x of L.incidents) if (utc >= x.from && utc < x.to) return x.logOdds;
  return 0;
}

/**
 * The reason of a declined purchase at uniform u, with probability ∝ weight × exp(log-odds terms) per
 * reason (declines.reasons): insufficient funds with ln(amount ÷ usual ticket) above 0 and the pre-payday
 * flag, suspected fraud with ecommerce and |ln(amount ÷ usual ticket)|, limit exceeded with the amount,
 * incorrect PIN on card_present only. All weights 0 ⇒ insufficient funds.
 */
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

