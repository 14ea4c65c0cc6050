/** Small helpers over plain nested config objects (dotted paths, leaves, deep merge). */

export type Plain = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Later wins; objects merge key by key, arrays and scalars replace. */
export function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Plain, v) : v;
  }
  return out;
}

/** Every leaf (scalar, array, or empty object) with its dotted path. */
export function leaves(obj: Plain, prefix: string[] = []): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(obj)) {
    const path = [...prefix, k];
    if (isPlainObject(v) && Object.keys(v).length > 0) out.push(...leaves(v, path));
    else out.push([path.join('.'), v]);
  }
  return out;
}

export function setPath(obj: Plain, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(cur[key])) cur[key] = {};
    cur = cur[key] as Plain;
  }
  cur[path[path.length - 1]] = value;
}

export function getPath(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}
