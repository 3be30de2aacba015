// A film's exposed inputs for the editor (issue 13): what Run with… shows as a form, and the film as
// a set of values makes it. Interim rules, kept here only until the engine's shared/graph/inputs.ts
// (branch `inputs`) is merged; then these two functions call it and nothing else changes.
import { z } from 'zod';
import type { FilmInputView } from '../../shared/contract';
import type { Graph } from '../../shared/graph/schema';
import { nodeKind } from '../../shared/nodes';
import type { Problem } from '../../shared/problems';

interface Decl {
  name: string;
  description?: string;
  node: string;
  field: string;
  default?: unknown;
}

interface JsonProp {
  type?: string;
  enum?: string[];
  const?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonProp[];
}

const MEDIA = new Set(['image', 'video', 'audio']);

function decls(graph: Graph): Decl[] {
  const raw = (graph as { inputs?: unknown }).inputs;
  return Array.isArray(raw) ? (raw as Decl[]).filter((d) => d && typeof d.name === 'string') : [];
}

export function inputsOf(graph: Graph): { inputs: FilmInputView[]; problems: Problem[] } {
  const inputs: FilmInputView[] = [];
  const problems: Problem[] = [];
  for (const d of decls(graph)) {
    const node = graph.nodes.find((n) => n.id === d.node);
    const def = node && nodeKind(node.type);
    if (!node || !def) {
      problems.push({
        code: 'input.node',
        field: 'inputs',
        message: `input "${d.name}": no node "${d.node}"`,
      });
      continue;
    }
    const props = (z.toJSONSchema(def.params, { io: 'input' }) as { properties?: Record<string, JsonProp> })
      .properties;
    const prop = props?.[d.field];
    if (!prop) {
      problems.push({
        code: 'input.field',
        nodeId: node.id,
        field: d.field,
        message: `input "${d.name}": ${node.id} has no field "${d.field}"`,
      });
      continue;
    }
    const current = d.default ?? node.params[d.field] ?? prop.default;
    const base = {
      name: d.name,
      node: node.id,
      field: d.field,
      default: current === undefined ? '' : String(current),
      ...(d.description ? { description: d.description } : {}),
    };
    const num = prop.anyOf?.find((a) => a.type === 'integer' || a.type === 'number') ?? prop;
    if (MEDIA.has(node.type) && d.field === 'file')
      inputs.push({ ...base, type: 'media', media: node.type as 'image' | 'video' | 'audio' });
    else if (prop.enum) inputs.push({ ...base, type: 'enum', allowed: prop.enum });
    else if (prop.type === 'boolean') inputs.push({ ...base, type: 'boolean', allowed: ['true', 'false'] });
    else if (num.type === 'integer' || num.type === 'number')
      inputs.push({
        ...base,
        type: 'number',
        ...(num.minimum !== undefined ? { min: num.minimum } : {}),
        ...(num.maximum !== undefined ? { max: num.maximum } : {}),
      });
    else inputs.push({ ...base, type: 'text' });
  }
  return { inputs, problems };
}

/** The film with `values` put into the params its inputs name; an unknown name is a problem. */
export function withInputs(
  graph: Graph,
  values: Record<string, string>,
): { graph: Graph; problems: Problem[] } {
  const { inputs, problems } = inputsOf(graph);
  const out = structuredClone(graph);
  for (const [name, text] of Object.entries(values)) {
    const input = inputs.find((i) => i.name === name);
    if (!input) {
      problems.push({ code: 'input.unknown', field: name, message: `the film has no input named "${name}"` });
      continue;
    }
    const node = out.nodes.find((n) => n.id === input.node)!;
    let value: unknown = text;
    if (input.type === 'number') value = text === 'auto' ? 'auto' : Number(text);
    if (input.type === 'boolean') value = text === 'true';
    if (input.type === 'number' && text !== 'auto' && !Number.isFinite(value as number)) {
      problems.push({
        code: 'input.value',
        nodeId: node.id,
        field: input.field,
        message: `input "${name}": "${text}" is not a number`,
      });
      continue;
    }
    node.params = { ...node.params, [input.field]: value };
    // A new file has a new hash: the recorded one would refuse it.
    if (input.type === 'media') delete node.params.sha256;
  }
  return { graph: out, problems };
}
