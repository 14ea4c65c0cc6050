import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyRulesNlq, classifyRulesThreads, type CommsThread } from '../packages/report/dist/index.js';
import { REPO_ROOT } from './helpers/cli.js';
import { macroF1, nlqItem, themeMacroF1 } from './rules-engine-support.js';

interface SetThread { id: string; source: 'slack' | 'email'; relevance: string; theme: string | null; messages: Array<{ role: string; text: string }> }
interface SetFile { threads: SetThread[]; nlq: Array<{ id: string; theme: string; text: string; sql?: string }> }

/*
 * Hand-written sets (tests/fixtures/handwritten/*.json), none from the comms generator. Each was written
 * before the engine saw it and measured blind once (the "first" column: relevance / theme / NLQ theme
 * macro-F1); its misses then led to general fixes (new vocabulary and rules, never its exact sentences),
 * so none of them is blind any more. Every set must now meet the SPEC §8 gate levels.
 */
const SETS: Array<{ file: string; first: string; about: string }> = [
  { file: 'holdout.json', first: '0.616 / 0.444 / 0.583', about: 'plain reports, classic near misses' },
  { file: 'blind.json', first: '0.601 / 0.333 / 0.156', about: 'indirect wording' },
  { file: 'final-blind.json', first: '0.381 / 0.630 / 0.688', about: 'unfamiliar everyday senses' },
  { file: 'round5.json', first: '0.597 / 0.333 / 0.354', about: 'terse chat, typos, formal mail' },
  { file: 'round6.json', first: '0.442 / 0.481 / 0.708', about: 'problem stated in replies' },
  { file: 'round7.json', first: '0.587 / 0.593 / 0.333', about: 'non-data roles, long mail' },
  { file: 'round8.json', first: '0.789 / 0.422 / 0.688', about: 'SQL in text, archetype vocabulary' },
  { file: 'round9.json', first: '0.822 / 0.167 (2 positives) / 1.000', about: 'NLQ-heavy: questions, commands, fragments' },
  { file: 'round10.json', first: '0.680 / 0.444 / —', about: 'threads only: mixed topics, polite asks, jokes with data words' },
  { file: 'round11.json', first: '0.700 / 0.630 / 0.833', about: 'written last: the current first-contact estimate' },
  { file: 'round12.json', first: '0.856 / 0.778 / 1.000', about: 'tool jargon (dbt, Looker, Snowflake, Fivetran), terse asks' },
  { file: 'round13.json', first: '0.643 / 0.815 / 0.708', about: 'problem in replies, customer-facing and kitchen senses of data words' },
  { file: 'round14.json', first: '0.526 / 0.407 / 0.571', about: 'sales ops, support, CFO mail, hedged asks (written after reading the lexicon)' },
  { file: 'round15.json', first: '0.552 / 0.333 / 0.342', about: 'ops, marketing, CS voices, org/process senses (written after reading the lexicon)' },
  { file: 'round16.json', first: '0.610 / 0.444 / 0.563', about: 'partners, product and finance voices, half-sentence NLQ (written after reading the lexicon)' },
  { file: 'round17.json', first: '0.489 / 0.315 / 0.237', about: 'very short chat, forwarded mail, implied problems (written after reading the lexicon)' },
];

const T0 = Date.UTC(2026, 3, 2, 15, 0, 0);
const toThread = (h: SetThread): CommsThread => ({
  id: h.id,
  source: h.source,
  channel: 'c-handwritten',
  bucket: 'analytics',
  ts: new Date(T0),
  messages: h.messages.map((m, i) => ({ messageId: `${h.id}-${i}`, ts: new Date(T0 + i * 60_000), userId: `u${i}`, role: m.role as CommsThread['messages'][number]['role'], text: m.text, isRoot: i === 0, hasLink: false, linkDomains: [], hasAttachment: false, attachmentNames: [], hasCode: false })),
});

describe.each(SETS)('rules engine on hand-written $file ($about)', ({ file, first }) => {
  it('meets the gate levels (first blind measurement recorded in the table above)', () => {
    const set = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'handwritten', file), 'utf8')) as SetFile;
    const preds = classifyRulesThreads(set.threads.map(toThread));
    const truth = new Map(set.threads.map((t) => [t.id, t]));
    const rel = macroF1(preds.map((p) => truth.get(p.id)!.relevance), preds.map((p) => p.relevance));
    const theme = themeMacroF1(preds.map((p) => ({ truth: truth.get(p.id)!.theme, pred: p.theme })));
    const nlqPreds = classifyRulesNlq(set.nlq.map((q) => nlqItem(q)));
    const nlqTruth = new Map(set.nlq.map((q) => [q.id, q.theme]));
    const nlq = macroF1(nlqPreds.map((p) => nlqTruth.get(p.id)!), nlqPreds.map((p) => p.theme));
    const misses = [
      ...preds.filter((p) => p.relevance !== truth.get(p.id)!.relevance || p.theme !== truth.get(p.id)!.theme).map((p) => `${p.id}: ${p.relevance}/${p.theme}`),
      ...nlqPreds.filter((p) => p.theme !== nlqTruth.get(p.id)).map((p) => `${p.id}: ${p.theme}`),
    ];
    console.info(`${file} (threads n=${preds.length}, nlq n=${nlqPreds.length}): relevance ${rel.toFixed(3)}, theme ${theme.toFixed(3)}, NLQ ${nlqPreds.length > 0 ? nlq.toFixed(3) : "—"} (first blind: ${first}); misses: ${misses.join('; ') || 'none'}`);
    expect(rel).toBeGreaterThanOrEqual(0.75);
    expect(theme).toBeGreaterThanOrEqual(0.72);
    if (nlqPreds.length > 0) expect(nlq).toBeGreaterThanOrEqual(0.72);
  });
});
