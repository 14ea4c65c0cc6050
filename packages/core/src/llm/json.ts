/** Parse a model answer as JSON; null when it is not a JSON value. */
export function tryParseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

/**
 * Local clean-up of the usual near-misses before any repair request: code fences, prose around one
 * object, trailing commas. A truncated answer is not guessed at here (that is what the repair request is for).
 * Returns the parsed value or undefined.
 */
export function cleanJson(raw: string): unknown {
  let s = raw.trim().replace(/^```(?:json)?\s*/i, '').replace(/```\s*$/, '').trim();
  const start = s.search(/[{[]/);
  if (start < 0) return undefined;
  s = s.slice(start);
  const end = Math.max(s.lastIndexOf('}'), s.lastIndexOf(']'));
  if (end < 0) return undefined;
  const parsed = tryParseJson(s.slice(0, end + 1).replace(/,\s*([}\]])/g, '$1'));
  return parsed.ok ? parsed.value : undefined;
}
