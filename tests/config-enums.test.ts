import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../packages/core/dist/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

// A value outside a fixed set, in any enum of the config schema, is named with its key path, the file:line:col
// it came from, the allowed values and the nearest one. The enums are found by walking the schema, so a new one
// is covered without touching this test.

interface ZodNode {
  _def: { typeName: string; innerType?: ZodNode; schema?: ZodNode; type?: ZodNode; values?: string[]; value?: unknown; shape?: () => Record<string, ZodNode> };
}

/** Peel defaults, optionals and refinements. */
function unwrap(node: ZodNode): ZodNode {
  let s = node;
  for (;;) {
    const d = s._def;
    if (d.typeName === 'ZodDefault' || d.typeName === 'ZodOptional' || d.typeName === 'ZodNullable') s = d.innerType!;
    else if (d.typeName === 'ZodEffects') s = d.schema!;
    else return s;
  }
}

/** Every enum or literal reachable through objects and lists: [key path, allowed values]. */
function enumsOf(node: ZodNode, at: string[] = []): Array<[string[], string[]]> {
  const u = unwrap(node);
  switch (u._def.typeName) {
    case 'ZodEnum':
      return [[at, u._def.values!]];
    case 'ZodLiteral':
      return typeof u._def.value === 'string' ? [[at, [u._def.value]]] : [];
    case 'ZodArray':
      return enumsOf(u._def.type!, [...at, '0']);
    case 'ZodObject':
      return Object.entries(u._def.shape!()).flatMap(([k, v]) => enumsOf(v, [...at, k]));
    default:
      return [];
  }
}

/** A typo of a word: two neighbouring letters swapped (`typical` → `tpyical`), or a letter doubled for one-letter words. */
const typo = (w: string) => (w.length >= 3 ? `${w[0]}${w[2]}${w[1]}${w.slice(3)}` : w.length === 2 ? `${w[1]}${w[0]}` : `${w}${w}`);

/** YAML for one value at a key path (list indexes become one-item lists). */
function yamlAt(keys: string[], value: string): string {
  const lines: string[] = [];
  keys.forEach((k, i) => {
    const pad = '  '.repeat(i);
    if (keys[i + 1] === '0') {
      lines.push(`${pad}${k}: [${value}]`);
    } else if (k !== '0') {
      lines.push(i === keys.length - 1 ? `${pad}${k}: ${value}` : `${pad}${k}:`);
    }
  });
  return `${lines.filter(Boolean).join('\n')}\n`;
}

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('dnr-config-enums-');
  mkdirSync(path.join(tmp.dir, 'configs'));
});
afterAll(() => tmp.cleanup());

function loadMessage(yaml: string): string {
  writeFileSync(path.join(tmp.dir, 'configs', 'default.yaml'), yaml);
  try {
    loadConfig({ cwd: tmp.dir, env: {} });
  } catch (error: unknown) {
    return (error as Error).message;
  }
  return '(no error)';
}

describe('enum typos in the YAML config', () => {
  const enums = enumsOf(ConfigSchema as unknown as ZodNode).filter(([p]) => p.every((k) => k !== '0') || p.at(-1) === '0');

  it('the walk finds the enums of every section', () => {
    const dotted = enums.map(([p]) => p.join('.'));
    expect(dotted).toEqual(expect.arrayContaining(['warehouse.quality', 'warehouse.scale', 'warehouse.trajectory', 'warehouse.archetypes.0', 'classification.engine', 'comms.engine', 'comms.sample_policy']));
    expect(dotted.length).toBeGreaterThanOrEqual(10);
  });

  it('every enum: key path, file:line:col of the value, the allowed values and the nearest one', () => {
    for (const [keys, values] of enums) {
      const wrong = typo(values[0]);
      const yaml = yamlAt(keys, wrong);
      const message = loadMessage(yaml);
      const dotted = keys.join('.');
      // The line of the bad value: the last line of the YAML written; its column is where the key (or list item) starts.
      const line = yaml.trimEnd().split('\n').length;
      const lastLine = yaml.trimEnd().split('\n').at(-1)!;
      const col = keys.at(-1) === '0' ? lastLine.indexOf('[') + 2 : lastLine.search(/\S/) + 1;
      expect(message, `${dotted} ← ${wrong}\n${yaml}`).toContain(`${dotted}: "${wrong}" is not`);
      expect(message, dotted).toContain(`Did you mean "${values[0]}"?`);
      expect(message, dotted).toContain(`(from yaml configs/default.yaml:${line}:${col})`);
      for (const v of values) expect(message, dotted).toContain(v);
    }
  });

  it('an enum inside a union of shapes (a calendar rule) and in a list beyond its first item', () => {
    const rule = loadMessage('behaviour:\n  neobank:\n    calendar:\n      thanksgiving:\n        rule: {month: 11, weekday: thr, nth: 4}\n');
    expect(rule).toContain('behaviour.neobank.calendar.thanksgiving.rule.weekday: "thr" is not one of mon, tue, wed, thu, fri, sat, sun. Did you mean "thu"? (from yaml configs/default.yaml:5:27)');
    const list = loadMessage('warehouse:\n  archetypes:\n    - neobank\n    - marketpalce\n');
    expect(list).toContain('warehouse.archetypes.1: "marketpalce" is not one of neobank, marketplace. Did you mean "marketplace"? (from yaml configs/default.yaml:4:7)');
  });

  it('a value far from every allowed one gets the list but no guess', () => {
    expect(loadMessage('warehouse:\n  quality: pristine\n')).toMatch(/warehouse\.quality: "pristine" is not one of clean, typical, messy\. \(from yaml/);
  });

  it('through the CLI: exit 2, the message on stderr, nothing on stdout', async () => {
    writeFileSync(path.join(tmp.dir, 'configs', 'default.yaml'), 'warehouse:\n  archetypes: [neobnak]\n  quality: typcal\n');
    const r = await runDnr(['config'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('warehouse.archetypes.0: "neobnak" is not one of neobank, marketplace. Did you mean "neobank"? (from yaml configs/default.yaml:2:16)');
    expect(r.stderr).toContain('warehouse.quality: "typcal" is not one of clean, typical, messy. Did you mean "typical"? (from yaml configs/default.yaml:3:3)');
  });
});
