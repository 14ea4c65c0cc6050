import { monthOf, weekdayOf } from '../../behaviour/calendar.js';
import type { MarketModel } from './model.js';

/** A campaign of a paid channel or email: index into `channels`, name, first and last local day (inclusive). */
export interface Campaign {
  channel: number;
  name: string;
  from: number;
  to: number;
  /** An email campaign for one big sale day. */
  special: boolean;
  /** Multiplier of the touch conversion of its touches (lognormal, mean 1); the bid is divided by its square root. */
  quality: number;
}

/** Themes campaign names cycle through per channel slot (the name says what the campaign is for). */
const THEMES = ['prospecting', 'retargeting', 'gift_guide', 'brand', 'new_arrivals', 'seasonal'];

/**
 * Campaigns per quarter for every paid channel and email (each starts in the quarter's first 60 days
 * and runs `campaign_days`, clipped to the window), plus one email campaign for each big sale day (the
 * three days before it and the day). Quality is lognormal with `campaign_quality_sigma`. Deterministic.
 */
export function campaignsOf(m: MarketModel, channels: string[]): Campaign[] {
  const mk = m.b.marketing;
  const rs = m.rs('marketing.campaign_plan');
  const sigma = mk.campaign_quality_sigma;
  const quality = (x: number) => Math.exp(sigma * rs.standardNormal(x, 0) - (sigma * sigma) / 2);
  const out: Campaign[] = [];
  const start = new Date(`${m.window.startDate}T00:00:00Z`);
  let q = new Date(Date.UTC(start.getUTCFullYear(), Math.floor(start.getUTCMonth() / 3) * 3, 1));
  const dayOf = (d: Date) => Math.round((d.getTime() - start.getTime()) / 86400000);
  const { min, max } = mk.campaign_days;
  while (dayOf(q) < m.window.days) {
    const next = new Date(Date.UTC(q.getUTCFullYear(), q.getUTCMonth() + 3, 1));
    channels.forEach((name, c) => {
      if (!mk.channels[name].paid && name !== 'email') return;
      for (let k = 0; k < mk.campaigns_per_quarter; k++) {
        const x = out.length;
        const from = dayOf(q) + Math.floor(rs.uniform(x, 1) * 60);
        const to = Math.min(m.window.days - 1, from + min - 1 + Math.floor(rs.uniform(x, 2) * (max - min + 1)));
        if (from >= m.window.days || to < 0) continue;
        const theme = THEMES[(k + c + q.getUTCMonth()) % THEMES.length];
        out.push({ channel: c, name: `${name}_${theme}_${q.getUTCFullYear()}q${q.getUTCMonth() / 3 + 1}_${k + 1}`, from: Math.max(0, from), to, special: false, quality: quality(x) });
      }
    });
    q = next;
  }
  const email = channels.indexOf('email');
  if (email >= 0) {
    for (const h of m.calendar) {
      const x = out.length;
      if ((h.effects.orders ?? 1) >= 1.3 && h.day >= 0 && h.day < m.window.days) out.push({ channel: email, name: `email_${h.name}_${h.date.slice(0, 4)}`, from: Math.max(0, h.day - 3), to: h.day, special: true, quality: quality(x) });
    }
  }
  return out;
}

/**
 * Cost per session of each paid channel per window day (cents; 0 for unpaid channels), index
 * [channel][day]: `cpc_cents` × month × weekday × (calendar order effect)^elasticity × campaign launch
 * lift (any campaign of the channel in its first `launch_days`) × exp(mean-reverting random walk).
 */
export function auctionCpc(m: MarketModel, channels: string[], campaigns: readonly Campaign[]): Float64Array[] {
  const a = m.b.marketing.auction;
  const days = m.window.days;
  const cal = new Float64Array(days).fill(1);
  for (const h of m.calendar) if (h.day >= 0 && h.day < days && h.effects.orders !== undefined) cal[h.day] *= h.effects.orders;
  const rs = m.rs('marketing.auction');
  return channels.map((name, c) => {
    const ch = m.b.marketing.channels[name];
    const out = new Float64Array(days);
    if (!ch.paid) return out;
    const launch = new Float64Array(days);
    for (const cp of campaigns) {
      if (cp.channel !== c) continue;
      for (let k = 0; k < a.launch_days && cp.from + k < days; k++) launch[cp.from + k] = Math.max(launch[cp.from + k], (a.launch_pct / 100) * (1 - k / a.launch_days));
    }
    let walk = 0;
    for (let d = 0; d < days; d++) {
      walk = (1 - a.walk_reversion) * walk + a.walk_sigma * rs.standardNormal(c, d);
      const season = a.month_of_year[monthOf(m.window.startDate, d).month] * a.day_of_week[weekdayOf(m.window.startDate, d)];
      out[d] = ch.cpc_cents * season * Math.pow(cal[d], a.calendar_elasticity) * (1 + launch[d]) * Math.exp(walk);
    }
    return out;
  });
}

/**
 * Sessions and spend per (local day, channel, campaign) with tracked touches: sessions = touches ÷ the
 * channel's tracked share (falling `tracking_loss_pct_per_year`) × lognormal day noise (shared by the
 * channel's rows of a day, plus a smaller per-row part); spend = sessions × that day's cost per
 * session ÷ √quality of the campaign (good campaigns win auctions cheaper). Unpaid channels spend 0.
 */
export function dailySessions(
  m: MarketModel,
  channels: string[],
  campaigns: readonly Campaign[],
  touches: { day: Int32Array; channel: Uint8Array; campaign: Int32Array },
): { day: Int32Array; channel: Uint8Array; campaign: Int32Array; sessions: Float64Array; spend: Float64Array; n: number } {
  const mk = m.b.marketing;
  const counts = new Map<number, number>();
  const stride = campaigns.length + 1;
  const keyOf = (d: number, c: number, cp: number) => (d * channels.length + c) * stride + cp + 1;
  for (let k = 0; k < touches.day.length; k++) {
    const key = keyOf(touches.day[k], touches.channel[k], touches.campaign[k]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort((x, y) => x - y);
  const cpc = auctionCpc(m, channels, campaigns);
  const rs = m.rs('marketing.sessions');
  const sigma = mk.session_noise_sigma;
  const n = keys.length;
  const out = { day: new Int32Array(n), channel: new Uint8Array(n), campaign: new Int32Array(n), sessions: new Float64Array(n), spend: new Float64Array(n), n };
  keys.forEach((key, x) => {
    const cp = (key % stride) - 1;
    const dc = Math.floor(key / stride);
    const c = dc % channels.length;
    const d = Math.floor(dc / channels.length);
    const ch = mk.channels[channels[c]];
    const tracked = ch.tracked_share * Math.pow(1 - mk.tracking_loss_pct_per_year / 100, d / 365.25);
    const noise = Math.exp(sigma * rs.standardNormal(d, c) + 0.4 * sigma * rs.standardNormal(d * 64 + c, cp + 2));
    const touchesHere = counts.get(key)!;
    out.day[x] = d;
    out.channel[x] = c;
    out.campaign[x] = cp;
    out.sessions[x] = Math.max(touchesHere, Math.round((touchesHere / tracked) * noise));
    out.spend[x] = ch.paid ? Math.round((out.sessions[x] * cpc[c][d]) / Math.sqrt(cp >= 0 ? campaigns[cp].quality : 1)) : 0;
  });
  return out;
}
