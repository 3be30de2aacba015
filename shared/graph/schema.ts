// Graph file format v2 (docs/architecture.md §3): v1 plus the film's exposed inputs. Loose objects keep fields this version does not know, so a
// file opened and saved by an older app loses nothing.
import { z } from 'zod';

export const GRAPH_FORMAT = 'shotgraph';
export const GRAPH_VERSION = 2;

export const nodeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "_", "-" or "."');

export const graphNodeSchema = z.looseObject({
  id: nodeIdSchema,
  type: z.string().min(1),
  label: z.string().max(200).optional(),
  position: z.object({ x: z.number(), y: z.number() }).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Keep the current output whatever changes upstream (issue 4). */
  frozen: z.boolean().optional(),
  /** Active take of a shot (issue 4). */
  take: z.number().int().min(1).optional(),
  /** Storyboard scene this shot belongs to. */
  scene: z.string().max(200).optional(),
});
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const graphEdgeSchema = z.looseObject({
  source: nodeIdSchema,
  sourcePort: z.string().min(1),
  target: nodeIdSchema,
  targetPort: z.string().min(1),
  /** Position among the edges of a multi-input port; lower comes first. */
  order: z.number().int().min(0).optional(),
});
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const graphSettingsSchema = z.looseObject({
  provider: z.string().optional(),
  concurrency: z.number().int().min(1).max(32).optional(),
  /** The film's spending limit in US dollars, for every run of it (`--budget` overrides). */
  budgetUsd: z.number().min(0).max(1_000_000).optional(),
  /** Under that budget, shots whose gateway publishes no price may run (`--allow-unpriced`). */
  allowUnpriced: z.boolean().optional(),
});

/** An input's name: what `--set NAME=VALUE` and a batch CSV's column header say. */
export const inputNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must start with a letter: 1–64 letters, digits, "_" or "-"');

/**
 * One exposed input of the film (docs/architecture.md §3): a node's param, or its media slot, under a
 * name. The node's own value is what renders unless the run sets the input; `default` is the value a
 * form resets to.
 */
export const filmInputDeclSchema = z.looseObject({
  name: inputNameSchema,
  description: z.string().max(500).optional(),
  node: nodeIdSchema,
  /** A param name, or a dotted path into an object param (`music.file` of a final cut). */
  field: z
    .string()
    .max(100)
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/,
      'must be a param name such as "text" or "file"',
    ),
  default: z.union([z.string().max(8000), z.number(), z.boolean()]).optional(),
});
export type FilmInputDecl = z.infer<typeof filmInputDeclSchema>;

export const graphSchema = z.looseObject({
  format: z.literal(GRAPH_FORMAT, { error: `must be "${GRAPH_FORMAT}"` }),
  version: z.literal(GRAPH_VERSION),
  name: z.string().max(200).default('Untitled film'),
  nodes: z.array(graphNodeSchema).max(5000),
  edges: z.array(graphEdgeSchema).max(20000).default([]),
  settings: graphSettingsSchema.optional(),
  /** Reusable groups of nodes used by `sequence` nodes; checked when flattened (sequence.ts). */
  sequences: z.array(z.unknown()).max(1000).optional(),
  /** The film's exposed inputs (format v2). */
  inputs: z.array(filmInputDeclSchema).max(200).optional(),
});
export type Graph = z.infer<typeof graphSchema>;

export function emptyGraph(name = 'Untitled film'): Graph {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, name, nodes: [], edges: [] };
}
