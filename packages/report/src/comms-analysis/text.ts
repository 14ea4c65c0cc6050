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

// A reply header ends the new text: "On Tue, 3 Jun 2025 at 09:12, Ana <a@x> wrote:" (may wrap onto two lines),
// Outlook's "-----Original Message-----" and its "From: … Sent: …" block.
const REPLY_HEADER = /^\s*(?:on\b[^\n]{0,200}?(?:\n[^\n]{0,120}?)?\bwrote:\s*$|-{2,}\s*original message\s*-{2,}|_{5,}\s*$|from:[^\n]*\n\s*sent:)/im;
// Forwarded mail keeps its body (it is what the sender wants read) but loses the header block.
const FORWARD_MARK = /^\s*-{2,}\s*(?:forwarded message|begin forwarded message)\s*-{0,}:?\s*$|^\s*begin forwarded message:\s*$/gim;
const HEADER_LINE = /^\s*(?:from|sent|to|cc|bcc|date|subject|reply-to):\s.*$/gim;
// "-- " (RFC 3676 signature separator), or a sign-off line followed only by a few short lines (name, title, phone).
const SIG_SEPARATOR = /^--\s*$/m;
const SIGN_OFF = /^\s*(?:thanks|thank you|many thanks|thx|cheers|best|best regards|kind regards|regards|warm regards|all the best|sincerely|br)[,.!]?\s*$/i;
const MOBILE_FOOTER = /^\s*(?:sent from my \w+|get outlook for \w+).*$/gim;

/**
 * Remove what the sender did not write in this message: quoted reply lines (`> …`), everything after a
 * reply header ("On … wrote:", "-----Original Message-----"), forwarded-message header lines, the
 * signature after "-- " or after a closing sign-off ("Thanks,\nAna\nFinance | Example Co"), and mobile
 * footers. A subject line (`Subject: …`) at the very top is kept: it is the sender's own words.
 */
export function stripEmailQuoting(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n');
  const header = REPLY_HEADER.exec(text);
  if (header && header.index > 0) text = text.slice(0, header.index);
  const subject = /^\s*subject:\s.*$/im.exec(text);
  const keepSubject = subject && subject.index === text.search(/\S/) ? subject[0] : null;
  text = text
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .replace(FORWARD_MARK, '')
    .replace(HEADER_LINE, '')
    .replace(MOBILE_FOOTER, '');
  if (keepSubject) text = `${keepSubject.trim()}\n${text}`;
  const sep = SIG_SEPARATOR.exec(text);
  if (sep && sep.index > 0) text = text.slice(0, sep.index);
  return cutSignOff(text).trim();
}

/** Drop a closing sign-off and the ≤ 4 short lines after it (name, title, phone), when they end the text. */
function cutSignOff(text: string): string {
  const lines = text.split('\n');
  for (let i = Math.max(1, lines.length - 6); i < lines.length; i++) {
    if (!SIGN_OFF.test(lines[i])) continue;
    const tail = lines.slice(i + 1).filter((l) => l.trim() !== '');
    if (tail.length <= 4 && tail.every((l) => l.trim().length <= 60)) return lines.slice(0, i).join('\n');
  }
  return text;
}

/**
 * Slack mrkdwn to words: `<@U…>` mentions dropped, `<#C…|name>` → name, `<url|label>` → label,
 * `<url>` → its host, `:emoji:` dropped, `*bold*`, `_italic_`, `~strike~`, `` `code` `` and ``` blocks
 * unwrapped (their words kept), HTML entities decoded. `_` inside a word is kept, so `fact_order_item`
 * and `_dbt_loaded_at` style identifiers survive; only `_` that opens/closes a span at a word edge is markup.
 */
export function slackToWords(text: string): string {
  return text
    .replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/<!(?:here|channel|everyone)(?:\|[^>]*)?>/g, ' ')
    .replace(/<#C[A-Z0-9]+\|([^>]*)>/g, ' $1 ')
    .replace(/<#C[A-Z0-9]+>/g, ' ')
    .replace(/<((?:https?|mailto):[^|>\s]+)\|([^>]*)>/g, (_m, url: string, label: string) => ` ${label} (${hostOf(url)}) `)
    .replace(/<((?:https?|mailto):[^|>\s]+)>/g, (_m, url: string) => ` ${hostOf(url)} `)
    .replace(/```/g, '\n')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(span('*'), '$1$2')
    .replace(span('_'), '$1$2')
    .replace(span('~'), '$1$2')
    .replace(/(^|\s):[a-z0-9_+'-]+:(?::skin-tone-\d:)?(?=$|\s|[.,!?])/gm, '$1')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

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

function hostOf(url: string): string {
  const m = /^(?:https?:\/\/)?(?:mailto:)?([^/?#:]+)/i.exec(url);
  return m ? m[1].replace(/^www\./, '') : '';
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
