import type { Role } from '@dnr/core';
import type { EmailPlan, SlackThreadPlan } from '../../plan.js';
import { fillSlot, type ThreadContext } from './context.js';
import { expand, type Rand } from './grammar.js';
import { CHATTER_TAILS, DATA_TAILS, EMOJIS, GENERIC_REPLIES, HARD_NEGATIVE_SCENARIOS, NEGATIVE_REPLIES, NEGATIVE_SCENARIOS, type Scenario } from './lexicon-other.js';
import { THEME_LEXICON } from './lexicon-themes.js';
import { applyVoice, type Voice } from './voice.js';

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

function say(pattern: string, ctx: ThreadContext, rand: Rand): string {
  return expand(pattern, rand, (name) => fillSlot(name, ctx, rand));
}

function scenarioOf(relevance: 'hard_negative' | 'negative', scenario: number): Scenario {
  const list = relevance === 'hard_negative' ? HARD_NEGATIVE_SCENARIOS : NEGATIVE_SCENARIOS;
  return list[scenario % list.length];
}

/** A reply of one to four words usually gets a second clause, as people write. */
function lengthen(text: string, tails: readonly string[], ctx: ThreadContext, rand: Rand): string {
  if (text.split(/\s+/).length > 5 || rand() < 0.12) return text;
  const tail = say(pick(rand, tails), ctx, rand);
  const sep = /[!?.]$/.test(text) ? ' ' : pick(rand, [', ', ' - ', '. ', ' ']);
  return `${text}${sep}${tail}`;
}

type Move = 'diag' | 'detail' | 'generic' | 'fix' | 'pending';

/** The shape of a data thread: at least one diagnosis, details, chatter, and an ending. */
function moves(n: number, indirect: boolean, rand: Rand): Move[] {
  const out: Move[] = [];
  const replies = n - 1;
  for (let m = 0; m < replies; m++) {
    if (m === replies - 1 && replies >= 2) {
      const u = rand();
      out.push(u < 0.5 ? 'fix' : u < 0.75 ? 'pending' : 'generic');
      continue;
    }
    const u = rand();
    out.push(u < 0.34 ? 'diag' : u < 0.62 ? 'detail' : 'generic');
  }
  // The theme must be carried: an indirect root gets a diagnosis as the first reply, any thread at least one.
  if (indirect) out[0] = 'diag';
  else if (!out.includes('diag')) out[Math.min(1, out.length - 1)] = 'diag';
  return out;
}

/** The messages of one Slack thread, in order (root first). */
export function slackThreadTexts(plan: SlackThreadPlan, ctx: ThreadContext, voices: Voice[], roles: Role[], rand: Rand): string[] {
  const n = plan.ts.length;
  const texts: string[] = [];
  const { label } = plan;
  if (label.relevance === 'positive' && label.theme) {
    const lex = THEME_LEXICON[label.theme];
    const exec = roles[0] === 'exec';
    const indirect = !exec && rand() < 0.22;
    const root = exec ? pick(rand, lex.exec) : indirect ? pick(rand, lex.indirect) : pick(rand, lex.roots);
    texts.push(say(root, ctx, rand));
    const used = new Set<string>();
    for (const move of moves(n, indirect, rand)) {
      const pool = move === 'generic' ? GENERIC_REPLIES : lex[move];
      // avoid repeating a pattern inside a thread
      let p = pick(rand, pool);
      for (let tries = 0; used.has(p) && tries < 4; tries++) p = pick(rand, pool);
      used.add(p);
      texts.push(move === 'generic' ? lengthen(say(p, ctx, rand), DATA_TAILS, ctx, rand) : say(p, ctx, rand));
    }
  } else {
    const sc = scenarioOf(label.relevance as 'hard_negative' | 'negative', label.scenario);
    texts.push(say(pick(rand, sc.roots), ctx, rand));
    const used = new Set<string>();
    for (let m = 1; m < n; m++) {
      // Threads stay on their (non-data) scenario, with some all-purpose chatter.
      const pool = rand() < 0.8 ? sc.replies : NEGATIVE_REPLIES;
      let p = pick(rand, pool);
      for (let tries = 0; used.has(p) && tries < 4; tries++) p = pick(rand, pool);
      used.add(p);
      texts.push(lengthen(say(p, ctx, rand), CHATTER_TAILS, ctx, rand));
    }
  }
  return texts.map((t, m) => applyVoice(t, voices[m], rand, EMOJIS, m === 0));
}

const GREETINGS = ['(Hi|Hello|Hey) (all|team|everyone),', '(Hi|Hello) (data team|folks),', 'Team,', '(Good morning|Morning) (all|team),', ''];
const CLOSINGS = ['(Thanks|Thank you|Many thanks),', '(Best|Best regards|Regards),', 'Cheers,', '(Thanks in advance|Appreciate the help),', ''];
const SIGNATURES: Record<Role, string[]> = {
  exec: ['Leadership team', 'Office of the COO', 'Exec team'],
  data_eng: ['Data Engineering', 'Data Platform team', 'DE on-call'],
  analytics_eng: ['Analytics Engineering', 'AE team'],
  bi: ['BI team', 'Reporting & BI'],
  product_analytics: ['Product Analytics', 'Growth analytics'],
  eng_platform: ['Platform Engineering', 'Infra team'],
  pm: ['Product', 'Product Management'],
  finance: ['Finance', 'FP&A', 'Finance Ops'],
  other: ['Operations', 'People team', 'Workplace team', 'Customer Support'],
};

/** Subject and body of one email. */
export function emailText(plan: EmailPlan, ctx: ThreadContext, voice: Voice, role: Role, rand: Rand): { subject: string; body: string } {
  const { label } = plan;
  let subject: string;
  let core: string;
  if (label.relevance === 'positive' && label.theme) {
    const lex = THEME_LEXICON[label.theme];
    subject = say(pick(rand, lex.subjects), ctx, rand);
    core = say(pick(rand, lex.emailBodies), ctx, rand);
    if (rand() < 0.35) core += ` ${say(pick(rand, lex.diag), ctx, rand).replace(/^./, (c) => c.toUpperCase())}.`;
  } else {
    const sc = scenarioOf(label.relevance as 'hard_negative' | 'negative', label.scenario);
    // subjects and bodies of a scenario are written in pairs (same index)
    const j = Math.floor(rand() * sc.emailBodies.length);
    subject = say(sc.subjects[j % sc.subjects.length], ctx, rand);
    core = say(sc.emailBodies[j], ctx, rand);
  }
  // Bodies that open with their own greeting get no second one.
  const greeting = /^(hi|hello|hey|team|good morning|morning|please|everyone)\b/i.test(core) ? '' : say(pick(rand, GREETINGS), ctx, rand);
  const closing = say(pick(rand, CLOSINGS), ctx, rand);
  const sig = pick(rand, SIGNATURES[role]);
  // E-mail is more composed than chat: no chat openers, abbreviations or emoji; typos stay.
  const styled = voice.register === 'exec' ? core : applyVoice(core, { ...voice, lowercase: false, abbreviate: false, emoji: 0, register: 'plain' }, rand, EMOJIS, true);
  const body = [greeting, styled, closing ? `${closing}\n${sig}` : `- ${sig}`].filter(Boolean).join('\n\n');
  return { subject: subject.replace(/^./, (c) => c.toUpperCase()), body };
}
