import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReportSchemasMd } from './doc.js';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/report-schemas.md');

describe('docs/report-schemas.md', () => {
  it('equals the rendering of the zod schemas (regenerate with renderReportSchemasMd)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderReportSchemasMd());
  });

  it('documents every field of every output schema', () => {
    const undocumented = renderReportSchemasMd()
      .split('\n')
      .filter((l) => l.startsWith('| `') && l.endsWith('|  |'));
    expect(undocumented).toEqual([]);
  });
});
