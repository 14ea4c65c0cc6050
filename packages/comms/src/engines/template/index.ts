import { RandomStream, type Archetype, type Role } from '@dnr/core';
import type { CommsPlan } from '../../plan.js';
import { isoDay } from '../../window.js';
import { buildContext, type ThreadContext } from './context.js';
import type { Rand } from './grammar.js';
import { nlqItem, type NlqItem } from './nlq.js';
import { emailText, slackThreadTexts } from './threads.js';
import { voiceFor, type Voice } from './voice.js';

export { expand, variants } from './grammar.js';
export type { NlqItem } from './nlq.js';
export { METRIC_SQL } from './nlq.js';

export interface TemplateCorpus {
  slack: string[][];
  email: { subject: string; body: string }[];
  nlq: NlqItem[];
  /** Contexts, for engines that rewrite the text (llm). */
  slackCtx: ThreadContext[];
  emailCtx: ThreadContext[];
  nlqCtx: ThreadContext[];
  voices: Voice[];
}

/** A rand() over draws 0,1,2,… of item i of a stream: deterministic per item, whatever the order. */
export function drawer(s: RandomStream, i: number): Rand {
  let k = 0;
  return () => s.uniform(i, k++);
}

export interface TemplateInput {
  archetype: Archetype;
  seed: number;
  plan: CommsPlan;
  allowedDomains: readonly string[];
  /** Columns hit by the defects (table.column) per theme, so event threads name them. */
  defectColumn: (eventColumn: string | undefined, theme: string | null) => string | undefined;
}

/** The template engine: every text of the corpus, offline and deterministic. */
export function renderTemplateCorpus({ archetype, seed, plan, allowedDomains, defectColumn }: TemplateInput): TemplateCorpus {
  const vs = new RandomStream(seed, `${archetype}/voice`);
  const voices = plan.users.map((u, i) => voiceFor(u.role, vs.uniform(i, 0), vs.uniform(i, 1), vs.uniform(i, 2)));
  const roles: Role[] = plan.users.map((u) => u.role);
  const userIds = plan.users.map((u) => u.id);

  const sc = new RandomStream(seed, `${archetype}/slack.text`);
  const slackCtx: ThreadContext[] = [];
  const slack = plan.slack.map((t) => {
    const rand = drawer(sc, t.index);
    const participants = [...new Set(t.authors)].map((a) => userIds[a]);
    const mentionable = [...participants, ...userIds.slice(t.index % 37, (t.index % 37) + 3)];
    const ctx = buildContext(
      { archetype, theme: t.label.theme, day: new Date(t.localDay), users: mentionable, allowedDomains, defectColumn: defectColumn(t.event?.column, t.label.theme) },
      rand,
    );
    slackCtx.push(ctx);
    return slackThreadTexts(
      t,
      ctx,
      t.authors.map((a) => voices[a]),
      t.authors.map((a) => roles[a]),
      rand,
    );
  });

  const ec = new RandomStream(seed, `${archetype}/email.text`);
  const emailCtx: ThreadContext[] = [];
  const email = plan.email.map((e) => {
    const rand = drawer(ec, e.index);
    const ctx = buildContext(
      { archetype, theme: e.label.theme, day: new Date(e.localDay), users: [...e.to, ...e.cc].map((u) => userIds[u]), allowedDomains, defectColumn: defectColumn(e.event?.column, e.label.theme) },
      rand,
    );
    emailCtx.push(ctx);
    return emailText(e, ctx, voices[e.from], roles[e.from], rand);
  });

  const nc = new RandomStream(seed, `${archetype}/nlq.text`);
  const nlqCtx: ThreadContext[] = [];
  const nlq = plan.nlq.map((q) => {
    const rand = drawer(nc, q.index);
    const ctx = buildContext({ archetype, theme: q.theme, day: new Date(q.localDay), users: [userIds[q.user]], allowedDomains, defectColumn: defectColumn(q.event?.column, q.theme) }, rand);
    nlqCtx.push(ctx);
    return nlqItem(q, ctx, isoDay(q.localDay), rand);
  });

  return { slack, email, nlq, slackCtx, emailCtx, nlqCtx, voices };
}
