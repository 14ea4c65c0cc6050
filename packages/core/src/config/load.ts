import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { parse as parseYamlScalar } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { ConfigSchema, type Config } from './schema/index.js';
import { deepMerge, getPath, isPlainObject, leaves, setPath, type Plain } from './tree.js';
import { envVarFor, suggestConfigPath } from './suggest-key.js';
import { readYamlLayer } from './yaml-layer.js';

export type LayerName = 'default' | 'yaml' | 'env' | 'flag';

export interface Origin {
  layer: LayerName;
  /** Where exactly: "configs/default.yaml:12:3", "DNR_WAREHOUSE__SEED", "--seed" or "schema default". */
  source: string;
}

export interface FlagValue {
  /** The flag as typed, e.g. "--seed". */
  flag: string;
  value: unknown;
}

export interface LoadConfigOptions {
  /** Working folder: relative paths, the default YAML and `.env` are resolved against it. */
  cwd?: string;
  /** Explicit `--config`; when absent, `configs/default.yaml` is used if it exists. */
  configPath?: string;
  /** Environment to read; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Flag layer: dotted config path → value given on the command line (undefined = not given). */
  flags?: Record<string, FlagValue | undefined>;
  /** Load `.env` from cwd (values already in env win). Default true. */
  loadDotEnv?: boolean;
}

export interface ResolvedConfig {
  config: Config;
  /** Every leaf path → the layer that set it. */
  origins: Record<string, Origin>;
  /** The YAML file used, if any (relative to cwd when inside it). */
  configFile?: string;
  cwd: string;
  /** process env merged with `.env` (env wins); read the API key from here. */
  env: NodeJS.ProcessEnv;
}

interface Layer {
  name: LayerName;
  values: Plain;
  origins: Map<string, string>;
}

export const ENV_PREFIX = 'DNR_';

function envLayer(env: NodeJS.ProcessEnv): Layer {
  const values: Plain = {};
  const origins = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined || raw === '') continue;
    const keyPath = name.slice(ENV_PREFIX.length).split('__').map((s) => s.toLowerCase());
    if (keyPath.some((k) => k === '')) {
      throw new InputError(`Environment variable ${name} is not a config path: use DNR_SECTION__KEY, e.g. DNR_WAREHOUSE__SEED=7.`);
    }
    let value: unknown;
    try {
      // YAML scalar rules give "7" → 7, "true" → true, "[a, b]" → list, anything else stays a string.
      value = parseYamlScalar(raw);
    } catch {
      value = raw;
    }
    setPath(values, keyPath, value);
    origins.set(keyPath.join('.'), name);
  }
  return { name: 'env', values, origins };
}

function flagLayer(flags: Record<string, FlagValue | undefined>): Layer {
  const values: Plain = {};
  const origins = new Map<string, string>();
  for (const [dotted, fv] of Object.entries(flags)) {
    if (!fv || fv.value === undefined) continue;
    setPath(values, dotted.split('.'), fv.value);
    origins.set(dotted, fv.flag);
  }
  return { name: 'flag', values, origins };
}

function readDotEnv(cwd: string): Record<string, string> {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return {};
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error: unknown) {
    throw new InputError(`.env in ${cwd} cannot be read or parsed.`, { cause: error });
  }
}

/** The layer (latest first) whose own keys cover this path or one of its ancestors. */
function originFor(layers: Layer[], dotted: string): Origin {
  const parts = dotted.split('.');
  for (let i = layers.length - 1; i >= 0; i--) {
    for (let n = parts.length; n > 0; n--) {
      const prefix = parts.slice(0, n);
      const src = layers[i].origins.get(prefix.join('.'));
      // An ancestor only claims the path when it set it wholesale (a list or scalar), not as a mapping of keys.
      if (src && (n === parts.length || !isPlainObject(getPath(layers[i].values, prefix)))) return { layer: layers[i].name, source: src };
    }
  }
  return { layer: 'default', source: 'schema default' };
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function formatIssue(issue: z.ZodIssue, merged: Plain, layers: Layer[]): string {
  const paths: string[][] = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path.map(String), k]) : [issue.path.map(String)];
  return paths
    .map((p) => {
      const dotted = p.join('.') || '(root)';
      const origin = originFor(layers, dotted);
      const from = origin.layer === 'default' ? 'default' : `${origin.layer} ${origin.source}`;
      if (issue.code === 'unrecognized_keys') {
        const near = suggestConfigPath(p);
        const hint = near ? ` Did you mean ${near}${origin.layer === 'env' ? ` (${envVarFor(near, ENV_PREFIX)})` : ''}?` : '';
        return `${dotted}: unknown key (from ${from}).${hint} \`dnr config\` lists every key; docs/config.md describes them.`;
      }
      return `${dotted}: ${issue.message}; got ${describeValue(getPath(merged, p))} (from ${from})`;
    })
    .join('\n');
}

/**
 * Resolve the configuration: defaults → YAML → environment → flags, later wins (SPEC §2.2).
 * Throws InputError (exit 2) naming path, bad value, layer and file:line:col.
 */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const dotenv = options.loadDotEnv === false ? {} : readDotEnv(cwd);
  const env: NodeJS.ProcessEnv = { ...dotenv, ...(options.env ?? process.env) };

  const defaults = ConfigSchema.parse({});
  const layers: Layer[] = [{ name: 'default', values: defaults as unknown as Plain, origins: new Map() }];

  let configFile: string | undefined;
  const explicit = options.configPath !== undefined;
  const candidate = path.resolve(cwd, options.configPath ?? path.join('configs', 'default.yaml'));
  if (explicit || existsSync(candidate)) {
    const rel = path.relative(cwd, candidate);
    configFile = rel.startsWith('..') || path.isAbsolute(rel) ? candidate : rel;
    const y = readYamlLayer(candidate, configFile);
    layers.push({ name: 'yaml', values: y.values, origins: y.origins });
  }
  layers.push(envLayer(env));
  layers.push(flagLayer(options.flags ?? {}));

  const merged = layers.reduce<Plain>((acc, l) => deepMerge(acc, l.values), {});
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => formatIssue(i, merged, layers));
    throw new InputError(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`, {
      suggestion: 'Fix the value at that path in the layer named (file:line:col for YAML, the variable for env, the flag for flags).',
    });
  }
  const config = parsed.data;
  const origins: Record<string, Origin> = {};
  for (const [dotted] of leaves(config as unknown as Plain)) origins[dotted] = originFor(layers, dotted);
  return { config, origins, configFile, cwd, env };
}
