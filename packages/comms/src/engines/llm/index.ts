import type { AnswerSchema, ChatMessage, LlmClient, LlmFatal, LlmResult, Role } from '@dnr/core';
import type { CommsPlan } from '../../plan.js';
import type { TemplateCorpus } from '../template/index.js';
import type { ThreadContext } from '../template/context.js';

/**
 * The llm engine: the plan (labels, authors, times) stays; the LLM writes the words for each item's
 * oracle label and context. Anything the LLM does not deliver (cap reached, bad JSON, wrong shape, a
 * request that failed) keeps the template text, and the counts say which engine wrote what. An
 * endpoint that cannot be used at all (key rejected, unreachable, the same failure on the first
 * requests) is not papered over: `fatal` says why and the command exits 2.
 */

const strings = { type: 'array', items: { type: 'string' } };
const object = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });
/** Answer schemas (sent in json_schema mode). */
export const COMMS_SCHEMAS: Record<'slack' | 'email' | 'nlq', AnswerSchema> = {
  slack: { name: 'slack_thread', schema: object({ messages: strings }) },
  email: { name: 'email', schema: object({ subject: { type: 'string' }, body: { type: 'string' } }) },
  nlq: { name: 'nlq', schema: object({ query: { type: 'string' } }) },
};

/** Failed requests in a row after which the engine stops (the endpoint went away mid-run). */
const MAX_CONSECUTIVE_FAILURES = 5;

const THEME_BRIEF: Record<string, string> = {
  metric_definition_mismatch: 'two teams or dashboards report different numbers for the same metric because of different definitions',
  join_keys_orphans: 'rows that do not join: null or orphan foreign keys, ids missing from a dimension table, rows dropped by joins',
  freshness_ingest_lag: 'stale or late data: loads delayed, ingest lag, dashboards not refreshed',
  duplicates_dedup: 'duplicate rows / double counting, the same business key loaded twice, need for dedup',
  access_permissions_pii: 'data access: permission denied, access requests, PII exposure or masking',
  new_field_schema_request: 'asking for a new column/field, or a column that went null after an upstream schema change',
  revenue_coverage_mapping: 'revenue that cannot be mapped/attributed to a category or plan, revenue not reconciling to the ledger',
  attribution_funnel_gaps: 'marketing attribution and conversion funnel gaps: missing utm/source, broken funnel tracking',
};

const SYSTEM =
  'You write realistic workplace messages for a synthetic test corpus. Different people, different registers (terse, rambling, formal), occasional typos. ' +
  'Never use real names, e-mail addresses, phone numbers or real company names; refer to people only by the given user ids. ' +
  'Links, if any, must use only the given example domains. Reply with a JSON object only.';

function relevanceBrief(relevance: string, theme: string | null): string {
  if (relevance === 'positive' && theme) return `The thread is about a data problem: ${THEME_BRIEF[theme]}.`;
  if (relevance === 'hard_negative') return 'The thread is NOT about data problems, but uses data-sounding words in an everyday sense (join the call, duplicate invite, office access badge, hiring pipeline, stale snacks).';
  return 'The thread is ordinary workplace chatter with no data vocabulary (lunch, PTO, launches, congratulations).';
}

function contextBrief(ctx: ThreadContext): string {
  return JSON.stringify({
    table: ctx.theme === 'join_keys_orphans' ? ctx.join.fact : ctx.fact.table,
    key_column: ctx.join.key,
    dimension: ctx.join.dim,
    column: ctx.col,
    metric: ctx.metric,
    dashboard: ctx.dash,
    dbt_model: ctx.model,
    team: ctx.team,
  });
}

export interface LlmEngineInput {
  client: LlmClient;
  plan: CommsPlan;
  template: TemplateCorpus;
  caps: { slack: number; email: number; nlq: number };
  allowedDomains: readonly string[];
  /** Requests in flight at most (the client's own limit also holds). */
  concurrency: number;
  onItem?: () => void;
}

export interface LlmEngineOutput {
  slack: Map<number, string[]>;
  email: Map<number, { subject: string; body: string }>;
  nlq: Map<number, string>;
  /** Why the engine stopped early, if it did. */
  stopped?: string;
  failures: number;
  /** The endpoint cannot be used: the caller exits 2 with this. */
  fatal: LlmFatal | null;
}

const isStrings = (x: unknown, n: number): x is string[] => Array.isArray(x) && x.length === n && x.every((s) => typeof s === 'string' && s.trim().length > 0);

export async function runLlmEngine({ client, plan, template, caps, allowedDomains, concurrency, onItem }: LlmEngineInput): Promise<LlmEngineOutput> {
  const out: LlmEngineOutput = { slack: new Map(), email: new Map(), nlq: new Map(), failures: 0, fatal: null };
  const roleOf = (u: number): Role => plan.users[u].role;
  const domains = allowedDomains.join(', ');
  let stop: string | undefined;
  let consecutiveFailures = 0;

  // Stop sending once the cap is reached, the endpoint is unusable or keeps failing; the rest keeps its template text.
  const call = async (messages: ChatMessage[], maxOutputTokens: number, schema: AnswerSchema): Promise<LlmResult | undefined> => {
    if (stop || client.fatal()) return undefined;
    const r = await client.completeJson(messages, { maxOutputTokens, schema });
    if (r.status === 'cap_exceeded') stop ??= `spend cap reached (${r.reason})`;
    else if (r.status === 'error' && r.kind === 'fatal') return undefined;
    else if (r.status !== 'ok') {
      out.failures++;
      if (r.status === 'error' && ++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) stop ??= `LLM endpoint failed ${MAX_CONSECUTIVE_FAILURES} times in a row, last: ${r.reason}`;
    } else consecutiveFailures = 0;
    return r;
  };

  const writeSlack = async (t: CommsPlan['slack'][number]) => {
    const ctx = template.slackCtx[t.index];
    const authors = t.authors.map((a) => `${plan.users[a].id} (${roleOf(a)})`);
    const user = [
      `Write one Slack thread of exactly ${t.ts.length} messages (the root, then replies), each at most ${caps.slack} tokens.`,
      relevanceBrief(t.label.relevance, t.label.theme),
      `Authors in order: ${authors.join(', ')}. Context: ${contextBrief(ctx)}. Allowed link domains: ${domains}.`,
      'Answer as {"messages": ["...", ...]}.',
    ].join('\n');
    const r = await call([{ role: 'system', content: SYSTEM }, { role: 'user', content: user }], Math.min(1200, caps.slack * t.ts.length + 60), COMMS_SCHEMAS.slack);
    const msgs = r?.status === 'ok' ? (r.json as { messages?: unknown }).messages : undefined;
    if (isStrings(msgs, t.ts.length)) out.slack.set(t.index, msgs);
    else if (r?.status === 'ok') out.failures++;
  };

  const writeEmail = async (e: CommsPlan['email'][number]) => {
    const ctx = template.emailCtx[e.index];
    const user = [
      `Write one internal e-mail (subject and body, body at most ${caps.email} tokens) from ${plan.users[e.from].id} (${roleOf(e.from)}).`,
      relevanceBrief(e.label.relevance, e.label.theme),
      `Context: ${contextBrief(ctx)}. Allowed link domains: ${domains}.`,
      'Answer as {"subject": "...", "body": "..."}.',
    ].join('\n');
    const r = await call([{ role: 'system', content: SYSTEM }, { role: 'user', content: user }], caps.email + 60, COMMS_SCHEMAS.email);
    const j = r?.status === 'ok' ? (r.json as { subject?: unknown; body?: unknown }) : undefined;
    if (j && typeof j.subject === 'string' && typeof j.body === 'string' && j.subject.trim() && j.body.trim()) out.email.set(e.index, { subject: j.subject, body: j.body });
    else if (r?.status === 'ok') out.failures++;
  };

  const writeNlq = async (q: CommsPlan['nlq'][number]) => {
    const sql = template.nlq[q.index].generated_sql;
    const user = [
      `Write the natural-language question (at most ${caps.nlq} tokens) a ${roleOf(q.user)} typed into a BI assistant that produced this SQL: ${sql}`,
      `The question is about: ${THEME_BRIEF[q.theme]}.`,
      'Answer as {"query": "..."}.',
    ].join('\n');
    const r = await call([{ role: 'system', content: SYSTEM }, { role: 'user', content: user }], caps.nlq + 20, COMMS_SCHEMAS.nlq);
    const j = r?.status === 'ok' ? (r.json as { query?: unknown }) : undefined;
    if (j && typeof j.query === 'string' && j.query.trim()) out.nlq.set(q.index, j.query);
    else if (r?.status === 'ok') out.failures++;
  };

  // Sources interleave by position (0..1 within each source): if the cap stops the engine early, every
  // source got its share of LLM text. Workers pull jobs one by one, so the stop flag is seen before each request.
  const jobs: { at: number; run: () => Promise<void> }[] = [
    ...plan.slack.map((t) => ({ at: t.index / plan.slack.length, run: () => writeSlack(t) })),
    ...plan.email.map((e) => ({ at: e.index / plan.email.length, run: () => writeEmail(e) })),
    ...plan.nlq.map((q) => ({ at: q.index / plan.nlq.length, run: () => writeNlq(q) })),
  ];
  jobs.sort((a, b) => a.at - b.at);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (stop || client.fatal()) {
        onItem?.();
        continue;
      }
      await job.run();
      onItem?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  out.stopped = stop;
  out.fatal = client.fatal();
  return out;
}
