import type { RandomStream } from '@dnr/core';
import { monthOf, weekdayOf } from '../../behaviour/calendar.js';
import type { MarketModel } from './model.js';

/** A campaign of a paid channel or email: index into `channels`, name, first and last local day (inclusive; `from` < 0 when it started before the window). */
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

/** Seasonal themes of flight campaigns by month (January first): what a team would launch then. */
const MONTH_THEMES: readonly (readonly string[])[] = [
  ['new_year', 'winter_sale', 'resolutions', 'cosy_home'],
  ['valentines', 'galentines', 'love_gifts', 'vday_jewelry'],
  ['spring_home', 'easter', 'spring_refresh', 'st_patricks'],
  ['easter', 'spring_wedding', 'earth_day', 'garden'],
  ['mothers_day', 'graduation', 'wedding_season', 'mom_gifts'],
  ['fathers_day', 'summer', 'wedding_season', 'pride'],
  ['summer_sale', 'christmas_in_july', 'back_to_school', 'summer_craft'],
  ['back_to_school', 'fall_preview', 'dorm_decor', 'summer_clearance'],
  ['fall_decor', 'back_to_school', 'halloween_early', 'autumn_home'],
  ['halloween', 'fall_decor', 'holiday_early', 'costumes'],
  ['gift_guide', 'holiday_prospecting', 'black_friday_early', 'holiday_gifts'],
  ['holiday_gifts', 'last_minute', 'stocking_stuffers', 'gift_cards'],
];
/** Evergreen themes mixed into flights (a third of them). */
const EVERGREEN = ['prospecting', 'retargeting', 'new_arrivals', 'personalised_gifts', 'craft_supplies', 'jewelry', 'home_decor', 'lookalike', 'dpa_catalog'];
/** Audiences some paid flights name. */
const AUDIENCES = ['Prospecting', 'Retargeting', 'LAL', 'Broad', 'Cart'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** How each channel's team abbreviates it, one spelling per naming style. */
const ABBR: Record<string, readonly string[]> = {
  paid_search: ['sem', 'Search', 'search', 'SEARCH'],
  paid_social: ['social', 'Social', 'meta', 'META'],
  affiliate: ['aff', 'Affiliate', 'affiliates', 'AFFILIATE'],
  email: ['em', 'Email', 'crm', 'CRM'],
};
/**
 * Big-sale bursts of paid channels and email: the calendar day they centre on, days before and after
 * it, the chance each channel runs one that year, and the tags teams use for it (one per naming style).
 */
const BURSTS: ReadonlyArray<{ day: string; before: number; after: number; chance: number; tags: readonly string[]; focus: readonly string[] }> = [
  { day: 'black_friday', before: 9, after: 4, chance: 0.9, tags: ['bfcm', 'BF', 'black-friday', 'BFCM'], focus: ['Gifts', 'Deals', 'Sitewide', 'Holiday'] },
  { day: 'shipping_cutoff', before: 12, after: 0, chance: 0.6, tags: ['last_ship', 'LastMinute', 'ship-by', 'LAST SHIP'], focus: ['Gifts', 'Express', 'Stocking'] },
  { day: 'valentines_day', before: 14, after: 0, chance: 0.6, tags: ['vday', 'VDAY', 'valentines', 'VALENTINES'], focus: ['Jewelry', 'Gifts', 'ForHer'] },
  { day: 'mothers_day', before: 12, after: 0, chance: 0.55, tags: ['mday', 'MothersDay', 'mothers-day', 'MOTHERS DAY'], focus: ['Gifts', 'Jewelry', 'Personalised'] },
];

const title = (x: string) => x.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
const words = (x: string) => x.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

/**
 * A house-style campaign name: teams mostly keep their channel's convention (60%) but not always, so a
 * list mixes `sem_gift_guide_25nov`, `GiftGuide_Social_Nov25`, `search-spring-home-2025-03` and
 * `META | Mothers Day | May 2025`, with the odd `_v2` or `_test` relaunch.
 */
function flightName(channel: string, c: number, theme: string, year: number, month: number, u: (k: number) => number): string {
  const style = u(0) < 0.6 ? c % 4 : Math.floor(u(1) * 4);
  const abbr = (ABBR[channel] ?? [channel, title(channel), channel.replace(/_/g, '-'), channel.toUpperCase()])[style];
  const yy = String(year % 100).padStart(2, '0');
  const mm = String(month + 1).padStart(2, '0');
  const name = [
    `${abbr}_${theme}_${yy}${MONTHS[month].toLowerCase()}`,
    `${title(theme)}_${abbr}_${MONTHS[month]}${yy}`,
    `${abbr}-${theme.replace(/_/g, '-')}-${year}-${mm}`,
    `${abbr} | ${words(theme)} | ${MONTHS[month]} ${year}`,
  ][style];
  const v = u(2);
  return v < 0.06 ? `${name}_v2` : v < 0.09 ? `${name}_test` : v < 0.11 ? `${name} (copy)` : name;
}

/** A burst's name in one of the naming styles: `BF25_Gifts_Prospecting`, `bfcm-2025-search`, `SEARCH | BFCM | 2025`. */
function burstName(channel: string, c: number, tags: readonly string[], focus: string, year: number, u: (k: number) => number): string {
  const style = u(0) < 0.6 ? c % 4 : Math.floor(u(1) * 4);
  const abbr = (ABBR[channel] ?? [channel, title(channel), channel.replace(/_/g, '-'), channel.toUpperCase()])[style];
  const yy = String(year % 100).padStart(2, '0');
  const audience = AUDIENCES[Math.floor(u(2) * AUDIENCES.length)];
  return [`${tags[0]}_${abbr}_${focus.toLowerCase()}_${yy}`, `${tags[1]}${yy}_${focus}_${audience}`, `${tags[2]}-${year}-${abbr}`, `${abbr} | ${tags[3]} | ${focus} | ${year}`][style];
}

/** Poisson draw with mean `mean` from one uniform (inverse CDF; means here are small). */
function poisson(mean: number, u: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let acc = p;
  while (u > acc && k < 100) {
    k++;
    p *= mean / k;
    acc += p;
  }
  return k;
}

/**
 * The campaigns of paid channels and email, as a marketing team runs them: the channel's `always_on`
 * campaigns (started 1–14 months before the window, live to its end); flights — per channel and month a
 * Poisson count with mean `campaigns_per_quarter` ÷ 3 × the channel's `campaign_rate` ×
 * `campaign_month_of_year`, each starting on a random day of its month, running `campaign_days` and
 * named after a seasonal or evergreen theme in one of the house naming styles; bursts around Black
 * Friday, the shipping cut-off, Valentine's and Mother's Day (BURSTS: each channel runs one with the
 * burst's chance); and an email send for each big sale day (the three days before it and the day;
 * `special`). Campaigns ending before the window or starting after it are dropped; starts may precede
 * the window (from < 0). Quality is lognormal with `campaign_quality_sigma`. Deterministic in the seed.
 */
export function campaignsOf(m: MarketModel, channels: string[]): Campaign[] {
  const rs = m.rs('marketing.campaign_plan');
  const rsName = m.rs('marketing.campaign_names');
  const list = campaignList(m, rs);
  // the order of the kinds matters: quality is drawn by list index and later names get the `_2` suffixes
  alwaysOnCampaigns(m, channels, rs, list.add);
  flightCampaigns(m, channels, rs, rsName, list.add);
  burstCampaigns(m, channels, rs, rsName, list.add);
  emailSends(m, channels, rsName, list.add);
  return list.out;
}

/** Adds a campaign: channel index, name before de-duplication, first and last local day (inclusive), email big-sale send? */
type AddCampaign = (channel: number, base: string, from: number, to: number, special: boolean) => void;

/**
 * The campaign list being built and its `add`: drops campaigns outside the window (or ending before
 * they start), clips `to` to the window's last day, makes names unique (`name_2`, `name_3`, …) and draws
 * quality lognormal with mean 1 and `campaign_quality_sigma` from the campaign's list index.
 */
function campaignList(m: MarketModel, rs: RandomStream): { out: Campaign[]; add: AddCampaign } {
  const sigma = m.b.marketing.campaign_quality_sigma;
  const days = m.window.days;
  const out: Campaign[] = [];
  const names = new Set<string>();
  const add: AddCampaign = (channel, base, from, to, special) => {
    if (to < 0 || from >= days || to < from) return;
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    const x = out.length;
    out.push({ channel, name, from, to: Math.min(days - 1, to), special, quality: Math.exp(sigma * rs.standardNormal(x, 0) - (sigma * sigma) / 2) });
  };
  return { out, add };
}

/** Whether a channel runs campaigns: paid channels and email. */
function runsCampaigns(m: MarketModel, name: string): boolean {
  return m.b.marketing.channels[name].paid || name === 'email';
}

/** Each campaign channel's `always_on` campaigns: started 30–429 days before the window, live to its end. */
function alwaysOnCampaigns(m: MarketModel, channels: string[], rs: RandomStream, add: AddCampaign): void {
  const days = m.window.days;
  channels.forEach((name, c) => {
    if (!runsCampaigns(m, name)) return;
    m.b.marketing.channels[name].always_on.forEach((n, k) => add(c, n, -30 - Math.floor(rs.uniform(900_000 + c * 16 + k, 1) * 400), days - 1, false));
  });
}

/**
 * Flights, month by month from the window's first month: per campaign channel a Poisson count with
 * mean `campaigns_per_quarter` ÷ 3 × `campaign_rate` × `campaign_month_of_year`, each starting on a
 * random day of the month and running `campaign_days` (min–max days), named after a seasonal theme
 * (two thirds) or an evergreen one in a house naming style (flightName).
 */
function flightCampaigns(m: MarketModel, channels: string[], rs: RandomStream, rsName: RandomStream, add: AddCampaign): void {
  const mk = m.b.marketing;
  const days = m.window.days;
  const start = new Date(`${m.window.startDate}T00:00:00Z`);
  const dayOf = (d: Date) => Math.round((d.getTime() - start.getTime()) / 86400000);
  const { min, max } = mk.campaign_days;
  for (let mo = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)), key = 0; dayOf(mo) < days; key++) {
    const next = new Date(Date.UTC(mo.getUTCFullYear(), mo.getUTCMonth() + 1, 1));
    const month = mo.getUTCMonth();
    const year = mo.getUTCFullYear();
    channels.forEach((name, c) => {
      if (!runsCampaigns(m, name)) return;
      const x = key * 64 + c;
      const count = poisson((mk.campaigns_per_quarter / 3) * mk.channels[name].campaign_rate * mk.campaign_month_of_year[month], rs.uniform(x, 1));
      for (let k = 0; k < count; k++) {
        const u = (j: number) => rsName.uniform(x * 32 + k, j);
        const from = dayOf(mo) + Math.floor(rs.uniform(x, 10 + k) * (dayOf(next) - dayOf(mo)));
        const to = from + min - 1 + Math.floor(rs.uniform(x, 40 + k) * (max - min + 1));
        const seasonal = MONTH_THEMES[month];
        const theme = u(3) < 0.67 ? seasonal[Math.floor(u(4) * seasonal.length)] : EVERGREEN[Math.floor(u(4) * EVERGREEN.length)];
        add(c, flightName(name, c, theme, year, month, u), from, to, false);
      }
    });
    mo = next;
  }
}

/**
 * Bursts of the paid channels around each BURSTS day in or near the window: each channel runs one with
 * the burst's chance, from `before` days ahead (±2 days) to `after` days past it, named by burstName.
 */
function burstCampaigns(m: MarketModel, channels: string[], rs: RandomStream, rsName: RandomStream, add: AddCampaign): void {
  const days = m.window.days;
  BURSTS.forEach((b, bi) => {
    for (const h of m.calendar) {
      if (h.name !== b.day || h.day < -b.after || h.day - b.before >= days) continue;
      const year = Number(h.date.slice(0, 4));
      channels.forEach((name, c) => {
        if (!m.b.marketing.channels[name].paid) return;
        const x = (bi * 64 + c) * 16 + (year % 16);
        if (rs.uniform(x, 200) >= b.chance) return;
        const u = (j: number) => rsName.uniform(1_000_000 + x, j);
        add(c, burstName(name, c, b.tags, b.focus[Math.floor(u(5) * b.focus.length)], year, u), h.day - b.before + Math.floor(rs.uniform(x, 201) * 4) - 2, h.day + b.after, false);
      });
    }
  });
}

/** An email send (`special`) for each big sale day in the window (calendar order effect ≥ 1.3): the three days before it and the day. */
function emailSends(m: MarketModel, channels: string[], rsName: RandomStream, add: AddCampaign): void {
  const email = channels.indexOf('email');
  if (email < 0) return;
  for (const h of m.calendar) {
    if ((h.effects.orders ?? 1) < 1.3 || h.day < 0 || h.day >= m.window.days) continue;
    const year = Number(h.date.slice(0, 4));
    const u = (j: number) => rsName.uniform(2_000_000 + h.day, j);
    const tag = title(h.name);
    const yy = String(year % 100).padStart(2, '0');
    const base = [`${tag}${yy}_Email_EarlyAccess`, `em_${h.name}_${year}`, `${h.name.replace(/_/g, '-')}-${year}-send`, `CRM | ${words(h.name)} | ${year}`][Math.floor(u(0) * 4)];
    add(email, base, h.day - 3, h.day, true);
  }
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
      for (let k = Math.max(0, -cp.from); k < a.launch_days && cp.from + k < days; k++) launch[cp.from + k] = Math.max(launch[cp.from + k], (a.launch_pct / 100) * (1 - k / a.launch_days));
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
 * Sessions and spend per (local day, channel, campaign) with tracked touches (instants, Unix s): sessions = touches ÷ the
 * channel's tracked share (falling `tracking_loss_pct_per_year`) × lognormal day noise (shared by the
 * channel's rows of a day, plus a smaller per-row part); spend = sessions × that day's cost per
 * session ÷ √quality of the campaign (good campaigns win auctions cheaper). Unpaid channels spend 0.
 */
export function dailySessions(
  m: MarketModel,
  channels: string[],
  campaigns: readonly Campaign[],
  touches: { utc: Float64Array; channel: Uint8Array; campaign: ArrayLike<number> },
): { day: Int32Array; channel: Uint8Array; campaign: Int32Array; sessions: Float64Array; spend: Float64Array; n: number } {
  const mk = m.b.marketing;
  const counts = new Map<number, number>();
  const stride = campaigns.length + 1;
  const keyOf = (d: number, c: number, cp: number) => (d * channels.length + c) * stride + cp + 1;
  for (let k = 0; k < touches.utc.length; k++) {
    const key = keyOf(m.clock.dayOf(touches.utc[k]), touches.channel[k], touches.campaign[k]);
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
