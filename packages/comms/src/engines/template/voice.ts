import type { Role } from '@dnr/core';
import type { Rand } from './grammar.js';

/** How one person writes: kept per user so a thread reads like several different people. */
export interface Voice {
  register: 'terse' | 'plain' | 'rambling' | 'exec';
  /** Probability that a long word carries a typo. */
  typoRate: number;
  lowercase: boolean;
  abbreviate: boolean;
  /** Ends sentences with punctuation. */
  punctuate: boolean;
  emoji: number;
}

/** Voice of a user from three uniforms drawn for that user. */
export function voiceFor(role: Role, u1: number, u2: number, u3: number): Voice {
  if (role === 'exec') return { register: 'exec', typoRate: u2 < 0.7 ? 0 : 0.01, lowercase: false, abbreviate: false, punctuate: true, emoji: 0 };
  const register = u1 < 0.3 ? 'terse' : u1 < 0.78 ? 'plain' : 'rambling';
  return {
    register,
    typoRate: u2 < 0.45 ? 0 : u2 < 0.85 ? 0.025 : 0.06,
    lowercase: register === 'terse' ? u3 < 0.8 : u3 < 0.25,
    abbreviate: register === 'terse' || u3 > 0.6,
    punctuate: register !== 'terse' && u3 > 0.3,
    emoji: u1 > 0.5 ? 0.12 : 0.03,
  };
}

const ABBREVIATIONS: [RegExp, string[]][] = [
  [/\bplease\b/gi, ['pls', 'plz']],
  [/\bthanks\b/gi, ['thx', 'ty', 'tks']],
  [/\bbecause\b/gi, ['bc', 'b/c', 'cuz']],
  [/\bright now\b/gi, ['rn']],
  [/\bpeople\b/gi, ['ppl']],
  [/\bproduction\b/gi, ['prod']],
  [/\byesterday\b/gi, ['yday', 'yest']],
  [/\btomorrow\b/gi, ['tmrw', 'tmr']],
  [/\bwithout\b/gi, ['w/o']],
  [/\bwith\b/gi, ['w/']],
  [/\bdashboard\b/gi, ['dash', 'dashbd']],
  [/\bduplicates\b/gi, ['dupes', 'dups']],
  [/\btransactions\b/gi, ['txns', 'trxns']],
  [/\bcustomers\b/gi, ['custs']],
  [/\binformation\b/gi, ['info']],
  [/\bI don't know\b/gi, ['idk']],
  [/\bto be honest\b/gi, ['tbh']],
  [/\bas far as I know\b/gi, ['afaik']],
  [/\bfor your information\b/gi, ['fyi']],
  [/\bminutes\b/gi, ['mins']],
  [/\bhours\b/gi, ['hrs']],
  [/\bdatabase\b/gi, ['db']],
  [/\bapproximately\b|\babout\b/gi, ['~', 'approx']],
  [/\byou\b/gi, ['u']],
  [/\bare\b/gi, ['r']],
];

const RAMBLE_OPEN = [
  'so, ',
  'ok so ',
  'hey all, ',
  'hi team, ',
  'not sure if this is the right channel but ',
  'sorry if this was asked before, ',
  'this might be nothing but ',
  'quick one, maybe a dumb question: ',
  'apologies for the long message, ',
  'hmm ok, ',
  'morning! ',
  'random q: ',
];
const RAMBLE_CLOSE = [
  ' anyway, lmk',
  ' happy to pair on it',
  ' no rush, but we need it for thursday',
  ' thanks in advance!',
  ' not urgent-ish',
  ' or am I missing something?',
  ' i can dig more after my next meeting',
  ' (sorry, long week)',
  ' lmk if i should open a ticket instead',
  ' does that make sense?',
];
const TERSE_TAIL = ['', '', '', ' ?', ' pls', ' asap', ' fyi'];

function typo(word: string, rand: Rand): string {
  const i = 1 + Math.floor(rand() * (word.length - 2));
  const kind = rand();
  if (kind < 0.4) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (kind < 0.7) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word[i] + word.slice(i);
}

/** Apply a voice to a message: register, abbreviations, casing, typos, emoji. */
export function applyVoice(text: string, voice: Voice, rand: Rand, emojis: readonly string[], isRoot: boolean): string {
  let s = text;
  if (voice.register === 'rambling') {
    if (rand() < 0.55) s = RAMBLE_OPEN[Math.floor(rand() * RAMBLE_OPEN.length)] + s;
    if (rand() < 0.45) s = (/[.!?:]$/.test(s) ? s : `${s}.`) + RAMBLE_CLOSE[Math.floor(rand() * RAMBLE_CLOSE.length)];
  }
  if (voice.register === 'exec') {
    s = s.charAt(0).toUpperCase() + s.slice(1);
    if (!/[.?!]$/.test(s)) s += '.';
    if (!isRoot && rand() < 0.3) s = `Thanks. ${s}`;
    return s;
  }
  if (voice.abbreviate) {
    for (const [re, subs] of ABBREVIATIONS) {
      if (rand() < 0.55) s = s.replace(re, () => subs[Math.floor(rand() * subs.length)]);
    }
  }
  if (voice.typoRate > 0) {
    // only plain words: identifiers, urls and code stay intact
    s = s.replace(/(^|\s)([A-Za-z]{5,})(?=[\s,.?!]|$)/g, (m, pre: string, w: string) => (rand() < voice.typoRate ? pre + typo(w, rand) : m));
  }
  if (voice.lowercase && !s.includes('`')) s = s.toLowerCase();
  if (voice.register === 'terse') s = s.replace(/[.]$/, '') + TERSE_TAIL[Math.floor(rand() * TERSE_TAIL.length)];
  else if (voice.punctuate && !/[.?!)`]$/.test(s)) s += '.';
  if (rand() < voice.emoji) s += ` ${emojis[Math.floor(rand() * emojis.length)]}`;
  return s;
}
