import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './helpers/cli.js';
import type { CommsThread, NlqItem } from '../packages/report/dist/index.js';

/** Macro-F1 over the classes that occur in truth or prediction (null counted as its own class). */
export function macroF1(truth: ReadonlyArray<string | null>, pred: ReadonlyArray<string | null>): number {
  const classes = new Set<string>([...truth, ...pred].map((c) => c ?? '∅'));
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const tt = (t ?? '∅') === c;
      const pp = (pred[i] ?? '∅') === c;
      if (tt && pp) tp++;
      else if (pp) fp++;
      else if (tt) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return classes.size === 0 ? 0 : sum / classes.size;
}

/** Theme macro-F1 as eval scores it for Slack/email: over positive-labelled items, themes only. */
export function themeMacroF1(items: ReadonlyArray<{ truth: string | null; pred: string | null }>): number {
  const pos = items.filter((i) => i.truth !== null);
  return macroF1(pos.map((i) => i.truth), pos.map((i) => i.pred));
}

interface HwMessage { role: string; text: string }
export interface HwSlack { id: string; relevance: string; theme: string | null; bucket: string; messages: HwMessage[] }
export interface HwEmail { id: string; relevance: string; theme: string | null; bucket: string; role: string; subject: string; body: string }
export interface HwNlq { id: string; theme: string; text: string; sql?: string }

const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'handwritten');
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
