// Graph file format v1 (docs/architecture.md §3). Loose objects keep fields this version does not know, so a
// file opened and saved by an older app loses nothing.
import { z } from 'zod';
import { castSchema } from '../cast';

export const GRAPH_FORMAT = 'shotgraph';
export const GRAPH_VERSION = 1;

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

export const graphSchema = z.looseObject({
  format: z.literal(GRAPH_FORMAT, { error: `must be "${GRAPH_FORMAT}"` }),
  version: z.literal(GRAPH_VERSION),
  name: z.string().max(200).default('Untitled film'),
  nodes: z.array(graphNodeSchema).max(5000),
  edges: z.array(graphEdgeSchema).max(20000).default([]),
  settings: graphSettingsSchema.optional(),
  /** The film's characters, props and locations, called into prompts as @Name (shared/cast.ts). */
  cast: castSchema.optional(),
});
export type Graph = z.infer<typeof graphSchema>;

export function emptyGraph(name = 'Untitled film'): Graph {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, name, nodes: [], edges: [] };
}
