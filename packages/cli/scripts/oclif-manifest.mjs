// Writes packages/cli/oclif.manifest.json after the build, as `oclif manifest` does: with it, `dnr --help`,
// `dnr <command> --help` and `dnr --version` read every command's flags, examples and description from one JSON
// file instead of importing every command (and DuckDB, the OpenAI SDK, vega…) on each start.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
await plugin.load();
if (!plugin.valid) throw new Error(`oclif could not load the CLI package at ${root}`);
const ids = Object.keys(plugin.manifest.commands);
if (ids.length === 0) throw new Error(`no commands found under ${path.join(root, 'dist', 'commands')}: build first`);
writeFileSync(path.join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
// Silent on success: `pnpm -s run dnr -- … --json` must keep stdout for the JSON.
