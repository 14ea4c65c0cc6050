/**
 * E-mail text as the sender wrote it in this message: quoted replies, reply and forward header blocks (in the
 * languages mail clients write them), legal disclaimers, signatures and client footers removed. Used through
 * `text.ts` (`cleanMessageText`), which re-exports `stripEmailQuoting` and `quotedHistory`.
 */

// A reply header ends the new text: Gmail/Apple "On Tue, 3 Jun 2025 at 09:12, Ana <a@x> wrote:" (may wrap onto
// two lines) and its French/German/Spanish/Italian/Dutch/Nordic/Portuguese forms ("Le … a écrit :", "Am … schrieb
// …:"), Outlook's "-----Original Message-----" rule in the languages Outlook writes it, and its underscore rule.
const ORIGINAL_MESSAGE = [
  'original message',
  'ursprüngliche nachricht',
  'original-nachricht',
  'mensaje original',
  'mensagem original',
  "message d['\u2019]origine",
  'oorspronkelijk bericht',
  'messaggio originale',
  'originalmeddelande',
  'oprindelig meddelelse',
  'opprinnelig melding',
  'alkuperäinen viesti',
  'wiadomość oryginalna',
].join('|');
const REPLY_HEADER = new RegExp(
  [
    String.raw`^\s*on\b[^\n]{0,200}?(?:\n[^\n]{0,120}?)?\bwrote:\s*$`,
    String.raw`^\s*(?:le|am|el|il|op|den|em)\b[^\n]{0,200}?(?:\n[^\n]{0,120}?)?(?:a écrit|schrieb|escribió|ha scritto|schreef|skrev|escreveu)[^\n]{0,120}?:\s*$`,
    String.raw`^\s*-{2,}\s*(?:${ORIGINAL_MESSAGE})\s*-{2,}`,
    String.raw`^\s*_{5,}\s*$`,
  ].join('|'),
  'im',
);
// Outlook's quoted-message header block, in the languages Outlook localises it to: a "From:" line ("De:",
// "Von:", "Van:", "Da:", "Fra:", "Från:", "Od:", "Lähettäjä:"; French puts a space before the colon: "De :")
// then "Sent:"/"Date:"/"To:"/"Subject:"/"Cc:" (or their forms: "Enviado el:", "Enviada em:", "Gesendet:",
// "Verzonden:", "Envoyé :", "Inviato:", "Sendt:", "Skickat:", "Para:", "An:", "Aan:", "À :", "A:", "Til:",
// "Asunto:", "Assunto:", "Betreff:", "Onderwerp:", "Objet :", "Oggetto:", "Emne:", "Ämne:" …) within three
// lines. Outlook's HTML-to-text form bolds the names: "*From:* …". After a forwarding mark the same block is a
// forward's header.
const KEY_END = String.raw`\*?[ \t\u00a0\u202f]*:\*?`;
const FROM_KEY = String.raw`[ \t]*\*?(?:from|de|von|van|da|fra|från|od|lähettäjä)${KEY_END}`;
const OTHER_KEYS = [
  'sent', 'date', 'to', 'subject', 'cc', 'bcc', 'reply-to',
  'enviado(?: el| em)?', 'enviada(?: el| em)?', 'fecha', 'data', 'para', 'asunto', 'assunto', 'cco',
  'gesendet', 'datum', 'an', 'betreff', 'kopie',
  'verzonden', 'aan', 'onderwerp',
  'envoyé', 'envoye', 'à', 'objet', 'sujet', 'pour',
  'inviato', 'a', 'oggetto',
  'sendt', 'skickat', 'til', 'till', 'emne', 'ämne', 'kopi', 'kopia',
  'lähetetty', 'vastaanottaja', 'aihe', 'wysłano', 'do', 'temat', 'dw',
].join('|');
const OTHER_KEY = String.raw`[ \t]*\*?(?:${OTHER_KEYS})${KEY_END}`;
const HEADER_BLOCK = new RegExp(String.raw`^${FROM_KEY}[^\n]*\n(?:[^\n]*\n){0,2}?${OTHER_KEY}`, 'gim');
const FROM_LINE = new RegExp(String.raw`^${FROM_KEY}`, 'i');
const ANY_HEADER_LINE = new RegExp(String.raw`^(?:${FROM_KEY}|${OTHER_KEY})`, 'i');
// Forwarded mail keeps its body (it is what the sender wants read) but loses the header block. Marks as Gmail,
// Outlook and Apple Mail write them in English, German, Spanish, Portuguese, French, Dutch, Italian and Nordic.
const FORWARD_MARKS = [
  'forwarded message',
  'begin forwarded message',
  'weitergeleitete nachricht',
  'anfang der weitergeleiteten nachricht',
  'mensaje reenviado',
  'inicio del mensaje reenviado',
  'mensagem encaminhada',
  'mensagem reencaminhada',
  'início da mensagem reencaminhada',
  'message transféré',
  'message transfere',
  'début du message réexpédié',
  'doorgestuurd bericht',
  'begin doorgestuurd bericht',
  'messaggio inoltrato',
  'inizio messaggio inoltrato',
  'videresendt melding',
  'videresendt meddelelse',
  'vidarebefordrat meddelande',
  'välitetty viesti',
  'wiadomość przekazana dalej',
].join('|');
const FORWARD_MARK = new RegExp(String.raw`^\s*-*\s*(?:${FORWARD_MARKS})[\s-]*:?\s*$`, 'gim');
// A forward's subject ("Subject: Fwd: …", "FW: …", "WG:", "TR:", "RV:", "ENC:", "Doorst:", "I:", "VB:", "VS:"):
// its From/Sent block heads the forwarded body, not a quoted reply.
const FORWARD_SUBJECT = /^\s*(?:subject:\s*)?(?:(?:re|aw|sv|antw|res|r|ris|rif):\s*)*(?:fwd?|wg|tr|rv|enc|doorst|i|vb|vs|vl|pd):/i;
// English header lines are removed wherever they stand (a forward's header under its mark); other languages'
// keys ("A:", "Data:", "Para:") are everyday words, so their lines go only inside a header block (`headerBlockLines`).
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
  let text = dropHeaderBlocks(splitReply(raw.replace(/\r\n?/g, '\n')).own);
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
    if (!underForwardMark(text.slice(0, m.index))) {
      starts.push(m.index);
      break;
    }
  }
  return starts.length > 0 ? Math.min(...starts) : -1;
}

/** Whether the text before a header block ends with a forwarding mark, with only header lines, blank lines or up to two other lines between them. */
function underForwardMark(before: string): boolean {
  const lines = before.split('\n');
  let other = 0;
  for (let i = lines.length - 1; i >= 0 && lines.length - i <= 12; i--) {
    FORWARD_MARK.lastIndex = 0;
    if (FORWARD_MARK.test(lines[i])) return true;
    if (lines[i].trim() !== '' && !ANY_HEADER_LINE.test(lines[i]) && ++other > 2) return false;
  }
  return false;
}

/**
 * Remove the lines of every header block left in the text (a forward's "De: … / Enviado el: … / Asunto: …"):
 * a "From:"-type line followed within three lines by another header line, or any header line right under a
 * forwarding mark (Thunderbird starts with "Subject:"/"Sujet :"), and the header lines after it; a wrapped
 * line (an address list continued) is included when a header line follows it.
 */
function dropHeaderBlocks(text: string): string {
  FORWARD_MARK.lastIndex = 0;
  const marked = FORWARD_MARK.test(text);
  FORWARD_MARK.lastIndex = 0;
  if (!marked && !isHeaderBlock(text, false)) return text;
  const lines = text.split('\n');
  const drop = new Set<number>();
  let underMark = false;
  for (let i = 0; i < lines.length; i++) {
    FORWARD_MARK.lastIndex = 0;
    if (FORWARD_MARK.test(lines[i])) {
      underMark = true;
      continue;
    }
    const starts = (underMark && ANY_HEADER_LINE.test(lines[i])) || (FROM_LINE.test(lines[i]) && isHeaderBlock(lines.slice(i, i + 4).join('\n')));
    if (lines[i].trim() !== '') underMark = false;
    if (!starts) continue;
    let j = i;
    while (j < lines.length && j - i < 10) {
      if (ANY_HEADER_LINE.test(lines[j])) j++;
      else if (lines[j].trim() !== '' && j + 1 < lines.length && ANY_HEADER_LINE.test(lines[j + 1])) j += 2;
      else break;
    }
    for (let k = i; k < j; k++) drop.add(k);
    i = j - 1;
  }
  FORWARD_MARK.lastIndex = 0;
  return drop.size === 0 ? text : lines.filter((_l, k) => !drop.has(k)).join('\n');
}

/** Whether `text` starts with a header block (`atStart`), or has one anywhere. */
function isHeaderBlock(text: string, atStart = true): boolean {
  HEADER_BLOCK.lastIndex = 0;
  const m = HEADER_BLOCK.exec(text);
  HEADER_BLOCK.lastIndex = 0;
  return m !== null && (!atStart || m.index === 0);
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
