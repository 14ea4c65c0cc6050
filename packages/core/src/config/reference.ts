import { z } from 'zod';
import { descriptionOf, schemaAt, unwrap } from './describe.js';
import { ENV_PREFIX } from './env-layer.js';
import { ConfigSchema } from './schema/index.js';
import { envVarFor } from './suggest-key.js';
import { getPath, type Plain } from './tree.js';

interface KeyRow {
  path: string;
  type: string;
  default: string;
  description: string;
}

/** A human name for a schema node's type: `small | evaluation | large`, `integer 1–120`, `list of string`. */
export function typeName(schema: z.ZodTypeAny): string {
  let optional = false;
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodEffects) s = s instanceof z.ZodDefault ? s._def.innerType : s._def.schema;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      optional = true;
      s = s._def.innerType;
    } else break;
  }
  const base = (() => {
    if (s instanceof z.ZodEnum) return (s.options as string[]).join(' \\| ');
    if (s instanceof z.ZodLiteral) return JSON.stringify(s.value);
    if (s instanceof z.ZodBoolean) return 'boolean';
    if (s instanceof z.ZodString) return 'string';
    if (s instanceof z.ZodNumber) {
      const int = s._def.checks.some((c) => c.kind === 'int');
      const min = s.minValue;
      const max = s.maxValue;
      const range = min !== null && max !== null && Number.isFinite(max) ? ` ${min}–${max}` : min !== null ? ` ≥ ${min}` : max !== null ? ` ≤ ${max}` : '';
      return `${int ? 'integer' : 'number'}${range}`;
    }
    if (s instanceof z.ZodArray) return `list of ${typeName(s.element)}`;
    if (s instanceof z.ZodRecord) return `map of ${typeName(s._def.valueType)}`;
    if (s instanceof z.ZodObject) return 'mapping';
    return 'value';
  })();
  return optional ? `${base} (optional)` : base;
}

const inlineJson = (v: unknown): string => (v === undefined ? '(unset)' : `\`${JSON.stringify(v).replace(/\|/g, '\\|')}\``);

function walk(schema: z.ZodTypeAny, path: string[], defaults: Plain, rows: KeyRow[]): void {
  const u = unwrap(schema);
  // An object with no keys yet (a section still being filled) is one row, so every section is listed.
  if (u instanceof z.ZodObject && path.length < 6 && Object.keys(u.shape as object).length > 0) {
    for (const [key, child] of Object.entries(u.shape as Record<string, z.ZodTypeAny>)) walk(child, [...path, key], defaults, rows);
    return;
  }
  rows.push({
    path: path.join('.'),
    type: typeName(schema),
    default: inlineJson(getPath(defaults, path)),
    description: (descriptionOf(schema) ?? '').replace(/\|/g, '\\|'),
  });
}

/** Every configurable key: dotted path, type, default and description, in schema order. */
export function configKeyRows(): KeyRow[] {
  const rows: KeyRow[] = [];
  walk(ConfigSchema, [], ConfigSchema.parse({}) as unknown as Plain, rows);
  return rows;
}

/** docs/config.md: every key of the configuration, generated from the zod schema (a test keeps it in sync). */
export function renderConfigReferenceMd(): string {
  const rows = configKeyRows();
  const sections = [...new Set(rows.map((r) => r.path.split('.')[0]))];
  const out = [
    '# Configuration reference',
    '',
    '<!-- Generated from the zod schema in packages/core/src/config/schema by renderConfigReferenceMd(); `node scripts/docs.mjs` rewrites it and a test keeps it in sync. -->',
    '',
    'Every value has a default in code. Later layers win: **defaults** → **YAML** (`configs/default.yaml` in the working',
    'folder, or `--config FILE`) → **environment** → **command-line flags**. Unknown keys are errors, with the nearest',
    'valid key suggested.',
    '',
    `- **YAML**: nest the dotted path, e.g. \`warehouse.seed: 7\` is \`warehouse:\` / \`  seed: 7\`. \`dnr init\` writes a`,
    '  starter file listing the keys people usually change; `dnr config --defaults` prints every key with its default.',
    `- **Environment**: \`${ENV_PREFIX}\` prefix and \`__\` between levels, e.g. \`${envVarFor('warehouse.seed')}=7\`; values are read as YAML`,
    '  scalars (`7` a number, `true` a boolean, `[a, b]` a list). A `.env` file in the working folder is loaded;',
    '  variables already set win. The LLM API key is read from the variable named by `classification.env_key_var`',
    '  (default `OPENAI_API_KEY`), the endpoint from `OPENAI_BASE_URL`.',
    '- **Flags** set the keys their help names (see [commands.md](commands.md)).',
    '- `dnr config` prints every value in force and the layer that set it (file:line for YAML, the variable, the flag).',
    '',
    'Sections: ' + sections.map((s) => `[${s}](#${s})`).join(' · '),
    '',
  ];
  for (const section of sections) {
    const node = schemaAt(ConfigSchema, [section]);
    const desc = node ? descriptionOf(node) : undefined;
    out.push(`## ${section}`, '');
    if (desc) out.push(desc, '');
    out.push('| Key | Type | Default | Description |', '|---|---|---|---|');
    for (const r of rows.filter((x) => x.path.split('.')[0] === section)) out.push(`| \`${r.path}\` | ${r.type} | ${r.default} | ${r.description} |`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
