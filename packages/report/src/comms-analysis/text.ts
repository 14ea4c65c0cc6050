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

// A reply header ends the new text: Gmail/Apple "On Tue, 3 Jun 2025 at 09:12, Ana <a@x> wrote:" (may wrap onto
// two lines) and its French/German/Spanish/Italian/Dutch/Nordic/Portuguese forms ("Le … a écrit :", "Am … schrieb
// …:"), Outlook's "-----Original Message-----" and its underscore rule.
const REPLY_HEADER = new RegExp(
  [
    String.raw`^\s*on\b[^\n]{0,200}?(?:\n[^\n]{0,120}?)?\bwrote:\s*$`,
    String.raw`^\s*(?:le|am|el|il|op|den|em)\b[^\n]{0,200}?(?:\n[^\n]{0,120}?)?(?:a écrit|schrieb|escribió|ha scritto|schreef|skrev|escreveu)[^\n]{0,120}?:\s*$`,
    String.raw`^\s*-{2,}\s*original message\s*-{2,}`,
    String.raw`^\s*_{5,}\s*$`,
  ].join('|'),
  'im',
);
// Outlook's quoted-message header block ("From: …" then "Sent:"/"Date:"/"To:"/"Subject:" within three lines; Outlook's
// HTML-to-text form bolds the names: "*From:* …"). After a forwarding mark the same block is a forward's header.
const HEADER_BLOCK = /^[ \t]*\*?from:\*?[^\n]*\n(?:[^\n]*\n){0,2}?[ \t]*\*?(?:sent|date|to|subject|cc):/gim;
// Forwarded mail keeps its body (it is what the sender wants read) but loses the header block.
const FORWARD_MARK = /^\s*-*\s*(?:forwarded message|begin forwarded message)\s*-*:?\s*$/gim;
// A forward's subject ("Subject: Fwd: …", "FW: …"): its From/Sent block heads the forwarded body, not a quoted reply.
const FORWARD_SUBJECT = /^\s*(?:subject:\s*)?(?:(?:re|aw|sv):\s*)*(?:fwd?|wg|tr):/i;
const HEADER_LINE = /^\s*\*?(?:from|sent|to|cc|bcc|date|subject|reply-to):\*?\s.*$/gim;
// "-- " (RFC 3676 signature separator) or a dash rule alone on a line; a sign-off line ("Thanks,", "Best regards",
// "Thanks in advance,", "Cheers, Tom", "Best -- Tom") followed only by a few short lines (name, title, phone, address).
const SIG_SEPARATOR = /^(?:--|\u2014|\u2013)\s*$/m;
const SIGN_OFF =
  /^\s*(?:thanks in advance|thanks again|thanks so much|thanks a lot|many thanks|thank you|thanks|thx|ty|cheers|best wishes|best regards|kind regards|warm regards|regards|warmly|all the best|best|sincerely|br|rgds|talk soon|speak soon)(?![\w'])(.*)$/i;
// (longer sign-offs first: the first alternative that matches is the one whose tail is checked)
// What may follow a sign-off on its line: punctuation and a capitalised name of up to three words.
const SIGN_OFF_NAME = /^[,.!]*\s*(?:(?:-+|\u2013|\u2014)\s*)?(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2})?[,.!]*\s*$/;
const isSignOff = (line: string): boolean => {
  const m = SIGN_OFF.exec(line);
  return m !== null && SIGN_OFF_NAME.test(m[1]);
};
// Mobile and client footers: "Sent from my iPhone", "Sent from Yahoo Mail on Android", "Get Outlook for iOS".
const MOBILE_FOOTER = /^[ \t]*(?:sent (?:from|via|with|using) \S[^\n]{0,50}|get outlook for \w+[^\n]{0,30})$/gim;
// A legal disclaimer at the end of a mail ("CONFIDENTIALITY NOTICE: …", "This e-mail and any attachments are
// confidential …"): boilerplate whose words (confidential, personal data, intended recipient) are not the sender's.
const DISCLAIMER =
  /^\s*(?:\*{0,2}(?:confidentiality notice|confidentiality|disclaimer|privileged (?:and|&) confidential)\b|this (?:e-?mail|message|communication)\b[^\n]{0,80}?\b(?:is|are|may (?:be|contain)|contains?)\b[^\n]{0,40}?\b(?:confidential|privileged|intended (?:solely|only))|the information (?:contained )?in this (?:e-?mail|message|communication)\b)/im;

/**
 * Remove what the sender did not write in this message: quoted reply lines (`> …`), everything after a
 * reply header ("On … wrote:" and its other-language forms, "-----Original Message-----", Outlook's
 * "From: … Sent: …" block), forwarded-message header lines (a forward's body is kept), a legal disclaimer,
 * the signature after "-- " or after a closing sign-off ("Thanks,\nAna\nFinance | Example Co"), and mobile
 * footers. A subject line (`Subject: …`) at the very top is kept: it is the sender's own words.
 */
export function stripEmailQuoting(raw: string): string {
  let text = splitReply(raw.replace(/\r\n?/g, '\n')).own;
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
  for (const re of [DISCLAIMER, SIG_SEPARATOR]) {
    const m = re.exec(text);
    if (m && m.index > 0 && text.slice(0, m.index).trim() !== '') text = text.slice(0, m.index);
  }
  return cutSignOff(text).trim();
}

/**
 * An e-mail split at its reply header: `own` is the text before the header plus, when the quoted history
 * is `>`-marked, the unquoted lines after it (a bottom-posted or inline reply: "On … wrote:\n> question\n
 * answer"); `history` is what the sender quoted. Without a `>`-marked block under the header (Outlook's
 * "From: … Sent: …", Gmail top-posting) everything from the header on is history. A header at the very
 * top with no `>` block is not cut (nothing would be left).
 */
function splitReply(text: string): { own: string; history: string } {
  const cut = replyStart(text);
  if (cut < 0) return { own: text, history: '' };
  const header = REPLY_HEADER.exec(text.slice(cut));
  const afterHeader = header && header.index === 0 ? cut + header[0].length : -1;
  const below = afterHeader >= 0 ? text.slice(afterHeader).replace(/^\s*\n/, '') : '';
  if (afterHeader >= 0 && /^\s*>/.test(below)) {
    const lines = below.split('\n');
    const own = lines.filter((l) => !/^\s*>/.test(l)).join('\n');
    const quoted = lines.filter((l) => /^\s*>/.test(l)).join('\n');
    return { own: `${text.slice(0, cut)}\n${own}`, history: quoted };
  }
  if (cut === 0) return { own: text, history: '' };
  return { own: text.slice(0, cut), history: text.slice(cut) };
}

/**
 * The earlier messages an e-mail quotes (what `stripEmailQuoting` removes as history): the quoted part
 * under its reply header and the `> …` lines of its own part, with the `>` markers removed; '' when the
 * mail quotes nothing.
 */
export function quotedHistory(raw: string): string {
  const { own, history } = splitReply(raw.replace(/\r\n?/g, '\n'));
  const quoted = own.split('\n').filter((line) => /^\s*>/.test(line));
  return [...quoted, history].join('\n').replace(/^\s*(?:>\s?)+/gm, '').trim();
}

/** Where the quoted earlier message starts (a reply header, or a "From:" header block not under a forwarding mark); -1 when none. */
function replyStart(text: string): number {
  const starts: number[] = [];
  const header = REPLY_HEADER.exec(text);
  if (header) starts.push(header.index);
  const forward = FORWARD_SUBJECT.test(text.trimStart().split('\n', 1)[0] ?? '');
  for (const m of forward ? [] : text.matchAll(HEADER_BLOCK)) {
    const before = text.slice(Math.max(0, m.index - 120), m.index).split('\n').slice(-3).join('\n');
    FORWARD_MARK.lastIndex = 0;
    if (!FORWARD_MARK.test(before)) {
      starts.push(m.index);
      break;
    }
  }
  FORWARD_MARK.lastIndex = 0;
  return starts.length > 0 ? Math.min(...starts) : -1;
}

/** Drop a closing sign-off and the ≤ 8 short lines after it (name, title, phone, address), when they end the text. */
function cutSignOff(text: string): string {
  const lines = text.split('\n');
  for (let i = Math.max(1, lines.length - 12); i < lines.length; i++) {
    if (!isSignOff(lines[i])) continue;
    const tail = lines.slice(i + 1).filter((l) => l.trim() !== '');
    if (tail.length <= 8 && tail.every((l) => l.trim().length <= 80)) return lines.slice(0, i).join('\n');
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
