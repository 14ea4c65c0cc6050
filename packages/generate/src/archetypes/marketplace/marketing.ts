import { float64Column, int32Column, uint8Column } from '../../behaviour/growable.js';
import { lagSeconds } from '../../behaviour/lag.js';
import { pickIndex } from '../../behaviour/segments.js';
import { campaignsOf, dailySessions, type Campaign } from './marketing-spend.js';
import { cumulative, type MarketModel } from './model.js';
import type { MarketResult } from './market.js';
import type { Buyers } from './parties.js';

export type { Campaign } from './marketing-spend.js';

/**
 * Marketing paths and spend. Touches: buyer index, instant (Unix s), channel index, campaign index
 * (−1 = none), conversion (what the touch's path led to: 0 = sign-up, 1 = order, 2 = none: a browsing
 * session that led nowhere), converted (1 only on the last touch of a sign-up or order path: the
 * converting touch, one per converted order and at most one per new buyer) and order index (−1 unless
 * an order path). Daily: local day, channel, campaign (−1), sessions and spend in
 * cents, one row per (day, channel, campaign) with touches.
 */
export interface Marketing extends MarketingSummary {
  campaigns: Campaign[];
  /** Planned budget per campaign, cents (NaN for unpaid channels). */
  budgets: Float64Array;
  touches: { buyer: Int32Array; utc: Float64Array; channel: Uint8Array; campaign: Int32Array; conversion: Uint8Array; converted: Uint8Array; order: Int32Array; n: number };
  daily: { day: Int32Array; channel: Uint8Array; campaign: Int32Array; sessions: Float64Array; spend: Float64Array; n: number };
}

const YEAR = 365.25 * 86400;
/** Most browsing sessions one path touch brings (caps the geometric tail). */
const MAX_BROWSE = 400;
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
}

/** The buyer fields marketing reads. */
export type MarketingBuyers = Pick<Buyers, 'n' | 'segment' | 'signup'>;
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
  const rsB = m.rs('marketing.buyers');
  const rsO = m.rs('marketing.orders');
  const acquisition = new Uint8Array(buyers.n);
  // per path touch also: converted (the path's last touch) and the instants of the path's last touch and of its conversion
  const t = { buyer: int32Column(), utc: float64Column(), channel: uint8Column(), conversion: uint8Column(), converted: uint8Column(), order: int32Column(), lastAt: float64Column(), at: float64Column() };
  const z = (u1: number, u2: number) => Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const geometric = (mean: number, u: number) => (mean <= 0 ? 0 : Math.floor(Math.log(u) / Math.log(mean / (1 + mean))));
  const path = (i: number, at: number, n: number, first: number, conv: number, order: number, u: (k: number) => number, channelOf: (k: number, n: number) => number) => {
    const lags = Array.from({ length: n }, (_, k) => lagSeconds(mk.touch_lag, z(u(2 * k), u(2 * k + 1)))).sort((a, b) => b - a);
    // lags fall, so the path's last touch is k = n − 1 (the converting touch)
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
    const n = Math.min(20, geometric(mk.touches_before_order, rsO.uniform(a, 0)));
    // discovery channels open multi-touch paths, email and direct close them
    const mix = (k: number, n: number) => (k === n - 1 ? closeCum : k === 0 ? openCum : touchCum);
    const channelOf = (k: number, n: number) => (rsO.uniform(a, 200 + k) < mk.acquisition_retouch ? acquisition[i] : pickIndex(mix(k, n), rsO.uniform(a, 100 + k)));
    path(i, o.utc[j], n, -1, 1, j, (k) => rsO.uniform(a, 10 + k), channelOf);
  }
  const paths: PathTouches = { buyer: t.buyer.toArray(), utc: t.utc.toArray(), channel: t.channel.toArray(), conversion: t.conversion.toArray(), converted: t.converted.toArray(), order: t.order.toArray(), lastAt: t.lastAt.toArray(), at: t.at.toArray(), n: t.buyer.n };
  return { channels, acquisition, lastTouch: lastTouchChannel(paths, o.n), paths };
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
  const pick = campaignPicker(m, campaigns);
  const convCampaign = new Int32Array(conv.n);
  for (let k = 0; k < convCampaign.length; k++) convCampaign[k] = pick(conv.channel[k], m.clock.dayOf(conv.utc[k]), k, true);
  const all = withBrowsing(m, channels, campaigns, buyers, conv, convCampaign, pick);
  const day = new Int32Array(all.n);
  for (let k = 0; k < all.n; k++) day[k] = m.clock.dayOf(all.utc[k]);
  const daily = dailySessions(m, channels, campaigns, { day, channel: all.channel, campaign: all.campaign });
  return { channels, campaigns, budgets: budgetsOf(m, channels, campaigns, daily), acquisition: p.acquisition, lastTouch: p.lastTouch, touches: all, daily };
}

/**
 * Campaign of a touch: among the campaigns of its channel live that day (−1 if none), a big-sale email
 * campaign takes 70% of the email touches of its days; otherwise a regular campaign by quality odds for
 * converting touches (good campaigns convert more) and 1 ÷ quality odds for browsing ones.
 */
function campaignPicker(m: MarketModel, campaigns: readonly Campaign[]): (channel: number, day: number, k: number, converting: boolean) => number {
  const live = new Map<number, number[]>();
  campaigns.forEach((c, x) => {
    for (let d = c.from; d <= c.to; d++) {
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
  return (channel, day, k, converting) => {
    const at = split.get(channel * 100000 + day);
    if (!at) return -1;
    const rs = converting ? rsConv : rsBrowse;
    const { special, regular } = at;
    if (special.length && (rs.uniform(k, 0) < 0.7 || !regular.length)) return special[Math.floor(rs.uniform(k, 1) * special.length)];
    return regular[pickIndex(converting ? at.conv : at.browse, rs.uniform(k, 1))];
  };
}

/**
 * The path touches plus the browsing sessions around them that led nowhere: each path touch brings a
 * geometric number of same-channel touches of the same buyer with mean s ÷ p − 1, p = the channel's
 * `touch_conversion` × its campaign's quality (capped at 0.95) and s = the channel's share of its path
 * touches that are converting (last) touches, `browse_lag` before it (after it for 35%), inside the
 * window, for order paths after the buyer's sign-up, and never between a path's converting touch and its
 * conversion (so the converting touch is the last touch of the path's buyer before it, other paths
 * aside). So converted ÷ tracked touches per channel or campaign is p on average. Deterministic in
 * touch index.
 */
function withBrowsing(
  m: MarketModel,
  channels: string[],
  campaigns: readonly Campaign[],
  buyers: MarketingBuyers,
  conv: PathTouches,
  convCampaign: Int32Array,
  pick: (channel: number, day: number, k: number, converting: boolean) => number,
): Marketing['touches'] {
  const mk = m.b.marketing;
  const rs = m.rs('marketing.browse');
  // converting share of each channel's path touches
  const pathN = new Float64Array(channels.length);
  const lastN = new Float64Array(channels.length);
  for (let k = 0; k < conv.n; k++) {
    pathN[conv.channel[k]]++;
    lastN[conv.channel[k]] += conv.converted[k];
  }
  // browsing sessions drawn per path touch (before the window and path filters): the output's exact
  // upper bound, so the columns are allocated once (no doubling, no final copy)
  const browseOf = (k: number) => {
    const c = conv.channel[k];
    const cp = convCampaign[k];
    const p = Math.min(0.95, mk.channels[channels[c]].touch_conversion * (cp >= 0 ? campaigns[cp].quality : 1));
    const mean = Math.max(0, lastN[c] / pathN[c] / p - 1);
    return mean <= 0 ? 0 : Math.min(MAX_BROWSE, Math.floor(Math.log(rs.uniform(k, 0)) / Math.log(mean / (1 + mean))));
  };
  const drawn = new Uint16Array(conv.n);
  let cap = conv.n;
  for (let k = 0; k < conv.n; k++) cap += drawn[k] = browseOf(k);
  const out = { buyer: new Int32Array(cap), utc: new Float64Array(cap), channel: new Uint8Array(cap), campaign: new Int32Array(cap), conversion: new Uint8Array(cap), converted: new Uint8Array(cap), order: new Int32Array(cap) };
  let at = 0;
  const push = (b: number, u: number, c: number, cp: number, cv: number, done: number, o: number) => {
    out.buyer[at] = b;
    out.utc[at] = u;
    out.channel[at] = c;
    out.campaign[at] = cp;
    out.conversion[at] = cv;
    out.converted[at] = done;
    out.order[at] = o;
    at++;
  };
  let extra = 0;
  for (let k = 0; k < conv.n; k++) {
    const c = conv.channel[k];
    const cp = convCampaign[k];
    const i = conv.buyer[k];
    push(i, conv.utc[k], c, cp, conv.conversion[k], conv.converted[k], conv.order[k]);
    const n = drawn[k];
    const floor = conv.conversion[k] === 0 ? m.startUtc : Math.max(m.startUtc, buyers.signup[i]);
    for (let e = 0; e < n; e++) {
      const lag = lagSeconds(mk.browse_lag, rs.standardNormal(k, 2 + 2 * e));
      const when = Math.floor(conv.utc[k] + (rs.uniform(k, 3 + 2 * e) < 0.35 ? lag : -lag));
      if (when < floor || when >= m.endUtc || (when > conv.lastAt[k] && when < conv.at[k])) continue;
      const d = m.clock.dayOf(when);
      const keep = cp >= 0 && d >= campaigns[cp].from && d <= campaigns[cp].to;
      push(i, when, c, keep ? cp : pick(c, d, extra, false), 2, 0, -1);
      extra++;
    }
  }
  // views of the filled part (the few filtered-out sessions' slots stay unused)
  return {
    buyer: out.buyer.subarray(0, at),
    utc: out.utc.subarray(0, at),
    channel: out.channel.subarray(0, at),
    campaign: out.campaign.subarray(0, at),
    conversion: out.conversion.subarray(0, at),
    converted: out.converted.subarray(0, at),
    order: out.order.subarray(0, at),
    n: at,
  };
}

/**
 * Planned budget of each paid campaign, cents: its realised spend × a lognormal planning error
 * (log-sd 0.2: some campaigns under-deliver, some overspend), rounded to $100. NaN for unpaid channels.
 */
function budgetsOf(m: MarketModel, channels: string[], campaigns: readonly Campaign[], daily: Marketing['daily']): Float64Array {
  const spent = new Float64Array(campaigns.length);
  for (let x = 0; x < daily.n; x++) if (daily.campaign[x] >= 0) spent[daily.campaign[x]] += daily.spend[x];
  const rs = m.rs('marketing.budgets');
  return Float64Array.from(campaigns, (c, x) => (m.b.marketing.channels[channels[c.channel]].paid ? Math.max(10000, Math.round((spent[x] * Math.exp(0.2 * rs.standardNormal(x, 0))) / 10000) * 10000) : NaN));
}
