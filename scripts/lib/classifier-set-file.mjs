/**
 * Reading and checking one hand-written classifier set file (the format: docs/classifier.md, "Scoring your own
 * labelled set"). Kept apart from classifier-sets.mjs, which loads the eval package, so that a command can reject
 * a bad file in well under a second.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = await import(path.join(ROOT, 'packages/core/dist/index.js'));
// zod is a dependency of the workspace packages, not of the root: resolve it from the core package.
const { z } = createRequire(path.join(ROOT, 'packages/core/package.json'))('zod');

/** A set file that cannot be read as a set: `message` is one line naming the file and what is wrong. */
export class SetFileError extends Error {
  constructor(file, problem) {
    super(`${file}: ${problem}`);
    this.name = 'SetFileError';
    this.file = file;
  }
}

const Text = z.string().trim().min(1, 'is empty');
const Message = z.object({ role: core.Role, text: Text });
// A thread's theme is one of the eight themes when it is positive, and null (or absent) otherwise.
const Thread = z
  .object({ id: Text, source: z.enum(['slack', 'email']), relevance: core.Relevance, theme: core.Theme.nullable().optional(), messages: z.array(Message).min(1, 'has no messages') })
  .superRefine((t, ctx) => {
    if (t.relevance === 'positive' && !t.theme) ctx.addIssue({ code: 'custom', path: ['theme'], message: `a positive thread needs a theme (one of ${core.THEMES.join(', ')})` });
    if (t.relevance !== 'positive' && t.theme) ctx.addIssue({ code: 'custom', path: ['theme'], message: `must be null for a ${t.relevance} thread (only positive threads have a theme)` });
  });
const Nlq = z.object({ id: Text, theme: core.Theme, text: Text, sql: z.string().nullable().optional() });
// The first sets' `items`: a Slack thread (`messages`), an e-mail (`subject`/`body`/`role`) or an NLQ (`text`).
const Item = z.union([
  z.object({ id: Text, relevance: core.Relevance, theme: core.Theme.nullable(), messages: z.array(Message).min(1) }),
  z.object({ id: Text, relevance: core.Relevance, theme: core.Theme.nullable(), role: core.Role, subject: z.string(), body: Text }),
  Nlq,
]);
const SetFile = z.object({ _about: z.string().optional(), threads: z.array(Thread).optional(), nlq: z.array(Nlq).optional(), items: z.array(Item).optional() }).strict();

/** `threads[3].relevance` (id w16s-s004) for a zod issue path, using the item's id when it has one. */
function where(raw, issuePath) {
  let at = '';
  let node = raw;
  let id = null;
  for (const k of issuePath) {
    at += typeof k === 'number' ? `[${k}]` : `${at ? '.' : ''}${k}`;
    node = node?.[k];
    if (typeof node?.id === 'string') id = node.id;
  }
  return `${at || 'top level'}${id ? ` (id ${id})` : ''}`;
}

/**
 * Read and check one set file. Returns the parsed JSON; throws SetFileError (one line: the file and what is
 * wrong) when the file is missing or unreadable, is not JSON, is not a set (unknown top-level key, a thread
 * without messages, a relevance, theme or role outside the lists in packages/core, a positive thread without a
 * theme, …) or holds no thread and no NLQ item.
 */
export function readSetJson(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SetFileError(file, e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory, not a set file' : `cannot be read (${e.code ?? e.message})`);
  }
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SetFileError(file, `is not valid JSON (${e.message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new SetFileError(file, 'is not a set: expected an object with "threads" and/or "nlq" arrays');
  const parsed = SetFile.safeParse(raw);
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const problem = first.code === 'unrecognized_keys' ? `unknown key(s) ${first.keys.map((k) => `"${k}"`).join(', ')} (a set has "threads", "nlq" and an optional "_about")` : first.message;
    throw new SetFileError(file, `is not a set: ${where(raw, first.path)}: ${problem}${rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : ''}`);
  }
  const n = (raw.threads?.length ?? 0) + (raw.nlq?.length ?? 0) + (raw.items?.length ?? 0);
  if (n === 0) throw new SetFileError(file, 'the set is empty (no threads and no NLQ items)');
  return raw;
}
