import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotEnv } from 'dotenv';
import { distance } from 'fastest-levenshtein';
import { parse as parseYamlScalar } from 'yaml';
import { InputError } from '../errors.js';
import { setPath, type Plain } from './tree.js';

export const ENV_PREFIX = 'DNR_';

export interface DotEnvFile {
  file: string;
  values: Record<string, string>;
  /** Variable → 1-based line of its assignment. */
  lines: Map<string, number>;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)/;
const QUOTES = new Set(['"', "'", '`']);

/** Index of the first `quote` at or after `from` that no backslash escapes, or -1. */
function closingQuote(text: string, quote: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === quote && text[i - 1] !== '\\') return i;
  return -1;
}

/**
 * Check every line the way dotenv reads it (blank, `# comment`, `[export] KEY=value` or `KEY: value`,
 * quoted values spanning lines) and return each variable's line; the first line dotenv would silently
 * skip is an InputError naming file:line.
 */
function assignmentLines(text: string, file: string): Map<string, number> {
  const lines = text.split(/\r\n|\r|\n/);
  const found = new Map<string, number>();
  let open: string | undefined;
  lines.forEach((line, i) => {
    if (open) {
      if (closingQuote(line, open, 0) >= 0) open = undefined;
      return;
    }
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const m = ASSIGNMENT.exec(line);
    if (!m) {
      throw new InputError(`${file}:${i + 1}: cannot parse this line: ${JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line)}; expected KEY=value.`, {
        suggestion: 'Fix or delete that line (comments start with #).',
      });
    }
    found.set(m[1], i + 1);
    const rest = line.slice(m[0].length).trimStart();
    if (QUOTES.has(rest[0]) && closingQuote(rest, rest[0], 1) < 0) open = rest[0];
  });
  return found;
}

/**
 * `.env` in the working folder, parsed by the standard dotenv parser (byte-order mark, CRLF, `export`,
 * quotes, comments, multi-line quoted values). Undefined when there is no such file.
 */
export function readDotEnv(cwd: string): DotEnvFile | undefined {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error: unknown) {
    throw new InputError(`.env in ${cwd} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: error });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const display = path.relative(process.cwd(), file) || '.env';
  const lines = assignmentLines(text, display);
  return { file: display, values: parseDotEnv(text), lines };
}

export interface EnvLayer {
  values: Plain;
  /** Dotted config path → where it came from ("DNR_WAREHOUSE__SEED", "DNR_WAREHOUSE__SEED in .env:3"). */
  origins: Map<string, string>;
  warnings: string[];
}

/** A known section within a small edit distance of `name` (a typo), if any. */
function nearSection(name: string, sections: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const s of sections) {
    const d = distance(name, s);
    if (d < bestD) [best, bestD] = [s, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 4)) ? best : undefined;
}

/** `DNR_WAREHOSE__SEED` → `DNR_WAREHOUSE__SEED` when the section is a near miss of a real one. */
function fixSection(keyPath: readonly string[], sections: readonly string[]): string | undefined {
  const near = nearSection(keyPath[0], sections);
  return near ? `${ENV_PREFIX}${[near, ...keyPath.slice(1)].join('__').toUpperCase()}` : undefined;
}

/**
 * `DNR_WAREHOUSE_SEED` (one underscore where two separate section and key) → `DNR_WAREHOUSE__SEED`, when
 * the part before some underscore is exactly a config section.
 */
function fixSeparator(name: string, sections: readonly string[]): string | undefined {
  for (let i = name.indexOf('_'); i > 0 && i < name.length - 1; i = name.indexOf('_', i + 1)) {
    const head = name.slice(0, i);
    if (sections.includes(head)) return `${ENV_PREFIX}${head.toUpperCase()}__${name.slice(i + 1).toUpperCase()}`;
  }
  return undefined;
}

/**
 * The environment layer: `DNR_SECTION__KEY[__SUB…]` → config path. Variables that name no config section
 * (`DNR_HOME`, another tool's `DNR_FOO__BAR`) are ignored with one warning; a section name that is a typo
 * of a real one (`DNR_WAREHOSE__SEED`) or a section joined to its key by one underscore
 * (`DNR_WAREHOUSE_SEED`) is an error naming the variable with the fix, and so are unknown keys under a
 * real section (reported by the schema with the variable as their origin).
 */
export function envLayer(env: NodeJS.ProcessEnv, sections: readonly string[], dotenv?: DotEnvFile): EnvLayer {
  const values: Plain = {};
  const origins = new Map<string, string>();
  const ignored: string[] = [];
  const where = (name: string) => (dotenv && dotenv.values[name] === env[name] && dotenv.lines.has(name) ? `${name} in ${dotenv.file}:${dotenv.lines.get(name)}` : name);
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined || raw === '') continue;
    const keyPath = name.slice(ENV_PREFIX.length).split('__').map((s) => s.toLowerCase());
    if (!sections.includes(keyPath[0])) {
      const fixed = keyPath.length > 1 ? fixSection(keyPath, sections) : fixSeparator(keyPath[0], sections);
      if (fixed) {
        const why = keyPath.length > 1 ? `"${keyPath[0]}" is not a config section` : 'sections and keys are separated by two underscores';
        throw new InputError(`Environment variable ${where(name)}: ${why}; did you mean ${fixed}?`, {
          suggestion: `Config sections: ${sections.join(', ')}.`,
        });
      }
      ignored.push(where(name));
      continue;
    }
    if (keyPath.some((k) => k === '')) {
      throw new InputError(`Environment variable ${where(name)} is not a config path: use DNR_SECTION__KEY, e.g. DNR_WAREHOUSE__SEED=7.`);
    }
    let value: unknown;
    try {
      // YAML scalar rules give "7" → 7, "true" → true, "[a, b]" → list, anything else stays a string.
      value = parseYamlScalar(raw);
    } catch {
      value = raw;
    }
    setPath(values, keyPath, value);
    origins.set(keyPath.join('.'), where(name));
  }
  const warnings = ignored.length
    ? [`ignoring ${ignored.join(', ')}: ${ignored.length === 1 ? 'it names' : 'they name'} no dnr config section (${sections.join(', ')}).`]
    : [];
  return { values, origins, warnings };
}
