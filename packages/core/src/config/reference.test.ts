import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configKeyRows, renderConfigReferenceMd, typeName } from './reference.js';
import { ConfigSchema } from './schema/index.js';
import { leaves, type Plain } from './tree.js';
import { z } from 'zod';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/config.md');

describe('docs/config.md', () => {
  it('equals the rendering of the zod schema (regenerate with `node scripts/docs.mjs`)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderConfigReferenceMd());
  });

  it('has a described row for every key of the default configuration', () => {
    const rows = configKeyRows();
    const paths = new Set(rows.map((r) => r.path));
    for (const [leaf] of leaves(ConfigSchema.parse({}) as unknown as Plain)) {
      // Map-valued keys (per-table targets, prices) are one row each.
      const covered = [...paths].some((p) => leaf === p || leaf.startsWith(`${p}.`));
      expect(covered, leaf).toBe(true);
    }
    expect(rows.filter((r) => r.description.trim() === '').map((r) => r.path)).toEqual([]);
    // Optional keys without a default are listed too.
    expect(rows.find((r) => r.path === 'comms.slack_threads')).toMatchObject({ default: '(unset)', type: 'integer 0–1000000 (optional)' });
  });

  it('names types the way a user types values', () => {
    expect(typeName(z.enum(['a', 'b']).default('a'))).toBe('a \\| b');
    expect(typeName(z.number().int().min(1).max(120))).toBe('integer 1–120');
    expect(typeName(z.array(z.string()))).toBe('list of string');
    expect(typeName(z.record(z.number().min(0)).optional())).toBe('map of number ≥ 0 (optional)');
  });
});
