import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { THEMES, type Theme } from '@dnr/core';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The lexicon as data: one YAML file per theme plus `context.yaml` (everyday senses, data context,
 * problem language, data-tool link domains) and `resolution.yaml` (met/unmet language), in
 * `classify/rules/lexicon/`. Every entry has an id, a kind, a regular expression over normalised text
 * (`featureText`: lower case, mrkdwn and e-mail quoting removed), and examples it must and must not match
 * (each one a test in `lexicon.test.ts`). The classifier turns hits into features and learns their
 * weights; `weight` is read only by the prefilter, the met/unmet heuristic and the LLM prompt's ranking.
 */
export const LEXICON_KINDS = ['phrase', 'sql_cue', 'trap_sense', 'data_sense', 'problem_cue', 'data_tool_domain', 'resolved', 'unresolved', 'closure_domain'] as const;
export type LexiconKind = (typeof LEXICON_KINDS)[number];
/** Kinds that belong to one theme (the file's `theme`); every other kind lives in a file with `theme: null`. */
const THEMED_KINDS: readonly LexiconKind[] = ['phrase', 'sql_cue'];

const EntrySchema = z
  .object({
    id: z.string().regex(/^[a-z]+\.[a-z0-9-]+$/, 'ids look like "prefix.name" (lower case, digits, dashes)'),
    kind: z.enum(LEXICON_KINDS),
    pattern: z.string().min(1),
    weight: z.number().positive().max(3).optional(),
    must: z.array(z.string().min(1)).min(1),
    must_not: z.array(z.string().min(1)).min(1),
  })
  .strict();
const FileSchema = z.object({ theme: z.enum(THEMES).nullable(), entries: z.array(EntrySchema).min(1) }).strict();

export interface LexiconEntry {
  id: string;
  kind: LexiconKind;
  theme: Theme | null;
  /** The pattern as written in the file. */
  pattern: string;
  /** Word-bounded, case-insensitive. */
  re: RegExp;
  /** Prefilter/met/prompt weight (default 1). */
  weight: number;
  must: string[];
  mustNot: string[];
  /** File name the entry came from, for messages. */
  file: string;
}

export interface Lexicon {
  entries: LexiconEntry[];
  byKind: Record<LexiconKind, LexiconEntry[]>;
}

export const LEXICON_DIR = fileURLToPath(new URL('../../../../src/comms-analysis/classify/rules/lexicon/', import.meta.url));

/** Compile a pattern the way every entry is matched: bounded by non-word characters, case-insensitive. */
export function compileLexiconPattern(source: string): RegExp {
  return new RegExp(`(?:^|[^a-z0-9_])(?:${source})(?![a-z0-9_])`, 'i');
}

/**
 * Read, validate and compile every `*.yaml` in `dir`. Throws an Error naming the file and entry on a
 * schema violation, a pattern that does not compile, a themed kind outside a theme file (or the reverse),
 * or an id used twice.
 */
export function loadLexicon(dir: string = LEXICON_DIR): Lexicon {
  const entries: LexiconEntry[] = [];
  const seen = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const parsed = FileSchema.safeParse(parse(readFileSync(path.join(dir, file), 'utf8')));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`lexicon ${file}: ${issues}`);
    }
    const { theme } = parsed.data;
    for (const e of parsed.data.entries) {
      const where = `lexicon ${file} entry ${e.id}`;
      if (seen.has(e.id)) throw new Error(`${where}: id already used in ${seen.get(e.id)}`);
      seen.set(e.id, file);
      if (THEMED_KINDS.includes(e.kind) !== (theme !== null)) throw new Error(`${where}: kind ${e.kind} ${theme === null ? 'needs a theme file' : 'belongs in a file with theme: null'}`);
      let re: RegExp;
      try {
        re = compileLexiconPattern(e.pattern);
      } catch (err: unknown) {
        throw new Error(`${where}: pattern does not compile (${(err as Error).message})`);
      }
      entries.push({ id: e.id, kind: e.kind, theme, pattern: e.pattern, re, weight: e.weight ?? 1, must: e.must, mustNot: e.must_not, file });
    }
  }
  const byKind = Object.fromEntries(LEXICON_KINDS.map((k) => [k, entries.filter((e) => e.kind === k)])) as Record<LexiconKind, LexiconEntry[]>;
  return { entries, byKind };
}

let cached: Lexicon | undefined;
/** The project's lexicon, read once on first use. */
export function lexicon(): Lexicon {
  cached ??= loadLexicon();
  return cached;
}

/** Entries of `kind` whose pattern occurs in `text` (already normalised). */
export function lexiconHits(text: string, kind: LexiconKind): LexiconEntry[] {
  return lexicon().byKind[kind].filter((e) => e.re.test(text));
}

/** Sum of the weights of the entries of `kind` that occur in `text` (prefilter, met/unmet, prompt ranking). */
export function lexiconScore(text: string, kind: LexiconKind): number {
  let s = 0;
  for (const e of lexicon().byKind[kind]) if (e.re.test(text)) s += e.weight;
  return s;
}

/** True when a link domain is a data tool's (or, with `closure`, a dbt/Looker change that closes a thread). */
export function isDataToolDomain(domain: string, kind: 'data_tool_domain' | 'closure_domain' = 'data_tool_domain'): boolean {
  const d = domain.toLowerCase();
  return lexicon().byKind[kind].some((e) => e.re.test(d));
}
