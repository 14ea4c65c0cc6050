import { readFileSync } from 'node:fs';
import { InputError, didYouMean, errorMessage } from '@dnr/core';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z, type ZodIssue } from 'zod';
import { ContractSchema, EveningWindowSchema, ForeignKeySchema, InvoiceGuardrailSchema, KpiSchema, TableSchema, type Contract } from './schema.js';

/**
 * Read and validate a contract file. Errors: InputError (exit 2) with `file:line:col` and the key path,
 * for unreadable files, YAML syntax errors, schema violations and dangling table references.
 */
export function loadContractFile(file: string): Contract {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error: unknown) {
    throw new InputError(`--contract ${file} cannot be read (${errorMessage(error)}).`, { suggestion: 'Pass the path of a contract YAML file (docs/contract.md).' });
  }
  return parseContract(text, file);
}

/** Parse contract YAML text; `file` names it in messages. */
export function parseContract(text: string, file: string): Contract {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const at = lines.linePos(e.pos[0]);
    throw new InputError(`${file}:${at.line}:${at.col}: invalid YAML: ${e.message.split('\n')[0]}`, { suggestion: 'Fix the YAML syntax (docs/contract.md has a full example).' });
  }
  const parsed = ContractSchema.safeParse(doc.toJS());
  if (!parsed.success) throw contractError(file, doc, lines, parsed.error.issues);
  const dangling = danglingReferences(parsed.data);
  if (dangling.length) throw contractError(file, doc, lines, dangling);
  return parsed.data;
}

/**
 * References to tables the contract does not list (FKs, event times from another table, guardrails), and
 * KPI names given twice (each names one value of data_health.json and one column of the KPI table).
 */
function danglingReferences(c: Contract): ZodIssue[] {
  const issues: ZodIssue[] = [];
  const has = (t: string) => t in c.tables;
  const issue = (path: Array<string | number>, message: string): ZodIssue => ({ code: 'custom', path, message });
  for (const [name, t] of Object.entries(c.tables)) {
    t.foreign_keys.forEach((fk, i) => {
      if (!has(fk.references)) issues.push(issue(['tables', name, 'foreign_keys', i, 'references'], `table ${fk.references} is not listed under tables`));
    });
    if (t.event_time && typeof t.event_time === 'object' && 'from' in t.event_time && !has(t.event_time.from.table)) {
      issues.push(issue(['tables', name, 'event_time', 'from', 'table'], `table ${t.event_time.from.table} is not listed under tables`));
    }
  }
  for (const [g, spec] of Object.entries(c.guardrails)) {
    if (spec && !has(spec.table)) issues.push(issue(['guardrails', g, 'table'], `table ${spec.table} is not listed under tables`));
  }
  const firstKpi = new Map<string, number>();
  c.kpis.forEach((k, i) => {
    const first = firstKpi.get(k.name);
    if (first === undefined) firstKpi.set(k.name, i);
    else issues.push(issue(['kpis', i, 'name'], `KPI ${k.name} is already defined at kpis[${first}]; give each KPI its own name`));
  });
  const ev = c.guardrails.evening_window;
  if (ev && has(ev.table) && c.tables[ev.table].role !== 'fact') issues.push(issue(['guardrails', 'evening_window', 'table'], `table ${ev.table} must be a fact table`));
  return issues;
}

function contractError(file: string, doc: Document, lines: LineCounter, issues: readonly ZodIssue[]): InputError {
  const where = (issue: ZodIssue) => {
    // The deepest node of the path that exists in the document gives the line.
    for (let n = issue.path.length; n >= 0; n--) {
      const node = doc.getIn(issue.path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const at = lines.linePos(node.range[0]);
        return `${file}:${at.line}:${at.col}`;
      }
    }
    return file;
  };
  const text = issues.slice(0, 5).map((i) => `${where(i)}: ${i.path.join('.') || '(top level)'}: ${i.message}${unknownKeyHint(i)}`);
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return new InputError(`invalid warehouse contract: ${text.join('; ')}${more}`, { suggestion: 'Fix the contract (every key is described in docs/contract.md).' });
}

/** The keys of a zod object schema, through refinements, defaults and optionals. */
function shapeKeys(schema: z.ZodTypeAny): string[] {
  let s: z.ZodTypeAny = schema;
  while (s instanceof z.ZodEffects || s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s instanceof z.ZodEffects ? s.innerType() : s._def.innerType;
  return s instanceof z.ZodObject ? Object.keys(s.shape as Record<string, unknown>) : [];
}

/** Every key a contract may use at some level (the did-you-mean candidates for an unknown key). */
const KNOWN_KEYS = [...new Set([ContractSchema, TableSchema, ForeignKeySchema, KpiSchema, InvoiceGuardrailSchema, EveningWindowSchema].flatMap(shapeKeys).concat(['invoice_aggregates', 'evening_window', 'sql', 'columns', 'from']))];

/** ` Did you mean "foreign_keys"?` for an unknown key that is a typo of a known one. */
function unknownKeyHint(issue: ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return '';
  return issue.keys.map((k) => didYouMean(k, KNOWN_KEYS)).join('');
}
