import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { renderStarterConfigYaml } from './config/index.js';
import { UsageError } from './errors.js';
import { checkRealFilesystem, ensureWritableDir, writeFileAtomic } from './io/index.js';

export const OUTPUT_FOLDERS = ['data', 'comms', 'reports', 'runs', 'meta'] as const;

export const ENV_EXAMPLE = `# Copy to .env (git-ignored) and fill in. dnr loads .env from the working folder;
# variables already set in the environment win.

# API key for the LLM engines (name configurable: classification.env_key_var).
OPENAI_API_KEY=
# Any OpenAI-compatible endpoint; leave empty for the official API.
OPENAI_BASE_URL=

# Any config key can be overridden: DNR_ prefix, __ between levels.
# DNR_WAREHOUSE__SEED=7
# DNR_CLASSIFICATION__MODEL=gpt-4o-mini
`;

export const GITIGNORE_LINES = ['.env', '.cache/', 'data/*', 'comms/*', 'reports/*', 'runs/*', 'meta/*', '!*/.gitkeep'];

export interface ScaffoldOptions {
  force?: boolean;
}

export interface ScaffoldResult {
  dir: string;
  written: string[];
  gitignoreLinesAdded: string[];
  /** Files of the user that --force replaced, each kept under a new name (original → kept as). */
  keptAs: Record<string, string>;
}

/** A free name next to `file` to keep the user's version under: `{file}.orig`, `{file}.orig2`, … */
function keepName(file: string): string {
  for (let i = 1; ; i++) {
    const candidate = `${file}.orig${i === 1 ? '' : i}`;
    if (!existsSync(candidate)) return candidate;
  }
}

/** `dnr init`: a working folder with config, .env.example and output folders; never overwrites without force. */
export function scaffoldProject(dir: string, options: ScaffoldOptions = {}): ScaffoldResult {
  const root = path.resolve(dir);
  checkRealFilesystem(root, `DIR ${dir}`);
  ensureWritableDir(root, 'DIR');
  const files: Array<[string, string]> = [
    [path.join('configs', 'default.yaml'), renderStarterConfigYaml()],
    ['.env.example', ENV_EXAMPLE],
  ];
  const existing = files.map(([rel]) => rel).filter((rel) => existsSync(path.join(root, rel)));
  if (existing.length > 0 && !options.force) {
    throw new UsageError(`${root} already has ${existing.join(', ')}; not overwriting.`, { suggestion: 'Pass --force to overwrite them.' });
  }
  // --force replaces, but never loses: a file that differs from what dnr writes is kept under another name.
  const keptAs: Record<string, string> = {};
  for (const [rel, content] of files) {
    const file = path.join(root, rel);
    if (existsSync(file) && readFileSync(file, 'utf8') !== content) {
      const kept = keepName(file);
      renameSync(file, kept);
      keptAs[rel] = path.relative(root, kept);
    }
    writeFileAtomic(file, content);
  }
  for (const folder of OUTPUT_FOLDERS) {
    mkdirSync(path.join(root, folder), { recursive: true });
    const keep = path.join(root, folder, '.gitkeep');
    if (!existsSync(keep)) writeFileAtomic(keep, '');
  }
  const gitignore = path.join(root, '.gitignore');
  const current = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const added = GITIGNORE_LINES.filter((l) => !have.has(l));
  if (added.length > 0) {
    const sep = current.length === 0 || current.endsWith('\n') ? '' : '\n';
    writeFileAtomic(gitignore, `${current}${sep}${current.length ? '\n' : ''}# dnr outputs\n${added.join('\n')}\n`);
  }
  return {
    dir: root,
    written: [...files.map(([rel]) => rel), ...OUTPUT_FOLDERS.map((f) => `${f}/.gitkeep`)],
    gitignoreLinesAdded: added,
    keptAs,
  };
}
