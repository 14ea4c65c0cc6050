#!/usr/bin/env node
// Regenerates the reference documents that are generated from code (run after `pnpm run build`):
//   docs/config.md   — every configuration key, from the zod schema (renderConfigReferenceMd);
//   docs/commands.md — every command, flag, example and exit code, from the oclif manifest (renderCommandsMd).
// Tests fail when a committed document differs from what this script would write.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { renderConfigReferenceMd } = await import(pathToFileURL(path.join(ROOT, 'packages/core/dist/index.js')).href);
const docs = { 'docs/config.md': renderConfigReferenceMd() };
try {
  const { renderCommandsMd } = await import(pathToFileURL(path.join(ROOT, 'packages/cli/dist/docs/commands-md.js')).href);
  docs['docs/commands.md'] = renderCommandsMd(path.join(ROOT, 'packages/cli/oclif.manifest.json'));
} catch (error) {
  if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
}
for (const [file, text] of Object.entries(docs)) {
  writeFileSync(path.join(ROOT, file), text);
  console.log(`wrote ${file}`);
}
