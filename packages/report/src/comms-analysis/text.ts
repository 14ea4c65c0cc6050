import { stripEmailQuoting } from './email-text.js';
import { reduceLinks } from './links.js';

export { quotedHistory, stripEmailQuoting } from './email-text.js';

/**
 * Text helpers shared by the prefilter, the rules engine, the LLM prompt builder and entity extraction.
 * `cleanMessageText` is the one owner of "what a person wrote": Slack mrkdwn reduced to words, e-mail
 * quoted replies, forwarded headers and signatures removed. `normalizeText` then lower-cases for matching.
 */

/** Lower-case, unify quotes/dashes, collapse whitespace; keeps `_` and `.` so identifiers survive. */
export function normalizeText(text: string): string {
  return expandContractions(
    text
      .toLowerCase()
      .replace(/[\u2018\u2019`]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2013\u2014]/g, '-')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/**
 * Chat drops apostrophes ("isnt", "dont", "doesnt"): restore them so "isnt" and "isn't" read the same.
 * Input is lower case.
 */
const CONTRACTIONS = /\b(is|are|was|were|do|does|did|has|have|had|wo|ca|could|should|would|must)nt\b/g;
export function expandContractions(text: string): string {
  return text.replace(CONTRACTIONS, (_m, w: string) => `${w}n't`);
}

/** What a person wrote in one message, as plain words (case kept): see `stripEmailQuoting` and `slackToWords`. */
export function cleanMessageText(raw: string): string {
  return slackToWords(stripEmailQuoting(raw));
}

/** `cleanMessageText` then `normalizeText`: the text every classifier feature reads. */
export function featureText(raw: string): string {
  return normalizeText(cleanMessageText(raw));
}

/**
 * Slack mrkdwn to words: links reduced to their label and kind (`reduceLinks`: `<url|label>` → label and
 * a word such as `datatoollink`, raw URLs → that word), `<@U…>` mentions dropped, `<#C…|name>` → name,
 * `:emoji:` codes dropped (`EMOJI_CODES`), `*bold*`, `_italic_`, `~strike~`, `` `code` `` and ``` blocks
 * unwrapped (their words kept), HTML entities decoded. `_` inside a word is kept, so `fact_order_item`
 * and `_dbt_loaded_at` style identifiers survive; only `_` that opens/closes a span at a word edge is markup.
 */
export function slackToWords(text: string): string {
  return reduceLinks(text)
    .replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/<!(?:here|channel|everyone)(?:\|[^>]*)?>/g, ' ')
    .replace(/<#C[A-Z0-9]+\|([^>]*)>/g, ' $1 ')
    .replace(/<#C[A-Z0-9]+>/g, ' ')
    .replace(/```/g, '\n')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(span('*'), '$1$2')
    .replace(span('_'), '$1$2')
    .replace(span('~'), '$1$2')
    .replace(EMOJI_CODES, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/**
 * A run of Slack emoji codes (`:eyes:`, `:eyes::eyes:`, `:+1::skin-tone-3:`, `:white_check_mark:`), wherever
 * it stands: glued to a word (`done:tada:`), in brackets, at a line's start or end. A name is lower-case
 * letters, digits and `_+'-` with at least one letter (or `+1`, `-1`, `100`, `1234`), so times (`10:30`,
 * `09:00:00`) never match. Not a code: a run preceded by `:`, `[` or a digit (SQL casts `amount::numeric::text`,
 * Python slices `a[:n:]`, `10:30am:`) or followed by a word character, `:` or `]` (`db:schema:table`, `a[1:n:2]`).
 */
const EMOJI_NAME = String.raw`(?:[a-z0-9_+'-]*[a-z][a-z0-9_+'-]*|[+-]1|100|1234)`;
const EMOJI_CODES = new RegExp(String.raw`(?<![:\[\d])(?::${EMOJI_NAME}:)+(?![\w:\]])`, 'g');

/**
 * A mrkdwn span `<m>words<m>`: opens after a space/bracket/quote, starts and ends with a non-space
 * character that is not the marker, closes before a space/punctuation. So `count(*)` and `a * b` stay,
 * and `fact_order_item` keeps its underscores.
 */
function span(marker: '*' | '_' | '~'): RegExp {
  const m = `\\${marker}`;
  // Inside an italic span underscores are words' own (`_fact_order_item_`); bold/strike spans stop at their marker.
  const inner = marker === '_' ? '[^\\n]' : `[^${m}\\n]`;
  return new RegExp(`(^|[\\s(\\[{"'])${m}([A-Za-z0-9'"$#@%]${inner}*?(?<=[^\\s${m}]))${m}(?=$|[\\s.,!?:;)\\]}"'])`, 'gm');
}

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Local calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(ts: Date, timeZone: string): string {
  return dayFormatter(timeZone).format(ts);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}
