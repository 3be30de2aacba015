// Inspector fields generated from the registry's zod param schemas (via JSON Schema), so the
// editor offers exactly the values and limits the validator accepts.
import { z } from 'zod';
import { nodeKind } from '../../shared/nodes';

export type Field =
  | { key: string; widget: 'text' | 'textarea' | 'media' | 'hash'; default?: string; maxLength?: number }
  | {
      key: string;
      widget: 'number';
      default?: number;
      min?: number;
      max?: number;
      integer: boolean;
      orAuto: boolean;
    }
  | { key: string; widget: 'select'; default?: string; options: string[] }
  | { key: string; widget: 'toggle'; default?: boolean }
  /** A nested object (a final cut's timeline): edited by its own panel, never as a text box. */
  | { key: string; widget: 'group' };

interface JsonProp {
  type?: string;
  enum?: string[];
  const?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: JsonProp[];
}

const cache = new Map<string, Field[]>();

export function fieldsFor(kind: string): Field[] {
  const hit = cache.get(kind);
  if (hit) return hit;
  const def = nodeKind(kind);
  if (!def) return [];
  const schema = z.toJSONSchema(def.params, { io: 'input' }) as { properties?: Record<string, JsonProp> };
  const fields = Object.entries(schema.properties ?? {}).map(([key, prop]) => toField(key, prop));
  cache.set(kind, fields);
  return fields;
}

function toField(key: string, p: JsonProp): Field {
  if (p.anyOf) {
    const num = p.anyOf.find((a) => a.type === 'integer' || a.type === 'number');
    const auto = p.anyOf.some((a) => a.const === 'auto');
    if (num) return numberField(key, { ...num, default: p.default }, auto);
  }
  if (p.enum)
    return {
      key,
      widget: 'select',
      options: p.enum,
      ...(typeof p.default === 'string' ? { default: p.default } : {}),
    };
  if (p.type === 'boolean')
    return { key, widget: 'toggle', ...(typeof p.default === 'boolean' ? { default: p.default } : {}) };
  if (p.type === 'integer' || p.type === 'number') return numberField(key, p, false);
  if (p.type === 'object' || p.type === 'array') return { key, widget: 'group' };
  if (key === 'file') return { key, widget: 'media' };
  if (p.pattern === '^[0-9a-f]{64}$') return { key, widget: 'hash' };
  const long = (p.maxLength ?? 0) > 500;
  return {
    key,
    widget: long ? 'textarea' : 'text',
    ...(typeof p.default === 'string' ? { default: p.default } : {}),
    ...(p.maxLength ? { maxLength: p.maxLength } : {}),
  };
}

function numberField(key: string, p: JsonProp, orAuto: boolean): Field {
  return {
    key,
    widget: 'number',
    integer: p.type === 'integer',
    orAuto,
    ...(typeof p.default === 'number' ? { default: p.default } : {}),
    ...(p.minimum !== undefined ? { min: p.minimum } : {}),
    ...(p.maximum !== undefined ? { max: p.maximum } : {}),
  };
}

/** The validator's verdict on one param value: its message, or undefined when fine. */
export function fieldError(kind: string, key: string, value: unknown): string | undefined {
  const shape = nodeKind(kind)?.params.shape as Record<string, z.ZodType> | undefined;
  const schema = shape?.[key];
  if (!schema || value === undefined) return undefined;
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}
