import type { Table } from 'apache-arrow';
import { pacer, yieldToEventLoop, type StepHandle } from '@dnr/core';
import type { NlqItem } from './engines/template/index.js';
import type { CommsPlan } from './plan.js';
import { commsTable } from './schemas.js';
import { capTokens, capTokensCounted, hasCode, linkDomains, scrubText } from './text.js';

/** The words of a corpus, whichever engine wrote them (indexed like the plan). */
export interface CorpusTexts {
  slack: string[][];
  email: { subject: string; body: string }[];
  nlq: string[];
  /** SQL and outcome of each NLQ (always from the template engine). */
  nlqItems: NlqItem[];
}

export interface TextPolicy {
  allowedDomains: readonly string[];
  caps: { slack: number; email: number; nlq: number };
  /** Model whose encoding measures the caps. */
  model: string;
}

const SUBJECT_MAX_TOKENS = 40;

/**
 * Arrow tables of the corpus and the labels. Every engine's text goes through the same PII scrub and
 * token caps here, and the structural flags (links, code) are derived from the final text. Tokenising every
 * message takes seconds: `handle` counts the messages, e-mails and NLQs done, and the loop yields to keep the
 * progress line live.
 */
export async function corpusTables(
  plan: CommsPlan,
  texts: CorpusTexts,
  policy: TextPolicy,
  handle?: StepHandle,
): Promise<{ outFiles: Record<'slack_messages' | 'email_messages' | 'comms_users' | 'nlq', Table>; metaFiles: Record<'labels_slack' | 'labels_email' | 'labels_nlq', Table>; maxTokens: { slack: number; email: number; nlq: number } }> {
  handle?.total(plan.slack.reduce((a, t) => a + t.ts.length, 0) + plan.email.length + plan.nlq.length);
  const pace = pacer(handle);
  const clean = (s: string, cap: number) => capTokensCounted(scrubText(s, policy.allowedDomains), cap, policy.model);
  const maxTokens = { slack: 0, email: 0, nlq: 0 };

  const slackCols = {
    message_id: [] as string[],
    thread_id: [] as string[],
    channel_id: [] as string[],
    channel_cat: [] as string[],
    ts: [] as number[],
    user_id: [] as string[],
    text: [] as string[],
    reply_to: [] as (string | null)[],
    reply_count: [] as number[],
    has_link: [] as boolean[],
    link_domains: [] as string[][],
    has_attachment: [] as boolean[],
    attachment_names: [] as string[][],
    has_code: [] as boolean[],
  };
  let mid = 0;
  {
    for (const t of plan.slack) {
      const rootId = `${plan.prefix}-m${String(mid + 1).padStart(7, '0')}`;
      for (const [m, ts] of t.ts.entries()) {
        const { text, tokens } = clean(texts.slack[t.index][m] ?? '', policy.caps.slack);
        maxTokens.slack = Math.max(maxTokens.slack, tokens);
        const links = linkDomains(text);
        slackCols.message_id.push(`${plan.prefix}-m${String(++mid).padStart(7, '0')}`);
        slackCols.thread_id.push(t.threadId);
        slackCols.channel_id.push(t.channelId);
        slackCols.channel_cat.push(t.bucket);
        slackCols.ts.push(ts);
        slackCols.user_id.push(plan.users[t.authors[m]].id);
        slackCols.text.push(text);
        slackCols.reply_to.push(m === 0 ? null : rootId);
        slackCols.reply_count.push(m === 0 ? t.ts.length - 1 : 0);
        slackCols.has_link.push(links.length > 0);
        slackCols.link_domains.push(links);
        slackCols.has_attachment.push(t.attachments[m].length > 0);
        slackCols.attachment_names.push(t.attachments[m]);
        slackCols.has_code.push(hasCode(text));
        await pace();
      }
    }
  }

  const emailCols = {
    message_id: [] as string[],
    thread_id: [] as string[],
    ts: [] as number[],
    from_id: [] as string[],
    to_ids: [] as string[][],
    cc_ids: [] as string[][],
    list_cat: [] as string[],
    subject: [] as string[],
    body_text: [] as string[],
    has_attachment: [] as boolean[],
    attachment_names: [] as string[][],
    has_link: [] as boolean[],
    link_domains: [] as string[][],
    has_code: [] as boolean[],
  };
  for (const e of plan.email) {
    const { text: body, tokens: bodyTokens } = clean(texts.email[e.index].body, policy.caps.email);
    const subject = capTokens(scrubText(texts.email[e.index].subject, policy.allowedDomains), SUBJECT_MAX_TOKENS, policy.model);
    maxTokens.email = Math.max(maxTokens.email, bodyTokens);
    const links = linkDomains(`${subject} ${body}`);
    emailCols.message_id.push(e.messageId);
    emailCols.thread_id.push(e.threadId);
    emailCols.ts.push(e.ts);
    emailCols.from_id.push(plan.users[e.from].id);
    emailCols.to_ids.push(e.to.map((u) => plan.users[u].id));
    emailCols.cc_ids.push(e.cc.map((u) => plan.users[u].id));
    emailCols.list_cat.push(e.bucket);
    emailCols.subject.push(subject);
    emailCols.body_text.push(body);
    emailCols.has_attachment.push(e.attachments.length > 0);
    emailCols.attachment_names.push(e.attachments);
    emailCols.has_link.push(links.length > 0);
    emailCols.link_domains.push(links);
    emailCols.has_code.push(hasCode(body));
    await pace();
  }

  const nlqCols = {
    query_id: [] as string[],
    user_id: [] as string[],
    app: [] as string[],
    ts: [] as number[],
    query_text: [] as string[],
    generated_sql: [] as string[],
    success_flag: [] as boolean[],
    latency_ms: [] as number[],
    result_rows: [] as number[],
  };
  for (const q of plan.nlq) {
    const item = texts.nlqItems[q.index];
    const { text, tokens } = clean(texts.nlq[q.index], policy.caps.nlq);
    maxTokens.nlq = Math.max(maxTokens.nlq, tokens);
    nlqCols.query_id.push(q.queryId);
    nlqCols.user_id.push(plan.users[q.user].id);
    nlqCols.app.push(q.app);
    nlqCols.ts.push(q.ts);
    nlqCols.query_text.push(text);
    nlqCols.generated_sql.push(item.generated_sql);
    nlqCols.success_flag.push(item.success_flag);
    nlqCols.latency_ms.push(item.latency_ms);
    nlqCols.result_rows.push(item.result_rows);
    await pace();
  }

  const usersCols = { source: [] as string[], user_id: [] as string[], role: [] as string[] };
  for (const source of ['slack', 'email'] as const) {
    for (const u of plan.users) {
      if (source === 'email' && !u.email) continue;
      usersCols.source.push(source);
      usersCols.user_id.push(u.id);
      usersCols.role.push(u.role);
    }
  }

  // Each Arrow table is built in one synchronous piece: a turn of the event loop between them keeps the line live.
  const table = async (...args: Parameters<typeof commsTable>) => {
    await yieldToEventLoop();
    return commsTable(...args);
  };
  const metaFiles = {
    labels_slack: await table('labels_slack', {
      thread_id: plan.slack.map((t) => t.threadId),
      relevance: plan.slack.map((t) => t.label.relevance),
      theme: plan.slack.map((t) => t.label.theme),
    }),
    labels_email: await table('labels_email', {
      thread_id: plan.email.map((e) => e.threadId),
      relevance: plan.email.map((e) => e.label.relevance),
      theme: plan.email.map((e) => e.label.theme),
    }),
    labels_nlq: await table('labels_nlq', { query_id: plan.nlq.map((q) => q.queryId), theme: plan.nlq.map((q) => q.theme) }),
  };
  const outFiles = {
    slack_messages: await table('slack_messages', slackCols),
    email_messages: await table('email_messages', emailCols),
    comms_users: await table('comms_users', usersCols),
    nlq: await table('nlq', nlqCols),
  };

  return { outFiles, metaFiles, maxTokens };
}
