import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, withDuckDB } from '../packages/core/dist/index.js';
import { REPO_ROOT, runDnr, tempDir } from './helpers/cli.js';
import { macroF1 } from './rules-engine-support.js';

/*
 * Does the template corpus carry real, transferable signal? A plain multinomial naive Bayes (words and
 * word pairs, no hand-made rules) is trained ONLY on the generated corpus of both archetypes and then
 * scored on the hand-written fixtures (tests/fixtures/classifier/train: Slack/e-mail threads and NLQs written
 * by people, never seen by the generator). If the corpus were template noise, this would not transfer.
 */
const HANDWRITTEN = path.join(REPO_ROOT, 'tests', 'fixtures', 'classifier', 'train');

interface Doc {
  text: string;
  label: string;
}

const tokens = (s: string) =>
  s
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' url ')
    .split(/[^a-z0-9_]+/)
    .filter((w) => w.length > 1);
function features(s: string): Set<string> {
  const w = tokens(s);
  const f = new Set(w);
  for (let i = 0; i + 1 < w.length; i++) f.add(`${w[i]} ${w[i + 1]}`);
  return f;
}

function trainNaiveBayes(docs: Doc[]): (text: string) => string {
  const classes = new Map<string, { n: number; counts: Map<string, number>; total: number }>();
  const vocab = new Set<string>();
  for (const d of docs) {
    let c = classes.get(d.label);
    if (!c) classes.set(d.label, (c = { n: 0, counts: new Map(), total: 0 }));
    c.n++;
    for (const f of features(d.text)) {
      c.counts.set(f, (c.counts.get(f) ?? 0) + 1);
      c.total++;
      vocab.add(f);
    }
  }
  return (text) => {
    let best = '';
    let bestScore = -Infinity;
    const fs = [...features(text)].filter((f) => vocab.has(f));
    for (const [label, c] of classes) {
      let score = Math.log(c.n / docs.length);
      for (const f of fs) score += Math.log(((c.counts.get(f) ?? 0) + 1) / (c.total + vocab.size));
      if (score > bestScore) [best, bestScore] = [label, score];
    }
    return best;
  };
}

interface HwThread {
  relevance: string;
  theme: string | null;
  messages?: { text: string }[];
  subject?: string;
  body?: string;
}
interface HwNlq {
  theme: string;
  text: string;
}

function loadHandwritten(): { threads: HwThread[]; nlq: HwNlq[] } {
  const read = (f: string) => JSON.parse(readFileSync(path.join(HANDWRITTEN, f), 'utf8')) as { items?: unknown[]; threads?: unknown[]; nlq?: unknown[] };
  const threads: HwThread[] = [...(read('slack.json').items as HwThread[]), ...(read('email.json').items as HwThread[])];
  const nlq: HwNlq[] = [...(read('nlq.json').items as HwNlq[])];
  for (const f of ['holdout.json', 'indirect.json']) {
    if (!existsSync(path.join(HANDWRITTEN, f))) continue;
    const d = read(f);
    threads.push(...((d.threads ?? []) as HwThread[]));
    nlq.push(...((d.nlq ?? []) as HwNlq[]));
  }
  return { threads, nlq };
}

const threadText = (t: HwThread) => (t.messages ? t.messages.map((m) => m.text).join(' ') : `${t.subject ?? ''} ${t.body ?? ''}`);

describe.skipIf(!existsSync(path.join(HANDWRITTEN, 'slack.json')))('the template corpus carries signal that transfers to hand-written messages', () => {
  let tmp: ReturnType<typeof tempDir>;
  const corpus: { relevance: string | null; theme: string | null; text: string; source: string }[] = [];

  beforeAll(async () => {
    tmp = tempDir('dnr-comms-signal-');
    for (const archetype of ['neobank', 'marketplace']) {
      const r = await runDnr(['gen-comms', '--archetype', archetype, '--slack', '1500', '--email', '400', '--nlq', '500', '-q'], {
        cwd: tmp.dir,
        env: { DNR_COMMS__SAMPLE_POLICY: 'uniform' },
      });
      expect(r.exitCode, r.stderr).toBe(0);
      const c = path.join(tmp.dir, 'comms', archetype);
      const m = path.join(tmp.dir, 'meta', archetype);
      const rows = await withDuckDB({ timeZone: 'UTC' }, (conn) =>
        queryRows<{ relevance: string | null; theme: string | null; text: string; source: string }>(
          conn,
          `SELECT l.relevance, l.theme, string_agg(s.text, ' ' ORDER BY s.message_id) AS text, 'thread' AS source
             FROM '${c}/slack_messages.parquet' s JOIN '${m}/labels_slack.parquet' l USING (thread_id) GROUP BY l.thread_id, l.relevance, l.theme
           UNION ALL SELECT l.relevance, l.theme, subject || ' ' || body_text, 'thread' FROM '${c}/email_messages.parquet' e JOIN '${m}/labels_email.parquet' l USING (thread_id)
           UNION ALL SELECT NULL, l.theme, query_text, 'nlq' FROM '${c}/nlq.parquet' q JOIN '${m}/labels_nlq.parquet' l USING (query_id)`,
        ),
      );
      corpus.push(...rows);
    }
  });
  afterAll(() => tmp.cleanup());

  it('naive Bayes trained on the corpus alone scores the hand-written threads and NLQs above the eval gates', () => {
    const hw = loadHandwritten();
    const threads = corpus.filter((d) => d.source === 'thread');
    const relevance = trainNaiveBayes(threads.map((d) => ({ text: d.text, label: d.relevance as string })));
    const theme = trainNaiveBayes(threads.filter((d) => d.relevance === 'positive').map((d) => ({ text: d.text, label: d.theme as string })));
    const nlq = trainNaiveBayes(corpus.filter((d) => d.source === 'nlq').map((d) => ({ text: d.text, label: d.theme as string })));

    const rel = macroF1(hw.threads.map((t) => t.relevance), hw.threads.map((t) => relevance(threadText(t))));
    const positives = hw.threads.filter((t) => t.relevance === 'positive');
    const th = macroF1(positives.map((t) => t.theme as string), positives.map((t) => theme(threadText(t))));
    const nq = macroF1(hw.nlq.map((q) => q.theme), hw.nlq.map((q) => nlq(q.text)));
    console.info(`naive Bayes on hand-written: relevance ${rel.toFixed(3)} (n=${hw.threads.length}), theme ${th.toFixed(3)} (n=${positives.length}), nlq ${nq.toFixed(3)} (n=${hw.nlq.length})`);
    expect(hw.threads.length).toBeGreaterThan(30);
    expect(rel).toBeGreaterThanOrEqual(0.75);
    expect(th).toBeGreaterThanOrEqual(0.8);
    expect(nq).toBeGreaterThanOrEqual(0.72);
  });
});
