import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './helpers/cli.js';
import type { CommsThread, NlqItem } from '../packages/report/dist/index.js';
import { confusionCounts, encodeTask, scoreConfusion } from '../packages/eval/dist/index.js';

/**
 * Macro-F1 exactly as `dnr eval-labels` scores it (the eval package owns the definition): classes that
 * occur as a label or a prediction; a null prediction (no theme) is a miss for the labelled class, not a
 * class of its own.
 */
export function macroF1(truth: ReadonlyArray<string>, pred: ReadonlyArray<string | null>): number {
  const classes = [...new Set([...truth, ...pred].filter((c): c is string => c !== null))].sort();
  const task = encodeTask(classes, truth.map((t, i) => ({ truth: t, valid: true, pred: pred[i], confidence: null })));
  return scoreConfusion(confusionCounts(task).counts, classes.length).macroF1 ?? 0;
}

/** Theme macro-F1 as eval scores it for Slack/email: over positive-labelled items, themes only. */
export function themeMacroF1(items: ReadonlyArray<{ truth: string | null; pred: string | null }>): number {
  const pos = items.filter((i): i is { truth: string; pred: string | null } => i.truth !== null);
  return macroF1(pos.map((i) => i.truth), pos.map((i) => i.pred));
}

interface HwMessage { role: string; text: string }
export interface HwSlack { id: string; relevance: string; theme: string | null; bucket: string; messages: HwMessage[] }
export interface HwEmail { id: string; relevance: string; theme: string | null; bucket: string; role: string; subject: string; body: string }
export interface HwNlq { id: string; theme: string; text: string; sql?: string }

const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'classifier', 'train');
const load = <T>(name: string): T[] => (JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as { items: T[] }).items;

export const handwritten = {
  slack: () => load<HwSlack>('slack.json'),
  email: () => load<HwEmail>('email.json'),
  nlq: () => load<HwNlq>('nlq.json'),
};

const T0 = Date.UTC(2026, 4, 12, 16, 0, 0);

export function slackThread(s: HwSlack): CommsThread {
  return {
    id: s.id,
    source: 'slack',
    channel: `c-${s.bucket}`,
    bucket: s.bucket,
    ts: new Date(T0),
    messages: s.messages.map((m, i) => ({
      messageId: `${s.id}-m${i}`,
      ts: new Date(T0 + i * 60_000),
      userId: `u${i}`,
      role: m.role as CommsThread['messages'][number]['role'],
      text: m.text,
      isRoot: i === 0,
      hasLink: false,
      linkDomains: [],
      hasAttachment: false,
      attachmentNames: [],
      hasCode: /\bselect\b[\s\S]*\bfrom\b/i.test(m.text),
    })),
  };
}

export function emailThread(e: HwEmail): CommsThread {
  return {
    id: e.id,
    source: 'email',
    channel: e.bucket,
    bucket: e.bucket,
    ts: new Date(T0),
    messages: [{ messageId: `${e.id}-m0`, ts: new Date(T0), userId: 'u1', role: e.role as CommsThread['messages'][number]['role'], text: `${e.subject}\n${e.body}`, isRoot: true, hasLink: false, linkDomains: [], hasAttachment: false, attachmentNames: [], hasCode: false }],
  };
}

export function nlqItem(q: HwNlq): NlqItem {
  return { id: q.id, source: 'nlq', ts: new Date(T0), userId: 'u9', role: 'other', app: 'bi', text: q.text, sql: q.sql ?? null, success: true };
}

/**
 * Write the hand-written items as a comms folder (slack_messages, email_messages, comms_users,
 * nlq parquet), spread over `days` days so day buckets and sampling have something to work with.
 * Ids get a `-r{k}` suffix for replica k (to make bigger corpora); labels are returned alongside.
 */
export async function writeHandwrittenCorpus(dir: string, options: { replicas?: number; days?: number } = {}): Promise<{ labels: Map<string, { relevance: string | null; theme: string | null }> }> {
  const { withDuckDB, sqlString } = await import('../packages/core/dist/index.js');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  const replicas = options.replicas ?? 1;
  const days = options.days ?? 10;
  const labels = new Map<string, { relevance: string | null; theme: string | null }>();
  const slackRows: unknown[] = [];
  const emailRows: unknown[] = [];
  const users = new Map<string, { source: string; user_id: string; role: string }>();
  const nlqRows: unknown[] = [];
  let n = 0;
  const tsOf = (k: number, extraMin = 0) => new Date(T0 - (k % days) * 86_400_000 + (k % 7) * 3_600_000 + extraMin * 60_000).toISOString().replace('T', ' ').replace('Z', '');
  for (let r = 0; r < replicas; r++) {
    for (const s of handwritten.slack()) {
      const id = `${s.id}-r${r}`;
      labels.set(id, { relevance: s.relevance, theme: s.theme });
      const k = n++;
      s.messages.forEach((m, i) => {
        const user = `us${(k * 3 + i) % 40}-${m.role}`;
        users.set(`slack|${user}`, { source: 'slack', user_id: user, role: m.role });
        slackRows.push({ message_id: `${id}-m${i}`, thread_id: id, channel_id: `c-${s.bucket}-${k % 3}`, channel_cat: s.bucket, ts: tsOf(k, i * 7), user_id: user, text: m.text, reply_to: i === 0 ? null : `${id}-m0`, reply_count: i === 0 ? s.messages.length - 1 : 0, has_link: false, link_domains: [], has_attachment: false, attachment_names: [], has_code: false });
      });
    }
    for (const e of handwritten.email()) {
      const id = `${e.id}-r${r}`;
      labels.set(id, { relevance: e.relevance, theme: e.theme });
      const k = n++;
      const user = `ue${k % 30}-${e.role}`;
      users.set(`email|${user}`, { source: 'email', user_id: user, role: e.role });
      emailRows.push({ message_id: `${id}-m0`, thread_id: id, ts: tsOf(k), from_id: user, to_ids: ['ue1'], cc_ids: [], list_cat: e.bucket, subject: e.subject, body_text: e.body, has_attachment: false, attachment_names: [], has_link: false, link_domains: [], has_code: false });
    }
    for (const q of handwritten.nlq()) {
      const id = `${q.id}-r${r}`;
      labels.set(id, { relevance: null, theme: q.theme });
      const k = n++;
      nlqRows.push({ query_id: id, user_id: `uq${k % 20}`, app: k % 2 ? 'looker' : 'notebook', ts: tsOf(k), query_text: q.text, generated_sql: q.sql ?? 'SELECT 1', success_flag: true, latency_ms: 120, result_rows: 3 });
    }
  }
  const json = (name: string, rows: unknown[]) => {
    const f = `${dir}/${name}.tmp.json`;
    writeFileSync(f, JSON.stringify(rows));
    return f;
  };
  const files = { slack: json('slack', slackRows), email: json('email', emailRows), users: json('users', [...users.values()]), nlq: json('nlq', nlqRows) };
  await withDuckDB({ timeZone: 'UTC' }, async (c) => {
    const copy = (select: string, out: string) => c.run(`COPY (${select}) TO ${sqlString(`${dir}/${out}`)} (FORMAT parquet)`);
    await copy(
      `SELECT message_id, thread_id, channel_id, channel_cat, ts::TIMESTAMP AS ts, user_id, text, reply_to::VARCHAR AS reply_to, reply_count::INTEGER AS reply_count, has_link, link_domains::VARCHAR[] AS link_domains, has_attachment, attachment_names::VARCHAR[] AS attachment_names, has_code FROM read_json(${sqlString(files.slack)}, columns={message_id:'VARCHAR',thread_id:'VARCHAR',channel_id:'VARCHAR',channel_cat:'VARCHAR',ts:'VARCHAR',user_id:'VARCHAR',text:'VARCHAR',reply_to:'VARCHAR',reply_count:'INTEGER',has_link:'BOOLEAN',link_domains:'VARCHAR[]',has_attachment:'BOOLEAN',attachment_names:'VARCHAR[]',has_code:'BOOLEAN'})`,
      'slack_messages.parquet',
    );
    await copy(
      `SELECT message_id, thread_id, ts::TIMESTAMP AS ts, from_id, to_ids, cc_ids, list_cat, subject, body_text, has_attachment, attachment_names, has_link, link_domains, has_code FROM read_json(${sqlString(files.email)}, columns={message_id:'VARCHAR',thread_id:'VARCHAR',ts:'VARCHAR',from_id:'VARCHAR',to_ids:'VARCHAR[]',cc_ids:'VARCHAR[]',list_cat:'VARCHAR',subject:'VARCHAR',body_text:'VARCHAR',has_attachment:'BOOLEAN',attachment_names:'VARCHAR[]',has_link:'BOOLEAN',link_domains:'VARCHAR[]',has_code:'BOOLEAN'})`,
      'email_messages.parquet',
    );
    await copy(`SELECT * FROM read_json(${sqlString(files.users)}, columns={source:'VARCHAR',user_id:'VARCHAR',role:'VARCHAR'})`, 'comms_users.parquet');
    await copy(
      `SELECT query_id, user_id, app, ts::TIMESTAMP AS ts, query_text, generated_sql, success_flag, latency_ms, result_rows FROM read_json(${sqlString(files.nlq)}, columns={query_id:'VARCHAR',user_id:'VARCHAR',app:'VARCHAR',ts:'VARCHAR',query_text:'VARCHAR',generated_sql:'VARCHAR',success_flag:'BOOLEAN',latency_ms:'INTEGER',result_rows:'INTEGER'})`,
      'nlq.parquet',
    );
  });
  const { rmSync } = await import('node:fs');
  for (const f of Object.values(files)) rmSync(f);
  return { labels };
}
