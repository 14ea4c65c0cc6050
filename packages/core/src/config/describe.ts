import { z } from 'zod';

/** Peel defaults, refinements and optionals off a schema node to reach its structural type. */
export function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault) s = s._def.innerType;
    else if (s instanceof z.ZodEffects) s = s._def.schema;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s._def.innerType;
    else return s;
  }
}

/** The first description found from the outside in. */
export function descriptionOf(schema: z.ZodTypeAny): string | undefined {
  let s: z.ZodTypeAny | undefined = schema;
  while (s) {
    if (s.description) return s.description;
    if (s instanceof z.ZodDefault) s = s._def.innerType;
    else if (s instanceof z.ZodEffects) s = s._def.schema;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s._def.innerType;
    else s = undefined;
  }
  return undefined;
}

/** The schema node at a dotted path (records answer with their value schema, unions with the first option holding the key), if any. */
export function schemaAt(root: z.ZodTypeAny, path: readonly string[]): z.ZodTypeAny | undefined {
  let s: z.ZodTypeAny = root;
  for (const key of path) {
    const u = unwrap(s);
    if (u instanceof z.ZodObject) {
      const next = (u.shape as Record<string, z.ZodTypeAny>)[key];
      if (!next) return undefined;
      s = next;
    } else if (u instanceof z.ZodRecord) {
      s = u._def.valueType;
    } else if (u instanceof z.ZodUnion) {
      // a union of objects (e.g. calendar rules): the first option that has the key
      const options = u._def.options as z.ZodTypeAny[];
      const hit = options.map(unwrap).find((o) => o instanceof z.ZodObject && key in (o.shape as Record<string, unknown>)) as z.ZodObject<z.ZodRawShape> | undefined;
      if (!hit) return undefined;
      s = (hit.shape as Record<string, z.ZodTypeAny>)[key];
    } else return undefined;
  }
  return s;
}
