/**
 * Hand-written classifier sets (tests/fixtures/classifier/{train,dev,blind}/*.json) as report-package
 * threads and NLQ items. Two file shapes are read:
 * - `{threads: [{id, source, relevance, theme, messages: [{role, text}]}], nlq: [{id, theme, text, sql?}]}`
 * - the first sets' `{items: [...]}`: Slack items with `messages`, e-mail items with `subject`/`body`/`role`,
 *   NLQ items with `text` (the file name says which: slack.json, email.json, nlq.json).
 * Link domains are read from URLs in the text (the parquet export carries them as a column).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSetJson } from './classifier-set-file.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SETS_DIR = path.join(ROOT, 'tests', 'fixtures', 'classifier');

export { readSetJson, SetFileError } from './classifier-set-file.mjs';

const T0 = Date.UTC(2026, 3, 2, 15, 0, 0);
const URL_HOST = /\b(?:https?:\/\/)([a-z0-9.-]+\.[a-z]{2,})/gi;

function message(id, i, role, text) {
  const domains = [...new Set([...text.matchAll(URL_HOST)].map((m) => m[1].toLowerCase().replace(/^www\./, '')))];
  return { messageId: `${id}-${i}`, ts: new Date(T0 + i * 60_000), userId: `u${i}`, role, text, isRoot: i === 0, hasLink: domains.length > 0, linkDomains: domains, hasAttachment: false, attachmentNames: [], hasCode: /```|\bselect\b[\s\S]*\bfrom\b/i.test(text) };
}

/**
 * The product reads an e-mail as its subject, a line break, then its body (comms-analysis/load.ts); the
 * hand-written sets write the subject as "Subject: …". The label is removed from the start of each e-mail
 * so that training and scoring see what `run-report` sees (the word "Subject" is not a feature at serving).
 */
const asProductEmail = (text) => text.replace(/^\s*subject:[ \t]*/i, '');

function thread(id, source, messages) {
  const texts = messages.map((m) => (source === 'email' ? asProductEmail(m.text) : m.text));
  return { id, source, channel: 'c-handwritten', bucket: 'analytics', ts: new Date(T0), messages: messages.map((m, i) => message(id, i, m.role, texts[i])) };
}

/** One set file → { name, threads: [{thread, relevance, theme}], nlq: [{item, theme}] }; throws SetFileError (see readSetJson). */
export function readSet(file) {
  const raw = readSetJson(file);
  const name = path.basename(file, '.json');
  const threads = [];
  const nlq = [];
  const addNlq = (q) => nlq.push({ item: { id: q.id, source: 'nlq', ts: new Date(T0), userId: 'uq', role: 'other', app: 'bi', text: q.text, sql: q.sql ?? null, success: true }, theme: q.theme });
  if (Array.isArray(raw.items)) {
    for (const it of raw.items) {
      if (name === 'nlq' || (it.text !== undefined && it.messages === undefined && it.body === undefined)) addNlq(it);
      else if (it.body !== undefined) threads.push({ thread: thread(it.id, 'email', [{ role: it.role, text: `${it.subject}\n${it.body}` }]), relevance: it.relevance, theme: it.theme });
      else threads.push({ thread: thread(it.id, 'slack', it.messages), relevance: it.relevance, theme: it.theme });
    }
  }
  for (const t of raw.threads ?? []) threads.push({ thread: thread(t.id, t.source, t.messages), relevance: t.relevance, theme: t.theme ?? null });
  for (const q of raw.nlq ?? []) addNlq(q);
  return { name, file, threads, nlq };
}

/** Every set in a split folder (train, dev or blind), sorted by file name. */
export function readSplit(split) {
  const dir = path.join(SETS_DIR, split);
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files.map((f) => readSet(path.join(dir, f)));
}

const evalPkg = await import(path.join(ROOT, 'packages/eval/dist/index.js'));

/**
 * Macro-F1 exactly as `dnr eval-labels` scores it (the eval package owns the definition): classes that
 * occur as a label or a prediction; a null prediction (no theme) is a miss for the labelled class, not a
 * class of its own.
 */
export function macroF1(truth, pred) {
  const classes = [...new Set([...truth, ...pred].filter((c) => c !== null))].sort();
  const task = evalPkg.encodeTask(classes, truth.map((t, i) => ({ truth: t, valid: true, pred: pred[i], confidence: null })));
  return evalPkg.scoreConfusion(evalPkg.confusionCounts(task).counts, classes.length).macroF1 ?? 0;
}
