import { distance } from 'fastest-levenshtein';

/**
 * "Did you mean …?" for a mistyped command, flag, option value or config key: the candidate with the
 * smallest edit distance (case-insensitive, a swap of two neighbouring letters counting as one edit), if it is
 * close enough to be a typo — at most a third of the longer word's length, at least 1 — or if the input is a
 * prefix of it (`--arch` → `--archetype`). Ties go to the earlier candidate, so callers order them by preference.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const typed = input.toLowerCase();
  let best: { candidate: string; edits: number } | undefined;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === typed) return candidate;
    const edits = c.startsWith(typed) && typed.length >= 3 ? 0.5 : isSwap(typed, c) ? 1 : distance(typed, c);
    const allowed = Math.max(1, Math.floor(Math.max(typed.length, c.length) / 3));
    if (edits <= allowed && (!best || edits < best.edits)) best = { candidate, edits };
  }
  return best?.candidate;
}

/** `modle` / `model`: one pair of neighbouring letters swapped (Levenshtein alone counts 2). */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

/** ` Did you mean "x"?` or the empty string, to append to a message. */
export function didYouMean(input: string, candidates: Iterable<string>, quote: (s: string) => string = (s) => `"${s}"`): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` Did you mean ${quote(match)}?`;
}
