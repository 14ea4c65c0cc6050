import { distance } from 'fastest-levenshtein';

/**
 * "Did you mean …?" for a mistyped command, flag, option value or config key: the candidate with the
 * smallest edit distance (case-insensitive), if it is close enough to be a typo — at most a third of the
 * longer word's length, and at least 1 edit allowed for short words — or if one is a prefix of the
 * other (`--arch` → `--archetype`). Ties go to the earlier candidate, so callers order them by preference.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const typed = input.toLowerCase();
  let best: { candidate: string; edits: number } | undefined;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === typed) return candidate;
    const edits = c.startsWith(typed) && typed.length >= 3 ? 0.5 : distance(typed, c);
    const allowed = Math.max(1, Math.floor(Math.max(typed.length, c.length) / 3));
    if (edits <= allowed && (!best || edits < best.edits)) best = { candidate, edits };
  }
  return best?.candidate;
}

/** ` Did you mean "x"?` or the empty string, to append to a message. */
export function didYouMean(input: string, candidates: Iterable<string>, quote: (s: string) => string = (s) => `"${s}"`): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` Did you mean ${quote(match)}?`;
}
