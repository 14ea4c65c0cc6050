import type { Archetype, Theme } from '@dnr/core';
import { normalizeText } from '../text.js';
import type { CommsSource, EntityMention } from '../types.js';
import { tableDictionary, type TableEntry } from './dictionary.js';

/** Text of one item to extract entities from. */
export interface EntityInput {
  id: string;
  source: CommsSource;
  theme: Theme | null;
  text: string;
  /** NLQ generated SQL, when there is one. */
  sql?: string | null;
}

/*
 * Confidences by how the entity was found: an exact identifier (fact_order, loaded_at) is nearly
 * certain; a table in the FROM/JOIN of generated SQL is certain about the table but the question may
 * be about another; an everyday alias ("transactions") is likelier to be loose talk; a column that
 * exists in exactly one table implies that table.
 */
const CONF = { identifier: 0.95, sql: 0.9, alias: 0.7, aliasShort: 0.55, columnImplied: 0.6, column: 0.85, columnShared: 0.6 };

interface CompiledEntry extends TableEntry {
  idRe: RegExp;
  aliasRes: Array<{ re: RegExp; specificity: number }>;
}

function compile(entries: TableEntry[]): CompiledEntry[] {
  return entries.map((e) => ({
    ...e,
    idRe: new RegExp(`(?:^|[^a-z0-9_])${e.table}(?![a-z0-9_])`),
    aliasRes: e.aliases.map((a) => ({ re: new RegExp(`(?:^|[^a-z0-9_])(?:${a})(?![a-z0-9_])`), specificity: a.replace(/[^a-z ]/g, '').split(' ').filter(Boolean).length })),
  }));
}

const cache = new Map<Archetype, { entries: CompiledEntry[]; columnTables: Map<string, string[]> }>();
function dictionary(archetype: Archetype) {
  let d = cache.get(archetype);
  if (!d) {
    const entries = compile(tableDictionary(archetype));
    const columnTables = new Map<string, string[]>();
    for (const e of entries) for (const c of e.columns) columnTables.set(c, [...(columnTables.get(c) ?? []), e.table]);
    d = { entries, columnTables };
    cache.set(archetype, d);
  }
  return d;
}

function sqlTables(sql: string): string[] {
  const out: string[] = [];
  const re = /\b(?:from|join)\s+(?:read_parquet\s*\(\s*'[^']*?([a-z_]+)(?:\.parquet|\/)[^']*'\s*\)|["]?([a-z_][a-z0-9_]*)["]?)/gi;
  for (const m of sql.matchAll(re)) out.push((m[1] ?? m[2]).toLowerCase());
  return out;
}

/**
 * Rules entity extraction (docs/report-schemas.md): tables and columns of the archetype's dictionary mentioned in
 * an item, each with a confidence. One row per (item, table, column); column NULL for table-level.
 */
export function extractEntitiesRules(archetype: Archetype, inputs: readonly EntityInput[]): EntityMention[] {
  const { entries, columnTables } = dictionary(archetype);
  const out: EntityMention[] = [];
  for (const item of inputs) {
    const text = normalizeText(item.text);
    const found = new Map<string, EntityMention>();
    const add = (table: string, column: string | null, confidence: number, method: string) => {
      const key = `${table}|${column ?? ''}`;
      const prev = found.get(key);
      if (!prev || prev.confidence < confidence) found.set(key, { id: item.id, source: item.source, theme: item.theme, table, column, confidence, method, engine: 'rules' });
    };
    for (const e of entries) {
      if (e.idRe.test(text)) add(e.table, null, CONF.identifier, 'identifier');
    }
    if (item.sql) {
      const known = new Set(entries.map((e) => e.table));
      for (const t of sqlTables(item.sql)) if (known.has(t)) add(t, null, CONF.sql, 'sql');
    }
    // Aliases: a match inside a longer alias match of another table ("orders" in "order items") does not count.
    const spans: Array<{ table: string; start: number; end: number; words: number }> = [];
    for (const e of entries) {
      for (const a of e.aliasRes) {
        const m = a.re.exec(text);
        if (m) {
          const lead = m[0].length - m[0].replace(/^[^a-z0-9_]/, '').length;
          spans.push({ table: e.table, start: m.index + lead, end: m.index + m[0].length, words: a.specificity });
        }
      }
    }
    for (const sp of spans) {
      const inside = spans.some((o) => o.table !== sp.table && o.end - o.start > sp.end - sp.start && o.start <= sp.start && o.end >= sp.end);
      if (!inside) add(sp.table, null, sp.words >= 2 ? CONF.alias : CONF.aliasShort, 'alias');
    }
    // Columns named exactly (identifiers with _ or known single words like mcc).
    const haystack = `${text} ${item.sql ? normalizeText(item.sql) : ''}`;
    for (const [column, tables] of columnTables) {
      if (!new RegExp(`(?:^|[^a-z0-9_])${column}(?![a-z0-9_])`).test(haystack)) continue;
      if (!column.includes('_') && !['mcc', 'qty'].includes(column)) continue;
      const mentioned = tables.filter((t) => found.has(`${t}|`));
      if (mentioned.length > 0) {
        for (const t of mentioned) add(t, column, CONF.column, 'column');
      } else if (tables.length === 1) {
        add(tables[0], column, CONF.columnImplied, 'column');
        add(tables[0], null, CONF.columnImplied, 'column');
      } else {
        for (const t of tables) add(t, column, CONF.columnShared / tables.length + 0.2, 'column');
      }
    }
    out.push(...found.values());
  }
  return out;
}
