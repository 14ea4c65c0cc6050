import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../packages/core/dist/index.js';
import { renderCommandsMd } from '../packages/cli/dist/docs/commands-md.js';
import { REPO_ROOT } from './helpers/cli.js';

const doc = (name: string) => readFileSync(path.join(REPO_ROOT, 'docs', name), 'utf8');
const MANIFEST = path.join(REPO_ROOT, 'packages', 'cli', 'oclif.manifest.json');

describe('docs/ reference', () => {
  it('commands.md equals the rendering of the built manifest (regenerate with `node scripts/docs.mjs`)', () => {
    expect(doc('commands.md')).toBe(renderCommandsMd(MANIFEST));
  });

  it('commands.md documents every command, flag and example', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { commands: Record<string, { flags: Record<string, unknown>; examples?: unknown[] }> };
    const text = doc('commands.md');
    for (const [id, c] of Object.entries(manifest.commands)) {
      expect(text).toContain(`## ${id}\n`);
      for (const flag of Object.keys(c.flags)) if (!['json', 'quiet', 'config'].includes(flag)) expect(text, `${id} --${flag}`).toContain(`\`--${flag}`);
    }
  });

  it('exit-codes.md lists exactly the exit codes dnr uses', () => {
    const codes = [...doc('exit-codes.md').matchAll(/^\| (\d) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(ExitCode).sort());
  });
});
