import type { Archetype, Theme } from '@dnr/core';
import { attributeColumns } from '../../warehouse-dictionary.js';
import type { Rand } from './grammar.js';
import { EMOJIS } from './lexicon-other.js';
import { VOCAB, type FactTable, type JoinPath } from './vocab.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const EVENTS = ['Q3 planning', 'sprint review', 'all-hands', 'design crit', 'quarterly kickoff', 'team retro', 'roadmap review', 'onboarding session', 'offsite prep', 'weekly sync'];
const FLOORS = ['4th floor', '2nd floor', 'third floor', 'floor 5', 'the mezzanine', 'the east wing'];
const PLACES = ['the noodle bar', 'the taco place', 'the Thai spot downstairs', 'the pizza place on the corner', 'the salad bar', 'the dumpling house'];
const JOBS = ['backend engineer', 'product designer', 'support lead', 'iOS engineer', 'recruiter', 'office manager', 'account executive', 'QA engineer'];
const LAUNCHES = ['help center', 'onboarding flow', 'referral page', 'settings screen', 'notification center', 'profile page'];
const TIMES = ['10am', '11:30', 'noon', '12:30', '1pm', '2:30', '3pm', '4pm', '9:15', '5pm'];

/** The entities one thread is about, drawn once so every message of the thread stays coherent. */
export interface ThreadContext {
  archetype: Archetype;
  theme: Theme | null;
  fact: FactTable;
  join: JoinPath;
  metric: string;
  dash: string;
  model: string;
  pii: string;
  field: string;
  col: string;
  rev: string;
  unit: string;
  item: string;
  steps: [string, string];
  team: string;
  product: string;
  /** Local date of the thread root, "Mar 3" and YYYY-MM-DD. */
  dateLabel: string;
  dateIso: string;
  weekday: number;
  users: string[];
  /** Link domain to use for a link kind (falls back to an allowed domain). */
  domain: (kind: LinkKind) => string;
}

export type LinkKind = 'jira' | 'dbt' | 'looker' | 'github' | 'wiki' | 'docs' | 'status';

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

export interface ContextInput {
  archetype: Archetype;
  theme: Theme | null;
  /** Local calendar date of the thread root (UTC fields of this Date). */
  day: Date;
  users: string[];
  allowedDomains: readonly string[];
  /** Column of the schema gap / null spikes (table.column) the thread may be about. */
  defectColumn?: string;
}

export function buildContext(input: ContextInput, rand: Rand): ThreadContext {
  const v = VOCAB[input.archetype];
  const theme = input.theme;
  let join = pick(rand, v.joins);
  let fact = v.facts.find((f) => f.table === join.fact) ?? pick(rand, v.facts);
  if (theme !== 'join_keys_orphans') fact = pick(rand, v.facts);
  if (theme === 'join_keys_orphans' && input.defectColumn) {
    const [t, c] = input.defectColumn.split('.');
    join = v.joins.find((j) => j.fact === t && j.key === c) ?? join;
    fact = v.facts.find((f) => f.table === join.fact) ?? fact;
  }
  let col = theme === 'freshness_ingest_lag' ? pick(rand, [fact.ts, 'loaded_at']) : join.key;
  if (theme === 'new_field_schema_request' && input.defectColumn) {
    const [t, c] = input.defectColumn.split('.');
    fact = v.facts.find((f) => f.table === t) ?? fact;
    col = c;
  } else if (theme === 'new_field_schema_request') {
    col = pick(rand, attributeColumns(input.archetype, fact.table));
  }
  const revenue = pick(rand, v.revenue);
  const allowed = new Set(input.allowedDomains);
  const domain = (kind: LinkKind): string => {
    const preferred = `${kind === 'github' ? 'github' : kind}.example`;
    return allowed.has(preferred) ? preferred : input.allowedDomains[0];
  };
  return {
    archetype: input.archetype,
    theme,
    fact,
    join,
    metric: pick(rand, v.metrics),
    dash: pick(rand, v.dashboards),
    model: pick(rand, v.models),
    pii: pick(rand, v.pii),
    field: pick(rand, v.newFields),
    col,
    rev: pick(rand, revenue.rev),
    unit: pick(rand, revenue.unit),
    item: pick(rand, revenue.items),
    steps: pick(rand, v.funnelSteps),
    team: pick(rand, v.teams),
    product: pick(rand, v.product),
    dateLabel: `${MONTHS[input.day.getUTCMonth()]} ${input.day.getUTCDate()}`,
    dateIso: input.day.toISOString().slice(0, 10),
    weekday: input.day.getUTCDay(),
    users: input.users,
    domain,
  };
}

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** SQL people paste into threads, per theme (short enough for an 80-token message). */
function snippet(ctx: ThreadContext, rand: Rand): string {
  const { fact, join } = ctx;
  const key1 = fact.key.split(',')[0].trim();
  const neobank = ctx.archetype === 'neobank';
  const options: Record<string, string[]> = {
    join_keys_orphans: [
      `\`select count(*) from ${join.fact} f left join ${join.dim} d on f.${join.key} = d.${join.key} where d.${join.key} is null\``,
      `\`select count(*) filter (where ${join.key} is null) from ${join.fact}\``,
      `\`select ${join.key} from ${join.fact} except select ${join.key} from ${join.dim}\``,
    ],
    duplicates_dedup: [
      `\`select ${fact.key}, count(*) from ${fact.table} group by all having count(*) > 1\``,
      `\`select count(*) - count(distinct ${key1}) from ${fact.table}\``,
      `\`qualify row_number() over (partition by ${fact.key} order by loaded_at) = 1\``,
    ],
    freshness_ingest_lag: [
      `\`select max(loaded_at) from ${fact.table}\``,
      `\`select quantile_cont(date_diff('minute', ${fact.ts}, loaded_at), 0.95) from ${fact.table}\``,
    ],
    metric_definition_mismatch: [
      neobank
        ? "`count(distinct customer_id) where event_time >= current_date - 30` vs `date_trunc('month', event_time)`"
        : "`sum(subtotal_cents)` vs `sum(subtotal_cents + shipping_cents - discount_cents)`",
      "`where auth_result = 'approved'` is missing in one of the two queries",
    ],
    new_field_schema_request: [
      `\`select ${fact.ts}::date, avg((${ctx.col} is null)::int) from ${fact.table} group by 1 order by 1 desc\``,
      `\`alter table ${fact.table} add column ${slug(ctx.field).replace(/-/g, '_')} varchar\``,
    ],
    revenue_coverage_mapping: neobank
      ? [
          '`select m.mcc, sum(t.amount_cents * t.interchange_bps) / 1e6 from fact_card_transaction t left join dim_merchant m using (merchant_id) group by 1`',
          '`select p.name, sum(i.amount_cents) from fact_subscription_invoice i left join dim_plan p using (plan_id) group by 1`',
        ]
      : [
          '`select c.name, sum(i.qty * i.item_price_cents) from fact_order_item i left join dim_listing l using (listing_id) left join dim_category c using (category_id) group by 1`',
          '`select currency, sum(subtotal_cents) from fact_order group by 1`',
        ],
    attribution_funnel_gaps: neobank
      ? ["`select date_trunc('week', c.created_at), count(distinct k.card_id) from dim_customer c join dim_account a using (customer_id) join dim_card k using (account_id) group by 1`"]
      : ["`select date_trunc('week', b.created_at), count(distinct o.buyer_id) from dim_buyer b left join fact_order o using (buyer_id) group by 1`"],
    access_permissions_pii: [`\`grant select on ${fact.table} to role analyst\``, `\`show grants on ${fact.table}\``],
  };
  const sql = pick(rand, options[ctx.theme ?? 'join_keys_orphans'] ?? options.join_keys_orphans);
  // People paste the query they ran that day: often with a date filter on the table's time column.
  const days = 1 + Math.floor(rand() * 14);
  const since = new Date(Date.parse(`${ctx.dateIso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  if (/^`select [^`]* from (fact_\w+|dim_\w+)( \w)?`$/.test(sql) && !/ where | group by /.test(sql) && rand() < 0.7) {
    const table = /from (\w+)/.exec(sql)?.[1] ?? fact.table;
    const tsCol = table === fact.table ? fact.ts : 'loaded_at';
    return `${sql.slice(0, -1)} where ${tsCol} >= '${since}'\``;
  }
  return sql;
}

/** Fill one `{slot}` for a thread. Numbers are drawn fresh on every use. */
export function fillSlot(name: string, ctx: ThreadContext, rand: Rand): string {
  switch (name) {
    case 'table':
      return ctx.theme === 'join_keys_orphans' ? ctx.join.fact : ctx.fact.table;
    case 'tbl':
      return pick(rand, ctx.fact.human);
    case 'dim':
      return ctx.join.dim;
    case 'dimh':
      return ctx.join.dimHuman;
    case 'key':
      return ctx.theme === 'duplicates_dedup' ? ctx.fact.key.split(',')[0].trim() : ctx.join.key;
    case 'col':
      return ctx.col;
    case 'metric':
      return ctx.metric;
    case 'dash':
      return ctx.dash;
    case 'model':
      return ctx.model;
    case 'pii':
      return ctx.pii;
    case 'field':
      return ctx.field;
    case 'rev':
      return ctx.rev;
    case 'unit':
      return ctx.unit;
    case 'item':
      return ctx.item;
    case 'step1':
      return ctx.steps[0];
    case 'step2':
      return ctx.steps[1];
    case 'source':
      return pick(rand, VOCAB[ctx.archetype].sources);
    case 'seg':
      return pick(rand, VOCAB[ctx.archetype].segments);
    case 'team':
      return ctx.team;
    case 'product':
      return ctx.product;
    case 'n':
      return String(2 + Math.floor(rand() * 14));
    case 'big':
      return fmtInt(Math.round(200 + rand() * rand() * 90_000));
    case 'pct':
      {
        const v = 0.3 + rand() * rand() * 14;
        return `${v >= 1 && rand() < 0.5 ? v.toFixed(0) : v.toFixed(1)}%`;
      }
    case 'hrs':
      return String(3 + Math.floor(rand() * 12));
    case 'when':
      // A whole adverbial (with its own preposition): patterns never put "since"/"on" in front of it.
      return pick(rand, ['yesterday', 'since Monday', 'this morning', 'over the weekend', `since ${ctx.dateLabel}`, 'last night', 'since the last deploy', `on ${ctx.dateLabel}`, 'since Tuesday', 'for the last two days', 'today', 'since the release', 'after the migration', 'since last week']);
    case 'day':
      return pick(rand, [...WEEKDAYS, 'tomorrow', 'next week', 'Thursday', ctx.dateLabel]);
    case 'day2':
      return pick(rand, ['Friday', 'next Tuesday', 'the 14th', 'Monday', 'end of next week']);
    case 'time':
      return pick(rand, TIMES);
    case 'event':
      return pick(rand, EVENTS);
    case 'floor':
      return pick(rand, FLOORS);
    case 'place':
      return pick(rand, PLACES);
    case 'job':
      return pick(rand, JOBS);
    case 'launch':
      return pick(rand, LAUNCHES);
    case 'desk':
      return `${1 + Math.floor(rand() * 6)}${'ABCD'[Math.floor(rand() * 4)]}-${1 + Math.floor(rand() * 30)}`;
    case 'user':
      return `@${pick(rand, ctx.users)}`;
    case 'emoji':
      return pick(rand, EMOJIS);
    case 'ticket':
      return `DATA-${1000 + Math.floor(rand() * 8999)}`;
    case 'jira':
      return `https://${ctx.domain('jira')}/browse/${pick(rand, ['DATA', 'DE', 'ANLY', 'BI'])}-${100 + Math.floor(rand() * 4900)}`;
    case 'dbt':
      return `https://${ctx.domain('dbt')}/#!/model/model.warehouse.${ctx.model}`;
    case 'looker':
      return `https://${ctx.domain('looker')}/dashboards/${10 + Math.floor(rand() * 900)}`;
    case 'gh':
      return `https://${ctx.domain('github')}/acme-data/warehouse/pull/${100 + Math.floor(rand() * 3000)}`;
    case 'wiki':
      return ctx.theme
        ? `https://${ctx.domain('wiki')}/${pick(rand, ['data', 'analytics', 'platform'])}/${slug(pick(rand, [ctx.metric, ctx.dash, ctx.model, ctx.theme === 'access_permissions_pii' ? 'data access policy' : 'metric definitions', 'runbook']))}`
        : `https://${ctx.domain('wiki')}/${pick(rand, ['people', 'handbook', 'office'])}/${slug(pick(rand, ['seating', 'offsite', 'holidays', 'events', 'welcome']))}`;
    case 'docs':
      return `https://${ctx.domain('docs')}/tracking/${slug(ctx.field)}`;
    case 'status':
      return `https://${ctx.domain('status')}/incidents/${1000 + Math.floor(rand() * 9000)}`;
    case 'sql':
      return snippet(ctx, rand);
    default:
      throw new Error(`unknown slot {${name}}`);
  }
}
