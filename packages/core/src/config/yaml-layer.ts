import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { InputError } from '../errors.js';
import { isPlainObject, type Plain } from './tree.js';

export interface YamlLayer {
  values: Plain;
  /** dotted path → "file:line:col" of its key */
  origins: Map<string, string>;
}

/** Keys of a mapping at their key's position; list items (`archetypes.1`) at the item's own position. */
function collectOrigins(node: YAMLMap | YAMLSeq, prefix: string[], file: string, lc: LineCounter, out: Map<string, string>): void {
  const at = (path: string[], offset: number) => {
    const { line, col } = lc.linePos(offset);
    out.set(path.join('.'), `${file}:${line}:${col}`);
  };
  const descend = (value: unknown, path: string[]) => {
    if (isMap(value) || isSeq(value)) collectOrigins(value, path, file, lc, out);
  };
  if (isSeq(node)) {
    node.items.forEach((item, i) => {
      at([...prefix, String(i)], (item as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0);
      descend(item, [...prefix, String(i)]);
    });
    return;
  }
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const path = [...prefix, String(pair.key.value)];
    at(path, pair.key.range?.[0] ?? 0);
    descend(pair.value, path);
  }
}

/** Parse a YAML config file, keeping the line:column of every key for error messages. */
export function readYamlLayer(file: string, displayName = file): YamlLayer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`Config file ${displayName} cannot be read (${code ?? 'error'}).`, {
      suggestion: code === 'ENOENT' ? 'Check the --config path, or run `dnr init` to create configs/default.yaml.' : undefined,
      cause: error,
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(`${displayName}:${pos.line}:${pos.col}: malformed YAML (line ${pos.line}, column ${pos.col}): ${reason}`, {
      suggestion: 'Fix the YAML syntax at that position (indentation, a missing colon or an unclosed quote/bracket).',
    });
  }
  const values: unknown = doc.toJS();
  if (values === null || values === undefined) return { values: {}, origins: new Map() };
  if (!isPlainObject(values)) {
    throw new InputError(`${displayName}:1:1: the config must be a YAML mapping of sections (paths, warehouse, comms, …), got ${Array.isArray(values) ? 'a list' : typeof values}.`);
  }
  const origins = new Map<string, string>();
  if (isMap(doc.contents)) collectOrigins(doc.contents, [], displayName, lineCounter, origins);
  return { values, origins };
}
