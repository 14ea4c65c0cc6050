import { lagSeconds } from '../../behaviour/lag.js';
import { pickIndex } from '../../behaviour/segments.js';
import { cumulative, type MarketModel } from './model.js';
import type { MarketResult } from './market.js';
import type { Buyers } from './parties.js';

/** A campaign of a paid channel or email: index into `channels`, name, first and last local day (inclusive). */
export interface Campaign {
  channel: number;
  name: string;
  from: number;
  to: number;
  /** An email campaign for one big sale day. */
  special: boolean;
}

/**
 * Marketing paths and spend. Touches: buyer index, instant (Unix s), channel index, campaign index
 * (−1 = none), conversion (0 = sign-up, 1 = order) and order index (−1 for sign-ups). Daily: local day,
 * channel, campaign (−1), sessions and spend in cents, one row per (day, channel, campaign) with touches.
 */
export interface Marketing {
  channels: string[];
  campaigns: Campaign[];
  /** Acquisition channel per buyer. */
  acquisition: Uint8Array;
  touches: { buyer: Int32Array; utc: Float64Array; channel: Uint8Array; campaign: Int32Array; conversion: Uint8Array; order: Int32Array; n: number };
  daily: { day: Int32Array; channel: Uint8Array; campaign: Int32Array; sessions: Float64Array; spend: Float64Array; n: number };
}

const YEAR = 365.25 * 86400;
const DRIFT_FROM = Date.UTC(2024, 0, 1) / 1000;

/** Campaigns per quarter of the window for every paid channel and email, plus one email campaign per big sale day. */
function campaignsOf(m: MarketModel, channels: string[]): Campaign[] {
  const mk = m.b.marketing;
  const out: Campaign[] = [];
  const start = new Date(`${m.window.startDate}T00:00:00Z`);
  let q = new Date(Date.UTC(start.getUTCFullYear(), Math.floor(start.getUTCMonth() / 3) * 3, 1));
  const dayOf = (d: Date) => Math.round((d.getTime() - start.getTime()) / 86400000);
  while (dayOf(q) < m.window.days) {
    const next = new Date(Date.UTC(q.getUTCFullYear(), q.getUTCMonth() + 3, 1));
    channels.forEach((name, c) => {
      if (!mk.channels[name].paid && name !== 'email') return;
      for (let k = 0; k < mk.campaigns_per_quarter; k++) {
        out.push({ channel: c, name: `${name}_${q.getUTCFullYear()}q${q.getUTCMonth() / 3 + 1}_${k + 1}`, from: dayOf(q) + k * 10, to: dayOf(next) - 1, special: false });
      }
    });
    q = next;
  }
  const email = channels.indexOf('email');
  if (email >= 0) {
    for (const h of m.calendar) {
      if ((h.effects.orders ?? 1) >= 1.3 && h.day >= 0 && h.day < m.window.days) out.push({ channel: email, name: `email_${h.name}_${h.date.slice(0, 4)}`, from: h.day - 3, to: h.day, special: true });
    }
  }
  return out;
}

/**
 * Acquisition channel of every buyer (odds × yearly drift × segment tilt), the touches before each
 * sign-up and order inside the window (first sign-up touch = the acquisition channel; order touches
 * return to it with `acquisition_retouch` odds), campaigns, and daily sessions (touches ÷ the channel's
 * session conversion) with spend (sessions × cost per session). Deterministic in buyer and order indexes.
 */
export function simulateMarketing(m: MarketModel, buyers: Buyers, market: MarketResult): Marketing {
  const mk = m.b.marketing;
  const channels = Object.keys(mk.channels);
  const segNames = Object.keys(m.b.buyers.segments).filter((x) => m.b.buyers.segments[x].share > 0);
  const touchCum = cumulative(channels.map((c) => mk.channels[c].touch));
  const openCum = cumulative(channels.map((c) => mk.channels[c].touch * mk.channels[c].opener));
  const closeCum = cumulative(channels.map((c) => mk.channels[c].touch * mk.channels[c].closer));
  const campaigns = campaignsOf(m, channels);
  const rsB = m.rs('marketing.buyers');
  const rsO = m.rs('marketing.orders');
  const acquisition = new Uint8Array(buyers.n);
  const t = { buyer: [] as number[], utc: [] as number[], channel: [] as number[], conversion: [] as number[], order: [] as number[] };
  const z = (u1: number, u2: number) => Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const geometric = (mean: number, u: number) => (mean <= 0 ? 0 : Math.floor(Math.log(u) / Math.log(mean / (1 + mean))));
  const path = (i: number, at: number, n: number, first: number, conv: number, order: number, u: (k: number) => number, channelOf: (k: number, n: number) => number) => {
    const lags = Array.from({ length: n }, (_, k) => lagSeconds(mk.touch_lag, z(u(2 * k), u(2 * k + 1)))).sort((a, b) => b - a);
    lags.forEach((lag, k) => {
      const when = Math.floor(at - 1 - lag);
      if (when < m.startUtc) return;
      t.buyer.push(i);
      t.utc.push(when);
      t.channel.push(k === 0 && first >= 0 ? first : channelOf(k, n));
      t.conversion.push(conv);
      t.order.push(order);
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
  const o = market.orders;
  for (let j = 0; j < o.n; j++) {
    const a = o.arrival[j];
    const i = o.buyer[j];
    const n = Math.min(20, geometric(mk.touches_before_order, rsO.uniform(a, 0)));
    // discovery channels open multi-touch paths, email and direct close them
    const mix = (k: number, n: number) => (k === n - 1 ? closeCum : k === 0 ? openCum : touchCum);
    const channelOf = (k: number, n: number) => (rsO.uniform(a, 200 + k) < mk.acquisition_retouch ? acquisition[i] : pickIndex(mix(k, n), rsO.uniform(a, 100 + k)));
    path(i, o.utc[j], n, -1, 1, j, (k) => rsO.uniform(a, 10 + k), channelOf);
  }
  const n = t.buyer.length;
  const campaign = new Int32Array(n).fill(-1);
  const byChannelDay = new Map<number, number[]>();
  campaigns.forEach((c, x) => {
    for (let d = Math.max(0, c.from); d <= c.to; d++) (byChannelDay.get(c.channel * 100000 + d) ?? byChannelDay.set(c.channel * 100000 + d, []).get(c.channel * 100000 + d)!).push(x);
  });
  const rsC = m.rs('marketing.campaigns');
  const day = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    day[k] = m.clock.dayOf(t.utc[k]);
    const list = byChannelDay.get(t.channel[k] * 100000 + day[k]);
    if (!list?.length) continue;
    // a big-sale email campaign takes most email touches of its days
    const special = list.filter((x) => campaigns[x].special);
    const regular = list.filter((x) => !campaigns[x].special);
    if (special.length && (rsC.uniform(k, 0) < 0.7 || !regular.length)) campaign[k] = special[Math.floor(rsC.uniform(k, 1) * special.length)];
    else if (regular.length) campaign[k] = regular[Math.floor(rsC.uniform(k, 1) * regular.length)];
  }
  return {
    channels,
    campaigns,
    acquisition,
    touches: { buyer: Int32Array.from(t.buyer), utc: Float64Array.from(t.utc), channel: Uint8Array.from(t.channel), campaign, conversion: Uint8Array.from(t.conversion), order: Int32Array.from(t.order), n },
    daily: dailySessions(m, channels, day, Uint8Array.from(t.channel), campaign),
  };
}

/** Sessions and spend per (local day, channel, campaign) with touches: touches ÷ session conversion (±8% day noise), × cost per session. */
function dailySessions(m: MarketModel, channels: string[], day: Int32Array, channel: Uint8Array, campaign: Int32Array): Marketing['daily'] {
  const counts = new Map<string, number>();
  for (let k = 0; k < day.length; k++) {
    const key = `${day[k]}|${channel[k]}|${campaign[k]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort();
  const rs = m.rs('marketing.sessions');
  const out = { day: new Int32Array(keys.length), channel: new Uint8Array(keys.length), campaign: new Int32Array(keys.length), sessions: new Float64Array(keys.length), spend: new Float64Array(keys.length), n: keys.length };
  keys.forEach((key, x) => {
    const [d, c, cp] = key.split('|').map(Number);
    const ch = m.b.marketing.channels[channels[c]];
    const noise = Math.exp(0.08 * rs.standardNormal(d * 64 + c, cp + 1));
    out.day[x] = d;
    out.channel[x] = c;
    out.campaign[x] = cp;
    out.sessions[x] = Math.max(counts.get(key)!, Math.round((counts.get(key)! / ch.session_conversion) * noise));
    out.spend[x] = ch.paid ? Math.round(out.sessions[x] * ch.cpc_cents) : 0;
  });
  return out;
}
