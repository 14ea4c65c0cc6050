import { countTokens, truncateToTokens } from '@dnr/core';

const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const PHONE_RE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]\d{3}[\s.-]\d{4}\b/g;
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>)`'"]+/gi;

/**
 * Keep a message free of PII and foreign links (docs/comms.md): e-mail addresses and phone numbers are removed,
 * URLs survive only when their host is on the allowlist. Template text never contains them; LLM text might.
 */
export function scrubText(text: string, allowedDomains: readonly string[]): string {
  const allowed = new Set(allowedDomains);
  return text
    .replace(EMAIL_RE, '[email removed]')
    .replace(PHONE_RE, '[number removed]')
    .replace(URL_RE, (url) => (allowed.has(urlHost(url)) ? url : '[link removed]'));
}

function urlHost(url: string): string {
  return url
    .replace(/^https?:\/\//i, '')
    .replace(/^www\./i, '')
    .split(/[/?#:]/)[0]
    .toLowerCase();
}

/** Hosts of the links in a text, in order of first appearance. */
export function linkDomains(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const h = urlHost(m[0]);
    if (!out.includes(h)) out.push(h);
  }
  return out;
}

/** Inline or fenced code (backticks), or a bare SQL statement. */
export function hasCode(text: string): boolean {
  return text.includes('`') || /\bselect\b[\s\S]+\bfrom\b/i.test(text);
}

export { EMAIL_RE, PHONE_RE, URL_RE };

/** Cut a text to a token cap (model encoding), keeping it at a word boundary. */
export function capTokens(text: string, maxTokens: number, model: string): string {
  return capTokensCounted(text, maxTokens, model).text;
}

/** capTokens that also returns the token count of the result (one encode for the usual short text). */
export function capTokensCounted(text: string, maxTokens: number, model: string): { text: string; tokens: number } {
  const n = countTokens(text, model);
  if (n <= maxTokens) return { text, tokens: n };
  const cut = truncateToTokens(text, maxTokens, model);
  return { text: cut, tokens: countTokens(cut, model) };
}
