import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { ENV_PREFIX, envLayer, readDotEnv } from './env-layer.js';
import { ConfigSchema, type Config } from './schema/index.js';
import { LEGACY_LAG_KEYS } from './schema/behaviour/shared.js';
import { schemaAt } from './describe.js';
import { deepMerge, getPath, isPlainObject, leaves, setPath, type Plain } from './tree.js';
import { closestUnionIssues, enumValueMessage, envVarFor, renamedKeyMessage, suggestConfigPath } from './suggest-key.js';
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
  /** Things the user should know that are not errors (e.g. ignored DNR_ variables). */
  warnings?: string[];
}

interface Layer {
  name: LayerName;
  values: Plain;
  origins: Map<string, string>;
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

/**
 * Moves the former bare-lag shape of a funnel step (its lag's keys given at the step's level, e.g.
 * behaviour.neobank.onboarding.card_issue.tail_share) under `lag` in a layer, values and origins, so
 * that errors and `dnr config` name the key where it lives now, with the value and the layer that set it.
 * Mutates and returns the layer.
 */
function migrateLegacyLags(layer: Layer): Layer {
  const visit = (node: Plain, at: string[]): void => {
    for (const [k, v] of Object.entries(node)) {
      if (!isPlainObject(v)) continue;
      const here = [...at, k];
      const s = schemaAt(ConfigSchema, here);
      const keys = s && LEGACY_LAG_KEYS.get(s);
      if (!keys) {
        visit(v, here);
        continue;
      }
      const step = v as Plain;
      if (step.lag !== undefined && !isPlainObject(step.lag)) continue;
      for (const key of Object.keys(step).filter((x) => keys.includes(x))) {
        const lag = (step.lag ??= {}) as Plain;
        lag[key] = step[key];
        delete step[key];
        const from = [...here, key].join('.');
        const src = layer.origins.get(from);
        if (src !== undefined) {
          layer.origins.delete(from);
          layer.origins.set([...here, 'lag', key].join('.'), src);
        }
      }
    }
  };
  visit(layer.values, []);
  return layer;
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
  // An unknown key set through its children (e.g. only a.b.c given for unknown a): name the first child.
  for (let i = layers.length - 1; i >= 0; i--) {
    for (const [key, src] of layers[i].origins) if (key.startsWith(`${dotted}.`)) return { layer: layers[i].name, source: src };
  }
  return { layer: 'default', source: 'schema default' };
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function formatIssue(issue: z.ZodIssue, merged: Plain, layers: Layer[]): string {
  const inUnion = closestUnionIssues(issue);
  if (inUnion) return inUnion.map((i) => formatIssue(i, merged, layers)).join('\n');
  const paths: string[][] = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path.map(String), k]) : [issue.path.map(String)];
  return paths
    .map((p) => {
      const dotted = p.join('.') || '(root)';
      const origin = originFor(layers, dotted);
      const from = origin.layer === 'default' ? 'default' : `${origin.layer} ${origin.source}`;
      if (issue.code === 'unrecognized_keys') {
        const renamed = renamedKeyMessage(dotted);
        if (renamed) return `${dotted}: ${renamed} (from ${from}). docs/config.md describes every key.`;
        const near = suggestConfigPath(p);
        const hint = near ? ` Did you mean ${near}${origin.layer === 'env' ? ` (${envVarFor(near, ENV_PREFIX)})` : ''}?` : '';
        return `${dotted}: unknown key (from ${from}).${hint} \`dnr config\` lists every key; docs/config.md describes them.`;
      }
      const enumMessage = enumValueMessage(issue);
      if (enumMessage) return `${dotted}: ${enumMessage} (from ${from})`;
      return `${dotted}: ${issue.message}; got ${describeValue(getPath(merged, p))} (from ${from})`;
    })
    .join('\n');
}

/**
 * Resolve the configuration: defaults → YAML → environment → flags, later wins (docs/commands.md).
 * Throws InputError (exit 2) naming path, bad value, layer and file:line:col.
 */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const dotenv = options.loadDotEnv === false ? undefined : readDotEnv(cwd);
  const env: NodeJS.ProcessEnv = { ...dotenv?.values, ...(options.env ?? process.env) };

  const defaults = ConfigSchema.parse({});
  const layers: Layer[] = [{ name: 'default', values: defaults as unknown as Plain, origins: new Map() }];

  let configFile: string | undefined;
  const explicit = options.configPath !== undefined;
  const candidate = path.resolve(cwd, options.configPath ?? path.join('configs', 'default.yaml'));
  if (explicit || existsSync(candidate)) {
    const rel = path.relative(cwd, candidate);
    configFile = rel.startsWith('..') || path.isAbsolute(rel) ? candidate : rel;
    const y = readYamlLayer(candidate, configFile);
    layers.push(migrateLegacyLags({ name: 'yaml', values: y.values, origins: y.origins }));
  }
  const fromEnv = envLayer(env, Object.keys(ConfigSchema.innerType().shape), dotenv);
  layers.push(migrateLegacyLags({ name: 'env', values: fromEnv.values, origins: fromEnv.origins }));
  layers.push(migrateLegacyLags(flagLayer(options.flags ?? {})));

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
  return { config, origins, configFile, cwd, env, warnings: fromEnv.warnings };
}
