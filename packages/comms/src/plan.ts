import { BUCKETS, RELEVANCES, ROLES, THEMES, commsVolumes, cumulativeWeights, RandomStream, type Archetype, type CommsVolumes, type Bucket, type Config, type Relevance, type Role, type Theme } from '@dnr/core';
import type { DefectEvent } from './defects.js';
import { DAY_MS, isoDay, localToUtcMs, type CommsWindow } from './window.js';

/**
 * The plan of a corpus: who writes, where, when, and about what (the oracle label) — everything
 * except the words. Engines turn a plan into text; the plan alone fixes labels and timestamps,
 * so the template and llm engines produce corpora with identical labels for a seed.
 */

export const ID_PREFIX: Record<Archetype, string> = { neobank: 'nb', marketplace: 'mk' };

export interface CommsUser {
  id: string;
  role: Role;
  email: boolean;
}

export interface Label {
  relevance: Relevance;
  theme: Theme | null;
  /** For hard negatives / negatives: which scenario family. */
  scenario: number;
}

export interface SlackThreadPlan {
  index: number;
  threadId: string;
  label: Label;
  bucket: Bucket;
  channelId: string;
  /** UTC ms of each message; [0] is the root. */
  ts: number[];
  /** User index of each message's author. */
  authors: number[];
  /** Local date of the root (UTC fields). */
  localDay: number;
  /** The defect event this thread clusters around, if any. */
  event?: DefectEvent;
  attachments: string[][];
}

export interface EmailPlan {
  index: number;
  threadId: string;
  messageId: string;
  label: Label;
  bucket: Bucket;
  ts: number;
  localDay: number;
  from: number;
  to: number[];
  cc: number[];
  event?: DefectEvent;
  attachments: string[];
}

export interface NlqPlan {
  index: number;
  queryId: string;
  theme: Theme;
  ts: number;
  localDay: number;
  user: number;
  app: string;
  event?: DefectEvent;
}

export interface CommsPlan {
  archetype: Archetype;
  prefix: string;
  users: CommsUser[];
  channels: { id: string; bucket: Bucket }[];
  slack: SlackThreadPlan[];
  email: EmailPlan[];
  nlq: NlqPlan[];
  events: DefectEvent[];
  /** Threads/queries placed inside an event window, per source. */
  clustered: { slack: number; email: number; nlq: number };
}

/** Largest-remainder counts of `n` items over weights. */
export function quotas(weights: readonly number[], n: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (w / total) * n);
  const out = raw.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) out[order[j][1]]++;
  return out;
}

/** A seeded permutation of 0..n-1 (sort by a per-index hash: independent of generation order). */
function permutation(n: number, s: RandomStream): number[] {
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = s.uniform(i);
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
}

/** Values laid out by quota, then shuffled. */
function assign<T>(values: readonly T[], weights: readonly number[], n: number, s: RandomStream): T[] {
  const counts = quotas(weights, n);
  const flat: T[] = [];
  counts.forEach((c, j) => {
    for (let k = 0; k < c; k++) flat.push(values[j]);
  });
  const perm = permutation(n, s);
  const out = new Array<T>(n);
  perm.forEach((p, i) => (out[p] = flat[i]));
  return out;
}

// Office hours in local time, a little evening tail (weights per hour 0..23).
const HOUR_WEIGHTS = [0.15, 0.08, 0.04, 0.04, 0.05, 0.1, 0.3, 0.9, 1.9, 2.7, 2.9, 2.7, 2.0, 2.4, 2.7, 2.5, 2.1, 1.5, 0.9, 0.7, 0.55, 0.45, 0.35, 0.25];
const HOUR_CUM = cumulativeWeights(HOUR_WEIGHTS);
// Weekends are quiet (Sun..Sat).
const WEEKDAY_WEIGHT = [0.18, 1, 1.05, 1.05, 1, 0.85, 0.22];

const ROLE_AFFINITY: Record<'data' | 'revenue' | 'other', Record<Role, number>> = {
  data: { exec: 0.7, data_eng: 2.4, analytics_eng: 2.2, bi: 2, product_analytics: 1.6, eng_platform: 1.4, pm: 1.2, finance: 1, other: 0.45 },
  revenue: { exec: 0.9, data_eng: 1.4, analytics_eng: 1.6, bi: 1.6, product_analytics: 1.2, eng_platform: 0.6, pm: 1, finance: 3.2, other: 0.4 },
  other: { exec: 0.6, data_eng: 0.8, analytics_eng: 0.8, bi: 0.8, product_analytics: 0.8, eng_platform: 0.9, pm: 1, finance: 1, other: 1.6 },
};

const NLQ_APPS = ['bi_chat', 'sql_assistant', 'dashboard_search', 'slack_bot'];

interface PlanInput {
  archetype: Archetype;
  config: Config;
  /** Threads and NLQs to plan (default: the volumes of config.warehouse.scale). */
  volumes?: CommsVolumes;
  window: CommsWindow;
  events: DefectEvent[];
  eventAware: boolean;
}

export function planComms({ archetype, config, window, events, eventAware, volumes }: PlanInput): CommsPlan {
  const c = { ...config.comms, ...(volumes ?? commsVolumes(config.comms, config.warehouse.scale)) };
  const seed = c.seed;
  const prefix = ID_PREFIX[archetype];
  const st = (name: string) => new RandomStream(seed, `${archetype}/${name}`);

  // Users: role quotas so comms_users matches the configured role mix.
  const nUsers = Math.max(40, Math.round(Math.max(c.slack_threads, c.email_threads * 2, c.nlq) / 5));
  const roleWeights = ROLES.map((r) => c.role_weights[r]);
  const roles = assign(ROLES, roleWeights, nUsers, st('users.role'));
  const emailStream = st('users.email');
  const users: CommsUser[] = roles.map((role, i) => ({ id: `${prefix}-u${String(i + 1).padStart(4, '0')}`, role, email: emailStream.uniform(i) < 0.75 || role === 'exec' }));
  const userCum = (kind: keyof typeof ROLE_AFFINITY, emailOnly = false) =>
    cumulativeWeights(users.map((u) => (emailOnly && !u.email ? 0 : ROLE_AFFINITY[kind][u.role])));
  const cum = { data: userCum('data'), revenue: userCum('revenue'), other: userCum('other') };
  const cumEmail = { data: userCum('data', true), revenue: userCum('revenue', true), other: userCum('other', true) };
  const affinity = (l: Label): keyof typeof ROLE_AFFINITY => (l.relevance !== 'positive' ? 'other' : l.theme === 'revenue_coverage_mapping' ? 'revenue' : 'data');

  // Channels per bucket in proportion to the bucket mix (at least one where the weight is positive).
  const bucketWeights = BUCKETS.map((b) => c.bucket_mix[b]);
  const channelCounts = quotas(bucketWeights, 18).map((n, j) => (bucketWeights[j] > 0 ? Math.max(1, n) : 0));
  const channels: { id: string; bucket: Bucket }[] = [];
  BUCKETS.forEach((b, j) => {
    for (let k = 0; k < channelCounts[j]; k++) channels.push({ id: `${prefix}-c${String(channels.length + 1).padStart(2, '0')}`, bucket: b });
  });
  const channelsOf = (b: Bucket) => channels.filter((ch) => ch.bucket === b);

  const themeMix = c.theme_mix[archetype];
  const themeWeights = THEMES.map((t) => themeMix[t]);
  const relWeights = RELEVANCES.map((r) => c.relevance_mix[r]);

  const dayCum = cumulativeWeights(window.days.map((d) => WEEKDAY_WEIGHT[new Date(d).getUTCDay()]));
  const eventsInWindow = eventAware ? events.filter((e) => e.day >= window.start && e.day <= window.end) : [];
  const dayIndex = new Map(window.days.map((d, i) => [isoDay(d), i]));

  /** Local ms of a root: a day by weekday weights (or the event's day), an hour by the office curve. */
  const rootTime = (s: RandomStream, i: number, event?: DefectEvent): { local: number; day: number } => {
    let day: number;
    let hour = s.categorical(i, HOUR_CUM, 1);
    if (event) {
      // On the event's local day, or the next morning: within ±24 h of the event however it is measured.
      day = window.days[dayIndex.get(event.day) ?? 0];
      if (s.uniform(i, 4) < 0.25 && dayIndex.has(isoDay(day + DAY_MS))) {
        day += DAY_MS;
        hour = Math.min(hour, 11);
      }
    } else {
      day = window.days[s.categorical(i, dayCum, 0)];
    }
    const local = day + hour * 3_600_000 + Math.floor(s.uniform(i, 2) * 3_600_000 / 1000) * 1000;
    return { local, day };
  };

  /** Labels for n items, and which positives cluster on which event. */
  const labelsFor = (source: 'slack' | 'email', n: number, perEvent: number) => {
    const s = st(`${source}.label`);
    const rel = assign(RELEVANCES, relWeights, n, s.child('relevance'));
    const positives = rel.map((r, i) => (r === 'positive' ? i : -1)).filter((i) => i >= 0);
    const themes = assign(THEMES, themeWeights, positives.length, s.child('theme'));
    const labels: Label[] = rel.map((r) => ({ relevance: r, theme: null, scenario: 0 }));
    positives.forEach((i, j) => (labels[i].theme = themes[j]));
    const scen = s.child('scenario');
    labels.forEach((l, i) => {
      if (l.relevance !== 'positive') l.scenario = Math.floor(scen.uniform(i) * 1000);
    });
    return { labels, eventOf: clusterOnEvents(labels.map((l) => l.theme), perEvent, s.child('cluster')) };
  };

  const clusterOnEvents = (themes: (Theme | null)[], perEvent: number, s: RandomStream): (DefectEvent | undefined)[] => {
    const out: (DefectEvent | undefined)[] = new Array(themes.length).fill(undefined);
    for (const theme of THEMES) {
      const evs = eventsInWindow.filter((e) => e.theme === theme);
      if (evs.length === 0) continue;
      const pool = themes.map((t, i) => (t === theme ? i : -1)).filter((i) => i >= 0);
      // At most 45% of a theme's items cluster, so the rest still gives a baseline rate.
      const k = Math.min(perEvent, Math.floor((pool.length * 0.45) / evs.length));
      const order = permutation(pool.length, s.child(theme));
      let j = 0;
      for (const e of evs) for (let m = 0; m < k && j < pool.length; m++) out[pool[order[j++]]] = e;
    }
    return out;
  };

  const pickUser = (s: RandomStream, i: number, k: number, kind: keyof typeof ROLE_AFFINITY, emailOnly = false) =>
    s.categorical(i, (emailOnly ? cumEmail : cum)[kind], k);

  // Slack threads
  const slackLabels = labelsFor('slack', c.slack_threads, 5);
  const slackBuckets = assign(BUCKETS, bucketWeights, c.slack_threads, st('slack.bucket'));
  const ss = st('slack.thread');
  let clusteredSlack = 0;
  const slack: SlackThreadPlan[] = slackLabels.labels.map((label, i) => {
    const event = slackLabels.eventOf[i];
    if (event) clusteredSlack++;
    const n = ss.int(i, c.slack_messages_min, c.slack_messages_max, 10);
    const { local, day } = rootTime(ss, i, event);
    const ts: number[] = [localToUtcMs(local, window.tz)];
    for (let m = 1; m < n; m++) ts.push(ts[m - 1] + Math.round(ss.exponential(i, 1 / 1_500_000, 20 + m) / 1000) * 1000 + 30_000);
    const kind = affinity(label);
    const root = pickUser(ss, i, 30, kind);
    const participants = [root, pickUser(ss, i, 31, kind), pickUser(ss, i, 32, 'data'), pickUser(ss, i, 33, kind)];
    const authors = [root];
    for (let m = 1; m < n; m++) authors.push(participants[Math.floor(ss.uniform(i, 40 + m) * participants.length)]);
    const bucket = slackBuckets[i];
    const inBucket = channelsOf(bucket);
    const channelId = inBucket[Math.floor(ss.uniform(i, 50) * inBucket.length)].id;
    const attachments = authors.map((_, m) => (ss.uniform(i, 60 + m) < (label.relevance === 'positive' ? 0.05 : 0.03) ? [attachmentName(label, ss.uniform(i, 70 + m))] : []));
    return { index: i, threadId: `${prefix}-t${String(i + 1).padStart(6, '0')}`, label, bucket, channelId, ts, authors, localDay: day, event, attachments };
  });

  // Email (one message per thread)
  const emailLabels = labelsFor('email', c.email_threads, 2);
  const emailBuckets = assign(BUCKETS, bucketWeights, c.email_threads, st('email.bucket'));
  const es = st('email.message');
  let clusteredEmail = 0;
  const email: EmailPlan[] = emailLabels.labels.map((label, i) => {
    const event = emailLabels.eventOf[i];
    if (event) clusteredEmail++;
    const { local, day } = rootTime(es, i, event);
    const kind = affinity(label);
    const from = pickUser(es, i, 30, kind, true);
    const nTo = es.int(i, 1, 4, 31);
    const nCc = es.int(i, 0, 3, 32);
    const to: number[] = [];
    const cc: number[] = [];
    for (let k = 0; k < nTo; k++) to.push(pickUser(es, i, 40 + k, 'other', true));
    for (let k = 0; k < nCc; k++) cc.push(pickUser(es, i, 50 + k, 'data', true));
    const uniq = (xs: number[], not: number[]) => [...new Set(xs)].filter((x) => !not.includes(x));
    const toU = uniq(to, [from]);
    const ccU = uniq(cc, [from, ...toU]);
    const attachments = es.uniform(i, 60) < 0.12 ? [attachmentName(label, es.uniform(i, 61))] : [];
    return {
      index: i,
      threadId: `${prefix}-e${String(i + 1).padStart(6, '0')}`,
      messageId: `${prefix}-em${String(i + 1).padStart(6, '0')}`,
      label,
      bucket: emailBuckets[i],
      ts: localToUtcMs(local, window.tz),
      localDay: day,
      from,
      to: toU.length ? toU : [(from + 1) % users.length],
      cc: ccU,
      event,
      attachments,
    };
  });

  // NLQ: every query has a theme
  const ns = st('nlq');
  const nlqThemes = assign(THEMES, themeWeights, c.nlq, ns.child('theme'));
  const nlqEvents = clusterOnEvents(nlqThemes, 3, ns.child('cluster'));
  const analystCum = cumulativeWeights(users.map((u) => ({ exec: 0.5, data_eng: 0.8, analytics_eng: 2, bi: 2.5, product_analytics: 2.5, eng_platform: 0.3, pm: 1.5, finance: 2, other: 0.6 })[u.role]));
  const nlq: NlqPlan[] = nlqThemes.map((theme, i) => {
    const event = nlqEvents[i];
    const { local, day } = rootTime(ns, i, event);
    return {
      index: i,
      queryId: `${prefix}-q${String(i + 1).padStart(6, '0')}`,
      theme,
      ts: localToUtcMs(local, window.tz),
      localDay: day,
      user: ns.categorical(i, analystCum, 30),
      app: NLQ_APPS[Math.floor(ns.uniform(i, 31) * NLQ_APPS.length)],
      event,
    };
  });

  return {
    archetype,
    prefix,
    users,
    channels,
    slack,
    email,
    nlq,
    events: eventsInWindow,
    clustered: { slack: clusteredSlack, email: clusteredEmail, nlq: nlqEvents.filter(Boolean).length },
  };
}

const ATTACHMENTS: Record<string, string[]> = {
  metric_definition_mismatch: ['metric_comparison.xlsx', 'kpi_definitions.pdf', 'dashboard_vs_finance.png'],
  join_keys_orphans: ['orphan_keys.csv', 'unmatched_ids.csv', 'join_counts.png'],
  freshness_ingest_lag: ['lag_chart.png', 'load_times.csv', 'dag_run.png'],
  duplicates_dedup: ['duplicate_ids.csv', 'dupes_sample.csv', 'counts_by_day.png'],
  access_permissions_pii: ['access_request.pdf', 'error_screenshot.png', 'grants.csv'],
  new_field_schema_request: ['tracking_plan.xlsx', 'schema_diff.png', 'null_rate.png'],
  revenue_coverage_mapping: ['revenue_recon.xlsx', 'unmapped_codes.csv', 'coverage.png'],
  attribution_funnel_gaps: ['funnel.png', 'utm_breakdown.csv', 'cohort_conversion.xlsx'],
  hard_negative: ['agenda.pdf', 'seating_map.png', 'invite.ics', 'offsite_plan.pdf'],
  negative: ['photo.jpg', 'menu.pdf', 'slides.pdf', 'poster.png'],
};

function attachmentName(label: Label, u: number): string {
  const list = ATTACHMENTS[label.relevance === 'positive' ? (label.theme as string) : label.relevance];
  return list[Math.floor(u * list.length)];
}
