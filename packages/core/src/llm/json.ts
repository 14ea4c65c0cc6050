/** Parse a model answer as JSON; `{ok: false}` when it is not a JSON value. */
export function tryParseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * End of the balanced `{…}` that opens at `start` (string- and escape-aware), or -1 when the text
 * ends first (a truncated answer).
 */
function balancedEnd(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const ch = s[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Parse one candidate, also without trailing commas (`{"a": 1,}`). */
function parseCandidate(text: string): Record<string, unknown> | undefined {
  for (const t of [text, text.replace(/,\s*([}\]])/g, '$1')]) {
    const p = tryParseJson(t);
    if (p.ok && isObject(p.value)) return p.value;
  }
  return undefined;
}

/** Most `{` starts tried in one answer: an answer is a few hundred tokens, prose rarely has more braces. */
const MAX_STARTS = 64;

/**
 * The JSON object in a model's answer (reasoning blocks already removed, see `answerText`): the whole
 * text, else the first fenced block, else the first balanced `{…}` that parses — so prose before,
 * trailing text after ("…} Hope this helps"), a BOM, code fences and trailing commas are tolerated.
 * Only objects count (every dnr answer is an object). A truncated object is never completed by guessing:
 * undefined, and the caller decides (repair request, or a truncation failure).
 */
export function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  const text = raw.replace(/^\uFEFF/, '').trim();
  const whole = parseCandidate(text);
  if (whole) return whole;
  const fence = /```[a-zA-Z]*\s*\n?([\s\S]*?)```/.exec(text);
  if (fence) {
    const inner = parseJsonObject(fence[1]);
    if (inner) return inner;
  }
  let from = 0;
  for (let n = 0; n < MAX_STARTS; n++) {
    const start = text.indexOf('{', from);
    if (start < 0) return undefined;
    const end = balancedEnd(text, start);
    if (end < 0) return undefined;
    const value = parseCandidate(text.slice(start, end + 1));
    if (value) return value;
    from = start + 1;
  }
  return undefined;
}
