import type { RandomStream } from '@dnr/core';
import { float64Column, int32Column, uint8Column } from '../../behaviour/growable.js';
import { weekdayOf } from '../../behaviour/calendar.js';
import { lagSeconds } from '../../behaviour/lag.js';
import { pickIndex } from '../../behaviour/segments.js';
import { campaignsOf, dailySessions, type Campaign } from './marketing-spend.js';
import { cumulative, type MarketModel } from './model.js';
import type { MarketResult } from './market.js';
import type { Buyers } from './parties.js';

export type { Campaign } from './marketing-spend.js';

/**
 * Marketing paths and spend. Touches: buyer index, instant (Unix s), channel index, campaign index
 * (−1 = none; 16-bit), conversion (what the touch's path led to: 0 = sign-up, 1 = order, 2 = none: a browsing
 * session that led nowhere), converted (1 only on the last touch of a sign-up or order path: the
 * converting touch, one per converted order and at most one per new buyer) and order index (−1 unless
 * an order path). Daily: local day, channel, campaign (−1), sessions and spend in
 * cents, one row per (day, channel, campaign) with touches.
 */
export interface Marketing extends MarketingSummary {
  campaigns: Campaign[];
  /** Planned budget per campaign, cents (NaN for unpaid channels). */
  budgets: Float64Array;
  touches: { buyer: Int32Array; utc: Float64Array; channel: Uint8Array; campaign: Int16Array; conversion: Uint8Array; converted: Uint8Array; order: Int32Array; n: number };
  daily: { day: Int32Array; channel: Uint8Array; campaign: Int32Array; sessions: Float64Array; spend: Float64Array; n: number };
}

const YEAR = 365.25 * 86400;
const DRIFT_FROM = Date.UTC(2024, 0, 1) / 1000;

/** The touches of the sign-up and order paths, in simulation order (buyers, then orders). */
export interface PathTouches {
  buyer: Int32Array;
  utc: Float64Array;
  channel: Uint8Array;
  conversion: Uint8Array;
  converted: Uint8Array;
  order: Int32Array;
  /** Instants of the path's last touch and of its conversion (sign-up or order). */
  lastAt: Float64Array;
  at: Float64Array;
  n: number;
}

/**
 * What the rest of the marketplace needs from marketing: the channels, each buyer's acquisition
 * channel (behaviour truth) and each order's last-touch channel (offsite-ads fees).
 */
export interface MarketingSummary {
  channels: string[];
  /** Acquisition channel per buyer (index into channels). */
  acquisition: Uint8Array;
  /** Per order (index into market.orders): channel of its path's latest touch, −1 when untracked. */
  lastTouch: Int16Array;
}

/** The paths and summary of marketing (marketingPaths): the input of completeMarketing. */
export interface MarketingPaths extends MarketingSummary {
  paths: PathTouches;
  /** Orders per local window day (the level browsing follows). */
  ordersPerDay: Float64Array;
}

/** The buyer fields marketing reads. */
export type MarketingBuyers = Pick<Buyers, 'n' | 'segment' | 'signup' | 'country'>;
/** The order fields marketing reads. */
export type MarketingOrders = Pick<MarketResult['orders'], 'n' | 'arrival' | 'buyer' | 'utc'>;

/**
 * Acquisition channel of every buyer (odds × yearly drift × segment tilt), the touches before each
 * sign-up and order inside the window (first sign-up touch = the acquisition channel; order touches
 * return to it with `acquisition_retouch` odds), the browsing touches around them that converted nothing,
 * campaigns with budgets, and daily sessions and spend (marketing-spend.ts). Deterministic in buyer and
 * order indexes. The same as completeMarketing(marketingPaths(…)).
 */
export function simulateMarketing(m: MarketModel, buyers: MarketingBuyers, market: { orders: MarketingOrders }): Marketing {
  return completeMarketing(m, buyers, marketingPaths(m, buyers, market.orders));
}

/**
 * The first part of simulateMarketing: acquisition channels and the sign-up and order paths (what
 * the orders' fees need), before campaigns and browsing.
 */
export function marketingPaths(m: MarketModel, buyers: MarketingBuyers, o: MarketingOrders): MarketingPaths {
  const mk = m.b.marketing;
  const channels = Object.keys(mk.channels);
  const segNames = Object.keys(m.b.buyers.segments).filter((x) => m.b.buyers.segments[x].share > 0);
  const touchCum = cumulative(channels.map((c) => mk.channels[c].touch));
  const openCum = cumulative(channels.map((c) => mk.channels[c].touch * mk.channels[c].opener));
  const closeCum = cumulative(channels.map((c) => mk.channels[c].touch * mk.channels[c].closer));
  const firstOdds = (x: 'touch' | 'opener' | 'closer') => cumulative(channels.map((c) => mk.channels[c].touch * (x === 'touch' ? 1 : mk.channels[c][x]) * mk.channels[c].first_order));
  const firstTouchCum = firstOdds('touch');
  const firstOpenCum = firstOdds('opener');
  const firstCloseCum = firstOdds('closer');
  const isFirst = firstOrders(buyers, o, m.startUtc);
  const coverage = trackingCoverage(m);
  const rsB = m.rs('marketing.buyers');
  const rsO = m.rs('marketing.orders');
  const acquisition = new Uint8Array(buyers.n);
  // per path touch also: converted (the path's last touch) and the instants of the path's last touch and of its conversion
  const t = { buyer: int32Column(), utc: float64Column(), channel: uint8Column(), conversion: uint8Column(), converted: uint8Column(), order: int32Column(), lastAt: float64Column(), at: float64Column() };
  const z = (u1: number, u2: number) => Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const geometric = (mean: number, u: number) => (mean <= 0 ? 0 : Math.floor(Math.log(u) / Math.log(mean / (1 + mean))));
  const path = (i: number, at: number, n: number, first: number, conv: number, order: number, u: (k: number) => number, channelOf: (k: number, n: number) => number) => {
    // the converting session (the path's last touch, k = n − 1) starts minutes before the conversion made in
    // it; earlier touches come touch_lag before that session, first touch first (lags fall)
    if (n <= 0) return;
    const session = lagSeconds(mk.converting_session, z(u(2 * (n - 1)), u(2 * n - 1)));
    const lags = [...Array.from({ length: n - 1 }, (_, k) => session + lagSeconds(mk.touch_lag, z(u(2 * k), u(2 * k + 1)))).sort((a, b) => b - a), session];
    const lastAt = Math.floor(at - 1 - lags[n - 1]);
    lags.forEach((lag, k) => {
      const when = Math.floor(at - 1 - lag);
      if (when < m.startUtc) return;
      t.buyer.push(i);
      t.utc.push(when);
      t.channel.push(k === 0 && first >= 0 ? first : channelOf(k, n));
      t.conversion.push(conv);
      t.converted.push(k === n - 1 ? 1 : 0);
      t.order.push(order);
      t.lastAt.push(lastAt);
      t.at.push(at);
    });
  };
  for (let i = 0; i < buyers.n; i++) {
    const seg = segNames[buyers.segment[i]];
    const years = (buyers.signup[i] - DRIFT_FROM) / YEAR;
    const odds = channels.map((c) => {
      const ch = mk.channels[c];
      return ch.acquisition * Math.pow(1 + ch.growth_pct_per_year / 100, years) * (ch.segment_tilt[seg] ?? 1);
    });
    acquisition[i] = pickIndex(cumulative(odds), rsB.uniform(i, 0));
    if (buyers.signup[i] < m.startUtc || buyers.signup[i] >= m.endUtc) continue;
    const n = 1 + Math.min(20, geometric(mk.touches_before_signup, rsB.uniform(i, 1)));
    path(i, buyers.signup[i], n, acquisition[i], 0, -1, (k) => rsB.uniform(i, 10 + k), (k) => pickIndex(touchCum, rsB.uniform(i, 100 + k)));
  }
  for (let j = 0; j < o.n; j++) {
    const a = o.arrival[j];
    const i = o.buyer[j];
    const first = isFirst[j] === 1;
    let n = Math.min(20, geometric(mk.touches_before_order, rsO.uniform(a, 0)));
    // consent, identity and tracking changes leave some order paths without touches
    if (n > 0 && rsO.uniform(a, 300) >= coverage(buyers.country[i], first, o.utc[j])) n = 0;
    // discovery channels open multi-touch paths, email and direct close them; first orders lean to prospecting channels
    const mix = first
      ? (k: number, n: number) => (k === n - 1 ? firstCloseCum : k === 0 ? firstOpenCum : firstTouchCum)
      : (k: number, n: number) => (k === n - 1 ? closeCum : k === 0 ? openCum : touchCum);
    const channelOf = (k: number, n: number) => (rsO.uniform(a, 200 + k) < mk.acquisition_retouch ? acquisition[i] : pickIndex(mix(k, n), rsO.uniform(a, 100 + k)));
    path(i, o.utc[j], n, -1, 1, j, (k) => rsO.uniform(a, 10 + k), channelOf);
  }
  const paths: PathTouches = { buyer: t.buyer.toArray(), utc: t.utc.toArray(), channel: t.channel.toArray(), conversion: t.conversion.toArray(), converted: t.converted.toArray(), order: t.order.toArray(), lastAt: t.lastAt.toArray(), at: t.at.toArray(), n: t.buyer.n };
  const ordersPerDay = new Float64Array(m.window.days);
  for (let j = 0; j < o.n; j++) {
    const d = m.clock.dayOf(o.utc[j]);
    if (d >= 0 && d < ordersPerDay.length) ordersPerDay[d]++;
  }
  return { channels, acquisition, lastTouch: lastTouchChannel(paths, o.n), paths, ordersPerDay };
}

/**
 * Per order (index into `o`): 1 when it is a new buyer's first order — the buyer signed up at or after
 * `startUtc` (the window start, so no order of theirs predates the window) and this is their earliest
 * order in `o` (the first in simulation order among equal instants) — else 0. Buyers who signed up
 * before the window are returning buyers throughout it.
 */
export function firstOrders(buyers: Pick<Buyers, 'n' | 'signup'>, o: Pick<MarketingOrders, 'n' | 'buyer' | 'utc'>, startUtc: number): Uint8Array {
  const earliest = new Int32Array(buyers.n).fill(-1);
  for (let j = 0; j < o.n; j++) {
    const i = o.buyer[j];
    if (earliest[i] < 0 || o.utc[j] < o.utc[earliest[i]]) earliest[i] = j;
  }
  const out = new Uint8Array(o.n);
  for (let i = 0; i < buyers.n; i++) if (earliest[i] >= 0 && buyers.signup[i] >= startUtc) out[earliest[i]] = 1;
  return out;
}

/**
 * Chance multiplier (0–1) that an order path keeps its touches (`marketing.tracking`): the buyer
 * country's `country_coverage` (unset = 1) × `new_buyer` on a first order × `step_factor` from the
 * warehouse-clock midnight of `step_date` on. Arguments: country index (into m.countries), first order?, order instant (Unix s).
 */
export function trackingCoverage(m: MarketModel): (country: number, first: boolean, utc: number) => number {
  const tr = m.b.marketing.tracking;
  const byCountry = Float64Array.from(m.countries, (c) => tr.country_coverage[c] ?? 1);
  let stepAt = Infinity;
  if (tr.step_date !== null) {
    const d = Math.round((Date.parse(`${tr.step_date}T00:00:00Z`) - Date.parse(`${m.window.startDate}T00:00:00Z`)) / 86400000);
    stepAt = m.clock.midnight(d);
  }
  return (country, first, utc) => byCountry[country] * (first ? tr.new_buyer : 1) * (utc >= stepAt ? tr.step_factor : 1);
}

/**
 * Order index → channel of its path's latest touch (−1 = untracked; of equal instants the later in
 * simulation order). Browsing touches carry no order, so the path touches decide alone.
 */
function lastTouchChannel(t: PathTouches, orders: number): Int16Array {
  const last = new Int16Array(orders).fill(-1);
  const when = new Float64Array(orders).fill(-Infinity);
  for (let k = 0; k < t.n; k++) {
    const j = t.order[k];
    if (j >= 0 && t.utc[k] >= when[j]) {
      when[j] = t.utc[k];
      last[j] = t.channel[k];
    }
  }
  return last;
}

/** The rest of simulateMarketing from its paths: campaigns, browsing touches, daily sessions and spend, budgets. */
export function completeMarketing(m: MarketModel, buyers: MarketingBuyers, p: MarketingPaths): Marketing {
  const { channels, paths: conv } = p;
  const campaigns = campaignsOf(m, channels);
  // touches hold campaign indexes as 16-bit integers
  if (campaigns.length > 32767) throw new Error(`marketplace marketing: ${campaigns.length} campaigns, at most 32767 (lower campaigns_per_quarter or campaign_rate)`);
  const pick = campaignPicker(m, campaigns);
  const convCampaign = new Int32Array(conv.n);
  for (let k = 0; k < convCampaign.length; k++) convCampaign[k] = pick(conv.channel[k], m.clock.dayOf(conv.utc[k]), k, true, conv.utc[k] - buyers.signup[conv.buyer[k]]);
  const all = withBrowsing(m, channels, campaigns, buyers, conv, convCampaign, pick, p.ordersPerDay);
  const daily = dailySessions(m, channels, campaigns, all);
  return { channels, campaigns, budgets: budgetsOf(m, channels, campaigns, daily), acquisition: p.acquisition, lastTouch: p.lastTouch, touches: all, daily };
}

/**
 * Campaign of a touch: among the campaigns of its channel live that day (−1 if none), the email welcome
 * series (`email.welcome_campaign`) takes `welcome_share` × exp(−4 × tenure ÷ `welcome_days`) of the
 * email touches of buyers within `welcome_days` of sign-up (its mails are densest in the first days)
 * and none of anyone else's; a big-sale email campaign takes 70% of the other
 * email touches of its days; otherwise a regular campaign by quality odds for converting touches (good
 * campaigns convert more) and 1 ÷ quality odds for browsing ones.
 */
function campaignPicker(m: MarketModel, campaigns: readonly Campaign[]): CampaignPick {
  const em = m.b.marketing.email;
  const welcome = welcomeCampaign(m, campaigns);
  const welcomeFor = em.welcome_days * 86400;
  const welcomeChannel = welcome >= 0 ? campaigns[welcome].channel : -1;
  const welcomeFrom = welcome >= 0 ? campaigns[welcome].from : 0;
  const welcomeTo = welcome >= 0 ? campaigns[welcome].to : -1;
  const live = new Map<number, number[]>();
  campaigns.forEach((c, x) => {
    if (x === welcome) return;
    for (let d = Math.max(0, c.from); d <= c.to; d++) {
      const key = c.channel * 100000 + d;
      (live.get(key) ?? live.set(key, []).get(key)!).push(x);
    }
  });
  // per (channel, day): the live campaigns split once, with the cumulative odds of both kinds of touch
  const split = new Map<number, { special: number[]; regular: number[]; conv: Float64Array; browse: Float64Array }>();
  for (const [key, list] of live) {
    const regular = list.filter((x) => !campaigns[x].special);
    split.set(key, {
      special: list.filter((x) => campaigns[x].special),
      regular,
      conv: cumulative(regular.map((x) => campaigns[x].quality)),
      browse: cumulative(regular.map((x) => 1 / campaigns[x].quality)),
    });
  }
  const rsConv = m.rs('marketing.campaigns');
  const rsBrowse = m.rs('marketing.campaigns_browse');
  return (channel, day, k, converting, tenure) => {
    const rs = converting ? rsConv : rsBrowse;
    if (channel === welcomeChannel && tenure >= 0 && tenure < welcomeFor && day >= welcomeFrom && day <= welcomeTo && rs.uniform(k, 2) < em.welcome_share * Math.exp((-4 * tenure) / welcomeFor)) return welcome;
    const at = split.get(channel * 100000 + day);
    if (!at) return -1;
    const { special, regular } = at;
    if (special.length && (rs.uniform(k, 0) < 0.7 || !regular.length)) return special[Math.floor(rs.uniform(k, 1) * special.length)];
    if (!regular.length) return -1;
    return regular[pickIndex(converting ? at.conv : at.browse, rs.uniform(k, 1))];
  };
}

/** Index of the email welcome series (`email.welcome_campaign` on the email channel), −1 when there is none. */
function welcomeCampaign(m: MarketModel, campaigns: readonly Campaign[]): number {
  const email = Object.keys(m.b.marketing.channels).indexOf('email');
  return email < 0 ? -1 : campaigns.findIndex((c) => c.channel === email && c.name === m.b.marketing.email.welcome_campaign);
}

/**
 * Browsing weight of each window day (sums to 1): the 28-day centred mean of the window's orders per
 * day (trend and season; clipped at the window's edges) × the day's calendar shape ÷ that shape's own
 * 28-day mean. The shape is the configured order `day_of_week` × the named days' order effect, blended
 * with the mean effect of the next `browsing.lead_days` days (`lead_share`: people research before a
 * gifting day) × a lognormal day noise shared by every channel (`day_sigma`). So browsing follows the
 * orders' level, weekly rhythm and holidays up to the window end.
 */
export function browseDayWeights(m: MarketModel, ordersPerDay: Float64Array): Float64Array {
  const br = m.b.marketing.browsing;
  const days = m.window.days;
  const lead = br.lead_days;
  const cal = new Float64Array(days + lead).fill(1);
  for (const h of m.calendar) if (h.day >= 0 && h.day < cal.length && h.effects.orders !== undefined) cal[h.day] *= h.effects.orders;
  const rs = m.rs('marketing.browse_days');
  const sigma = br.day_sigma;
  const shape = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    let ahead = 0;
    for (let k = 1; k <= lead; k++) ahead += cal[d + k];
    const effect = lead > 0 ? (1 - br.lead_share) * cal[d] + (br.lead_share * ahead) / lead : cal[d];
    shape[d] = m.b.day_of_week[weekdayOf(m.window.startDate, d)] * effect * Math.exp(sigma * rs.standardNormal(d, 0) - (sigma * sigma) / 2);
  }
  const mean = (x: Float64Array, d: number) => {
    let s = 0;
    let n = 0;
    for (let k = Math.max(0, d - 14); k < Math.min(days, d + 14); k++, n++) s += x[k];
    return n ? s / n : 0;
  };
  const out = new Float64Array(days);
  let total = 0;
  for (let d = 0; d < days; d++) {
    const s = mean(shape, d);
    total += out[d] = s > 0 ? (mean(ordersPerDay, d) * shape[d]) / s : 0;
  }
  if (total > 0) for (let d = 0; d < days; d++) out[d] /= total;
  return out;
}

/**
 * The path touches plus the browsing sessions that led nowhere. Each channel gets in all the
 * geometric mean s ÷ p − 1 of browsing sessions per path touch, p = the channel's `touch_conversion` ×
 * the touch's campaign quality (capped at 0.95) and s = the channel's share of its path touches that
 * are converting (last) touches, so converted ÷ tracked touches per channel is p on average. They are
 * generated forward in time: per day and channel a count around that total × the day's browse weight
 * (browseDayWeights; normal approximation of a Poisson count), each at an hour drawn from the order
 * hour-of-day curve of the day's kind (warehouse clock), for the buyer of a random path touch of the
 * channel within `browsing.buyer_days` days — on order paths after the buyer's sign-up, and never
 * between that path's converting touch and its conversion (up to four candidates, else dropped) —
 * in a live campaign of the channel (1 ÷ quality odds). Deterministic in day, channel and touch index.
 */
function withBrowsing(
  m: MarketModel,
  channels: string[],
  campaigns: readonly Campaign[],
  buyers: MarketingBuyers,
  conv: PathTouches,
  convCampaign: Int32Array,
  pick: CampaignPick,
  ordersPerDay: Float64Array,
): Marketing['touches'] {
  const rs = m.rs('marketing.browse');
  const cells = pathCells(m, channels.length, conv);
  const expected = expectedBrowsing(m, channels, campaigns, conv, convCampaign, cells);
  // welcome-mail clicks are email browsing sessions too: the rest of the channel's browsing makes up the difference
  const welcome = welcomeTouches(m, campaigns, buyers);
  const email = channels.indexOf('email');
  if (email >= 0) expected[email] = Math.max(0, expected[email] - welcome.n);
  const weekdays = channels.map((c) => m.b.marketing.channels[c].day_of_week);
  const count = browseCounts(rs, expected, channelDayWeights(m, browseDayWeights(m, ordersPerDay), weekdays), m.window.days);
  let cap = conv.n + welcome.n;
  for (let x = 0; x < count.length; x++) cap += count[x];
  const out = touchTable(cap);
  for (let k = 0; k < conv.n; k++) out.push(conv.buyer[k], conv.utc[k], conv.channel[k], convCampaign[k], conv.conversion[k], conv.converted[k], conv.order[k]);
  placeBrowsing(m, rs, conv, buyers, cells, count, pick, out);
  for (let k = 0; k < welcome.n; k++) out.push(welcome.buyer[k], welcome.utc[k], email, welcome.campaign, 2, 0, -1);
  return out.view();
}

/** Campaign of a touch (campaignPicker): channel index, window day, touch or session index, converting?, seconds since the buyer's sign-up → campaign index or −1. */
type CampaignPick = (channel: number, day: number, k: number, converting: boolean, tenure: number) => number;

/**
 * The path touches by cell (channel × days + window day, the day clamped into the window): `byCell`
 * holds touch indexes (simulation order within a cell) and `cellStart` (length channels × days + 1)
 * each cell's offset into it. Per channel also the counts of path touches (`pathN`) and of converting
 * touches (`lastN`).
 */
interface PathCells {
  pathN: Float64Array;
  lastN: Float64Array;
  cellStart: Int32Array;
  byCell: Int32Array;
}

/**
 * What browsingTouch reads of the path touches, in byCell order (so a cell's neighbourhood is one
 * contiguous stretch in memory instead of random reads over every path touch): the touch's buyer,
 * conversion kind, and as whole seconds from `base` (Int32: 17 bytes a touch instead of 29) the
 * buyer's sign-up, and its path's last touch and conversion, each rounded up. Browsing sessions fall
 * on whole seconds, so for a session at w (whole seconds from base) w < x ⟺ w < ⌈x⌉ and w > x ⟺ w > ⌈x⌉
 * for an integer x (lastAt): the same tests as on the exact instants.
 */
interface CellTouches {
  base: number;
  buyer: Int32Array;
  signup: Int32Array;
  conversion: Uint8Array;
  lastAt: Int32Array;
  at: Int32Array;
}

/** The path touches' fields browsingTouch reads, copied in byCell order relative to `base` (CellTouches). */
function cellTouches(cells: PathCells, conv: PathTouches, buyers: MarketingBuyers, base: number): CellTouches {
  const n = cells.byCell.length;
  const out: CellTouches = { base, buyer: new Int32Array(n), signup: new Int32Array(n), conversion: new Uint8Array(n), lastAt: new Int32Array(n), at: new Int32Array(n) };
  // seconds from base, rounded up and clamped into Int32 (an instant beyond ±68 years compares the same);
  // NaN (no instant: every comparison false) becomes the bound that keeps its test false
  const rel = (x: number, nan: number) => (Number.isNaN(x) ? nan : Math.max(-0x80000000, Math.min(0x7fffffff, Math.ceil(x - base))));
  for (let j = 0; j < n; j++) {
    const k = cells.byCell[j];
    out.buyer[j] = conv.buyer[k];
    out.signup[j] = rel(buyers.signup[conv.buyer[k]], -0x80000000);
    out.conversion[j] = conv.conversion[k];
    out.lastAt[j] = rel(conv.lastAt[k], 0x7fffffff);
    out.at[j] = rel(conv.at[k], -0x80000000);
  }
  return out;
}

/** Groups the path touches by (channel, window day) and counts them per channel (PathCells); C = number of channels. */
function pathCells(m: MarketModel, C: number, conv: PathTouches): PathCells {
  const days = m.window.days;
  const pathN = new Float64Array(C);
  const lastN = new Float64Array(C);
  const cellOf = new Int32Array(conv.n);
  const cellStart = new Int32Array(C * days + 1);
  for (let k = 0; k < conv.n; k++) {
    const c = conv.channel[k];
    pathN[c]++;
    lastN[c] += conv.converted[k];
    const d = Math.min(days - 1, Math.max(0, m.clock.dayOf(conv.utc[k])));
    cellOf[k] = c * days + d;
    cellStart[cellOf[k] + 1]++;
  }
  for (let x = 0; x < C * days; x++) cellStart[x + 1] += cellStart[x];
  const byCell = new Int32Array(conv.n);
  const fill = cellStart.slice(0, C * days);
  for (let k = 0; k < conv.n; k++) byCell[fill[cellOf[k]]++] = k;
  return { pathN, lastN, cellStart, byCell };
}

/**
 * Expected browsing sessions per channel over the window (index = channel): the sum over its path
 * touches of max(0, s ÷ p − 1), s = lastN ÷ pathN of the channel and p = its `touch_conversion` × the
 * touch's campaign quality (1 without a campaign), capped at 0.95.
 */
function expectedBrowsing(m: MarketModel, channels: string[], campaigns: readonly Campaign[], conv: PathTouches, convCampaign: Int32Array, cells: PathCells): Float64Array {
  const { pathN, lastN } = cells;
  const expected = new Float64Array(channels.length);
  for (let k = 0; k < conv.n; k++) {
    const c = conv.channel[k];
    const cp = convCampaign[k];
    const p = Math.min(0.95, m.b.marketing.channels[channels[c]].touch_conversion * (cp >= 0 ? campaigns[cp].quality : 1));
    expected[c] += Math.max(0, lastN[c] / pathN[c] / p - 1);
  }
  return expected;
}

/**
 * Clicks on the email welcome series (`marketing.email`): each buyer who signs up in the window clicks
 * with chance `welcome_reach`, 1 + geometric(`welcome_clicks` − 1) times (at most 10), each an
 * exponential lag with mean `welcome_days` ÷ 4 after the sign-up (a longer draw falls uniformly inside
 * `welcome_days`), dropped past the window end. None without an email welcome campaign. Deterministic
 * in the buyer index. Returns the clicks' buyers and instants (Unix s) and the campaign index.
 */
function welcomeTouches(m: MarketModel, campaigns: readonly Campaign[], buyers: MarketingBuyers): { buyer: Int32Array; utc: Float64Array; n: number; campaign: number } {
  const em = m.b.marketing.email;
  const campaign = welcomeCampaign(m, campaigns);
  const buyer = int32Column();
  const utc = float64Column();
  if (campaign >= 0 && em.welcome_reach > 0) {
    const rs = m.rs('marketing.welcome');
    const span = em.welcome_days * 86400;
    const extra = Math.max(0, em.welcome_clicks - 1);
    for (let i = 0; i < buyers.n; i++) {
      const at = buyers.signup[i];
      if (at < m.startUtc || at >= m.endUtc || rs.uniform(i, 0) >= em.welcome_reach) continue;
      const clicks = 1 + Math.min(9, extra <= 0 ? 0 : Math.floor(Math.log(rs.uniform(i, 1)) / Math.log(extra / (1 + extra))));
      for (let k = 0; k < clicks; k++) {
        let lag = (-Math.log(1 - rs.uniform(i, 2 + 2 * k)) * span) / 4;
        if (lag >= span) lag = rs.uniform(i, 3 + 2 * k) * span;
        const when = Math.floor(at + 60 + lag);
        if (when >= m.endUtc) continue;
        buyer.push(i);
        utc.push(when);
      }
    }
  }
  return { buyer: buyer.toArray(), utc: utc.toArray(), n: buyer.n, campaign };
}

/**
 * Per channel (index into `weekdays`) the browse weights of the window days (`weight`, summing to 1)
 * × the channel's `day_of_week` multiplier of the day's weekday, renormalised to sum to 1: the channel's
 * weekly rhythm on top of the shared one, its total unchanged.
 */
function channelDayWeights(m: MarketModel, weight: Float64Array, weekdays: readonly (readonly number[])[]): Float64Array[] {
  const days = weight.length;
  const wd = Uint8Array.from({ length: days }, (_, d) => weekdayOf(m.window.startDate, d));
  return weekdays.map((tilt) => {
    const out = new Float64Array(days);
    let total = 0;
    for (let d = 0; d < days; d++) total += out[d] = weight[d] * tilt[wd[d]];
    if (total > 0) for (let d = 0; d < days; d++) out[d] /= total;
    return out;
  });
}

/**
 * Browsing sessions per cell (index channel × days + day): mean = the channel's expected total × the
 * channel's weight of the day (channelDayWeights), drawn as round(mean + √mean × z) clipped at 0 (normal approximation of a
 * Poisson count; z = standardNormal(day, channel)).
 */
function browseCounts(rs: RandomStream, expected: Float64Array, weight: readonly Float64Array[], days: number): Int32Array {
  const count = new Int32Array(expected.length * days);
  for (let c = 0; c < expected.length; c++) {
    for (let d = 0; d < days; d++) {
      const mean = expected[c] * weight[c][d];
      count[c * days + d] = Math.max(0, Math.round(mean + Math.sqrt(mean) * rs.standardNormal(d, c)));
    }
  }
  return count;
}

/** A touch table of fixed capacity `cap`, filled in push order; `view()` gives the filled part (subarrays, no copy). */
function touchTable(cap: number) {
  const out = { buyer: new Int32Array(cap), utc: new Float64Array(cap), channel: new Uint8Array(cap), campaign: new Int16Array(cap), conversion: new Uint8Array(cap), converted: new Uint8Array(cap), order: new Int32Array(cap) };
  let at = 0;
  return {
    /** Appends one touch: buyer index, instant (Unix s), channel, campaign (−1), conversion kind, converted flag, order index (−1). */
    push(b: number, u: number, c: number, cp: number, cv: number, done: number, o: number) {
      out.buyer[at] = b;
      out.utc[at] = u;
      out.channel[at] = c;
      out.campaign[at] = cp;
      out.conversion[at] = cv;
      out.converted[at] = done;
      out.order[at] = o;
      at++;
    },
    // views of the filled part (the few dropped sessions' slots stay unused)
    view(): Marketing['touches'] {
      const part = <T extends { subarray(a: number, b: number): T }>(x: T) => x.subarray(0, at);
      return { buyer: part(out.buyer), utc: part(out.utc), channel: part(out.channel), campaign: part(out.campaign), conversion: part(out.conversion), converted: part(out.converted), order: part(out.order), n: at };
    },
  };
}

/**
 * Appends the browsing sessions to `out`, day by day and channel by channel (session index `extra`
 * counts across both): `count` sessions of the cell, each at an hour of the order hour-of-day curve of
 * the day's kind (weekday or weekend; warehouse clock, clipped to the day's last second) × the channel's
 * `hour_tilt` — except `email.send_share` of the email sessions, which follow the latest newsletter send
 * on or before the day (`send_weekdays` at `send_hour`) by an exponential lag of mean `decay_hours`
 * (placed by the hour curve instead when that lands outside the window) — for the buyer
 * of a path touch of the channel within `browsing.buyer_days` days (browsingTouch), with conversion 2
 * (none) and a browsing campaign pick. Cells without path touches nearby get none.
 */
function placeBrowsing(m: MarketModel, rs: RandomStream, conv: PathTouches, buyers: MarketingBuyers, cells: PathCells, count: Int32Array, pick: CampaignPick, out: ReturnType<typeof touchTable>): void {
  const days = m.window.days;
  const C = count.length / days;
  const channels = Object.keys(m.b.marketing.channels);
  const tilted = (curve: readonly number[], c: number) => cumulative(curve.map((w, h) => w * m.b.marketing.channels[channels[c]].hour_tilt[h]));
  const hours = Array.from({ length: C }, (_, c) => [tilted(m.b.hour_of_day.weekday, c), tilted(m.b.hour_of_day.weekend, c)]);
  const em = m.b.marketing.email;
  const email = channels.indexOf('email');
  const sendDays = new Set(em.send_weekdays);
  const decay = em.decay_hours * 3600;
  const reach = m.b.marketing.browsing.buyer_days;
  // local midnights of the window days and the one after (a send session's day is found from its send day)
  const midnights = Float64Array.from({ length: days + 1 }, (_, d) => m.clock.midnight(d));
  const touches = cellTouches(cells, conv, buyers, Math.floor(m.startUtc));
  let extra = 0;
  for (let d = 0; d < days; d++) {
    const midnight = m.clock.midnight(d);
    const dayEnd = m.clock.midnight(d + 1) - 1;
    const kind = weekdayOf(m.window.startDate, d) >= 5 ? 1 : 0;
    // the latest send on or before the day
    let send = d;
    while (!sendDays.has(weekdayOf(m.window.startDate, send)) && send > d - 6) send--;
    const sendAt = m.clock.midnight(send) + em.send_hour * 3600;
    const lo = Math.max(0, d - reach);
    const hi = Math.min(days - 1, d + reach);
    for (let c = 0; c < C; c++) {
      const n = count[c * days + d];
      if (!n) continue;
      const from = cells.cellStart[c * days + lo];
      const span = cells.cellStart[c * days + hi + 1] - from;
      if (span <= 0) continue;
      for (let e = 0; e < n; e++, extra++) {
        let when = c === email && rs.uniform(extra, 8) < em.send_share ? Math.floor(sendAt - decay * Math.log(1 - rs.uniform(extra, 9))) : NaN;
        if (!(when >= m.startUtc && when < m.endUtc)) when = Math.min(dayEnd, Math.floor(midnight + (pickIndex(hours[c][kind], rs.uniform(extra, 1)) + rs.uniform(extra, 2)) * 3600));
        const j = browsingTouch(rs, extra, when, from, span, touches);
        if (j < 0) continue;
        let day = d;
        if (when < midnight || when > dayEnd) for (day = Math.max(0, send); day < days - 1 && when >= midnights[day + 1]; day++);
        out.push(touches.buyer[j], when, c, pick(c, day, extra, false, when - touches.base - touches.signup[j]), 2, 0, -1);
      }
    }
  }
}

/**
 * The path touch whose buyer browses in session `extra` at `when` (Unix s): up to four uniform picks
 * among byCell positions [from, from + span) (`t`: their fields in that order); a pick is refused on an
 * order path before the buyer's sign-up and between the path's converting touch and its conversion.
 * Returns the byCell position, −1 when all four are refused (the session is dropped).
 */
function browsingTouch(rs: RandomStream, extra: number, when: number, from: number, span: number, t: CellTouches): number {
  const w = when - t.base;
  for (let tries = 0; tries < 4; tries++) {
    const j = from + Math.floor(rs.uniform(extra, 3 + tries) * span);
    if (t.conversion[j] !== 0 && w < t.signup[j]) continue;
    if (w > t.lastAt[j] && w < t.at[j]) continue;
    return j;
  }
  return -1;
}

/**
 * Planned budget of each paid campaign, cents, from its realised spend and a delivery ratio (spend ÷
 * budget) the way ad platforms pace: 68% of campaigns pace to their budget (ratio about 0.99, sd 0.025:
 * a few percent either way), 25% under-deliver (0.55–0.95), 7% overspend 5–17% (budget changes mid-flight,
 * pacing slack on big days). Rounded to about three significant figures (at least $10 steps), at least $100.
 * NaN for unpaid channels.
 */
function budgetsOf(m: MarketModel, channels: string[], campaigns: readonly Campaign[], daily: Marketing['daily']): Float64Array {
  const spent = new Float64Array(campaigns.length);
  for (let x = 0; x < daily.n; x++) if (daily.campaign[x] >= 0) spent[daily.campaign[x]] += daily.spend[x];
  const rs = m.rs('marketing.budgets');
  return Float64Array.from(campaigns, (c, x) => {
    if (!m.b.marketing.channels[channels[c.channel]].paid) return NaN;
    const u = rs.uniform(x, 1);
    const v = rs.uniform(x, 2);
    const ratio = u < 0.68 ? 0.99 + 0.025 * rs.standardNormal(x, 0) : u < 0.93 ? 0.55 + 0.4 * v : 1.05 + 0.12 * v * v;
    const planned = spent[x] / ratio;
    const step = Math.max(1000, 10 ** (Math.floor(Math.log10(Math.max(planned, 1))) - 2));
    return Math.max(10000, Math.round(planned / step) * step);
  });
}
