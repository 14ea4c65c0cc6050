import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { COMMS_SCHEMAS } from '@dnr/comms';
import { InputError, ROLES, queryRows, readParquetAs, sqlIdent, withDuckDB, type Role } from '@dnr/core';
import type { CommsCorpus, CommsMessage, CommsThread, NlqItem, ThreadSource } from './types.js';

export const COMMS_FILES = {
  slack: 'slack_messages.parquet',
  email: 'email_messages.parquet',
  users: 'comms_users.parquet',
  nlq: 'nlq.parquet',
} as const;

const REQUIRED_COLUMNS: Record<keyof typeof COMMS_FILES, string[]> = {
  slack: ['message_id', 'thread_id', 'channel_id', 'channel_cat', 'ts', 'user_id', 'text', 'reply_to', 'has_link', 'link_domains', 'has_attachment', 'attachment_names', 'has_code'],
  email: ['message_id', 'thread_id', 'ts', 'from_id', 'list_cat', 'subject', 'body_text', 'has_attachment', 'attachment_names', 'has_link', 'link_domains', 'has_code'],
  users: ['source', 'user_id', 'role'],
  nlq: ['query_id', 'user_id', 'app', 'ts', 'query_text', 'generated_sql', 'success_flag'],
};

const SCHEMA_OF: Record<keyof typeof COMMS_FILES, keyof typeof COMMS_SCHEMAS> = { slack: 'slack_messages', email: 'email_messages', users: 'comms_users', nlq: 'nlq' };

/**
 * A temp view `comms_{kind}` over one comms file with the generator's column types (foreign writers'
 * TIMESTAMPTZ or epoch-text `ts`, BLOB text… are converted exactly or refused, exit 2), after checking
 * the file exists and has the columns the report reads.
 */
async function attachFile(connection: DuckDBConnection, file: string, kind: keyof typeof COMMS_FILES): Promise<void> {
  if (!existsSync(file)) {
    throw new InputError(`comms file missing: ${file}`, { suggestion: 'generate the corpus with `dnr gen-comms --archetype … --out DIR` and pass --comms DIR' });
  }
  const read = await readParquetAs(connection, { label: `comms file ${path.basename(file)}`, files: [file], columns: COMMS_SCHEMAS[SCHEMA_OF[kind]] });
  const missing = REQUIRED_COLUMNS[kind].filter((c) => !read.found.has(c));
  if (missing.length > 0) {
    throw new InputError(`comms file ${file} has the wrong schema: missing column(s) ${missing.join(', ')}.`);
  }
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${sqlIdent(`comms_${kind}`)} AS SELECT * FROM ${read.sql}`);
}

const asRole = (r: unknown): Role => ((ROLES as readonly string[]).includes(String(r)) ? (r as Role) : 'other');
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

interface RawMessage {
  message_id: string;
  thread_id: string;
  channel: string;
  bucket: string;
  ts_ms: bigint | number;
  user_id: string;
  role: string | null;
  text: string | null;
  is_root: boolean;
  has_link: boolean | null;
  link_domains: unknown;
  has_attachment: boolean | null;
  attachment_names: unknown;
  has_code: boolean | null;
}

function groupThreads(rows: RawMessage[], source: ThreadSource, windowEndMs: number | null): CommsThread[] {
  const byThread = new Map<string, CommsMessage[]>();
  const meta = new Map<string, { channel: string; bucket: string }>();
  for (const r of rows) {
    const ts = Number(r.ts_ms);
    if (windowEndMs !== null && ts > windowEndMs) continue;
    const msg: CommsMessage = {
      messageId: String(r.message_id),
      ts: new Date(ts),
      userId: String(r.user_id),
      role: asRole(r.role),
      text: r.text ?? '',
      isRoot: Boolean(r.is_root),
      hasLink: Boolean(r.has_link),
      linkDomains: asStrings(r.link_domains),
      hasAttachment: Boolean(r.has_attachment),
      attachmentNames: asStrings(r.attachment_names),
      hasCode: Boolean(r.has_code),
    };
    const list = byThread.get(r.thread_id);
    if (list) list.push(msg);
    else {
      byThread.set(r.thread_id, [msg]);
      meta.set(r.thread_id, { channel: String(r.channel), bucket: String(r.bucket) });
    }
  }
  const threads: CommsThread[] = [];
  for (const [id, messages] of byThread) {
    messages.sort((a, b) => Number(b.isRoot) - Number(a.isRoot) || a.ts.getTime() - b.ts.getTime() || (a.messageId < b.messageId ? -1 : 1));
    // A thread whose root fell outside the window (or is missing) is rooted at its first message.
    if (!messages[0].isRoot) messages[0] = { ...messages[0], isRoot: true };
    const m = meta.get(id)!;
    threads.push({ id, source, channel: m.channel, bucket: m.bucket, ts: messages[0].ts, messages });
  }
  threads.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return threads;
}

/** Read the comms corpus of docs/comms.md into threads and NLQ items (InputError on missing/corrupt/wrong-schema files). */
export async function loadCommsCorpus(commsDir: string, windowEndUtc?: Date): Promise<CommsCorpus> {
  const f = (k: keyof typeof COMMS_FILES) => path.join(commsDir, COMMS_FILES[k]);
  return withDuckDB({ timeZone: 'UTC' }, async (c) => {
    for (const k of Object.keys(COMMS_FILES) as Array<keyof typeof COMMS_FILES>) await attachFile(c, f(k), k);
    await c.run(`CREATE TEMP TABLE users AS SELECT DISTINCT source, user_id, role FROM comms_users`);
    const slackRows = await queryRows<RawMessage>(
      c,
      `SELECT m.message_id, m.thread_id, m.channel_id AS channel, m.channel_cat AS bucket, epoch_ms(m.ts) AS ts_ms, m.user_id, u.role, m.text,
              (m.reply_to IS NULL OR m.message_id = m.thread_id) AS is_root, m.has_link, m.link_domains, m.has_attachment, m.attachment_names, m.has_code
       FROM comms_slack m LEFT JOIN users u ON u.source = 'slack' AND u.user_id = m.user_id`,
    );
    const emailRows = await queryRows<RawMessage>(
      c,
      `WITH e AS (SELECT *, row_number() OVER (PARTITION BY thread_id ORDER BY ts, message_id) AS rn FROM comms_email)
       SELECT e.message_id, e.thread_id, e.list_cat AS channel, e.list_cat AS bucket, epoch_ms(e.ts) AS ts_ms, e.from_id AS user_id, u.role,
              coalesce(e.subject, '') || E'\\n' || coalesce(e.body_text, '') AS text, (e.rn = 1) AS is_root,
              e.has_link, e.link_domains, e.has_attachment, e.attachment_names, e.has_code
       FROM e LEFT JOIN users u ON u.source = 'email' AND u.user_id = e.from_id`,
    );
    const nlqRows = await queryRows<{ query_id: string; user_id: string; role: string | null; app: string; ts_ms: bigint; query_text: string | null; generated_sql: string | null; success_flag: boolean | null }>(
      c,
      `SELECT q.query_id, q.user_id, u.role, q.app, epoch_ms(q.ts) AS ts_ms, q.query_text, q.generated_sql, q.success_flag
       FROM comms_nlq q
       LEFT JOIN (SELECT user_id, any_value(role) AS role FROM users GROUP BY user_id) u ON u.user_id = q.user_id
       ORDER BY q.query_id`,
    );
    const endMs = windowEndUtc ? windowEndUtc.getTime() : null;
    const nlq: NlqItem[] = nlqRows
      .filter((r) => endMs === null || Number(r.ts_ms) <= endMs)
      .map((r) => ({
        id: String(r.query_id),
        source: 'nlq',
        ts: new Date(Number(r.ts_ms)),
        userId: String(r.user_id),
        role: asRole(r.role),
        app: String(r.app ?? ''),
        text: r.query_text ?? '',
        sql: r.generated_sql,
        success: r.success_flag,
      }));
    const corpus: CommsCorpus = { slack: groupThreads(slackRows, 'slack', endMs), email: groupThreads(emailRows, 'email', endMs), nlq };
    if (corpus.slack.length + corpus.email.length + corpus.nlq.length === 0) {
      throw new InputError(`comms folder ${commsDir} has no messages${windowEndUtc ? ` up to ${windowEndUtc.toISOString()}` : ''}`, { suggestion: 'regenerate it with `dnr gen-comms`' });
    }
    return corpus;
  });
}
