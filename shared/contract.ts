// The one contract between the editor and its host (docs/architecture.md §8). Electron IPC and web mode's
// WebSocket both carry exactly these operations, validated with these schemas on the Node side,
// so the renderer cannot tell which transport it has.
import { z } from 'zod';
import type { RunEvent } from './events';
import { nodeIdSchema } from './graph/schema';
import { GATEWAYS } from './seedance/capabilities';
import type { Problem } from './problems';

/** A file location as the host shows it: workspace-relative in web mode, absolute on desktop. */
const filePath = z.string().min(1).max(4096);
/** A whole graph document; the host re-parses it with parseGraphValue (migrations, unknown kinds). */
const graphDoc = z.record(z.string(), z.unknown());
const problem = z.object({
  code: z.string(),
  nodeId: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
});
const empty = z.object({});

export const MAX_IMPORT_BYTES = 220 * 1024 * 1024;

const fileEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['folder', 'graph', 'file']),
  modifiedAt: z.number(),
});

const recentFile = z.object({ path: z.string(), name: z.string(), openedAt: z.number() });

const recoveryItem = z.object({
  path: z.string().nullable(),
  name: z.string(),
  savedAt: z.number(),
  graph: graphDoc,
});

/** Node ids as the graph schema allows them: nothing else reaches a handler. */
const nodeId = nodeIdSchema;

const takeInfo = z.object({
  take: z.number().int(),
  video: z.string(),
  lastFrame: z.string().optional(),
  createdAt: z.number(),
  active: z.boolean(),
});

const shotCost = z.object({
  /** What rendering it now would spend: 0 when its clip is cached. */
  usd: z.number(),
  /** Its price were it generated now. */
  listUsd: z.number(),
  /** False when its gateway publishes no price. */
  known: z.boolean(),
  basis: z.string(),
  seconds: z.number(),
  tokens: z.number().optional(),
  credits: z.number().optional(),
  /** A free animatic shot: what Ark would charge for it. */
  arkUsd: z.number().optional(),
});

/** The engine's view of a film, for the editor to display as it is (electron/engine/film-status.ts). */
const filmStatus = z.object({
  nodes: z.record(
    z.string(),
    z.object({
      state: z.enum(['cached', 'frozen', 'stale', 'new', 'ready']),
      outputs: z.record(z.string(), z.string()),
      take: z.number().int().optional(),
      provider: z.string().optional(),
      cost: shotCost.optional(),
    }),
  ),
  problems: z.array(problem),
  totalUsd: z.number(),
  unpriced: z.array(z.string()),
  toRun: z.array(z.string()),
  provider: z.string(),
  /** The film's budget (graph settings) and the verdict a run would get now (engine/budget.ts). */
  budget: z.object({
    limitUsd: z.number().nullable(),
    allowUnpriced: z.boolean(),
    ok: z.boolean(),
    message: z.string().optional(),
  }),
  /** Each cast member and the shots that call it in by `@Name` (engine/film-status.ts). */
  cast: z.array(z.object({ name: z.string(), shots: z.array(z.string()) })).default([]),
});
export type FilmStatusView = z.infer<typeof filmStatus>;

const runReport = z.object({
  status: z.enum(['succeeded', 'failed', 'cancelled', 'awaiting-approval', 'invalid']),
  output: z.string().optional(),
  /** The approval gates that held work back (a run that ends `awaiting-approval`). */
  awaiting: z
    .array(z.object({ gate: z.string(), take: z.number(), held: z.array(z.string()), approve: z.string() }))
    .optional(),
  submissions: z.number(),
  problems: z.array(problem),
});

/** One exposed input of a film, typed by the engine from the node registry (issue 13). */
const filmInput = z.object({
  name: z.string(),
  description: z.string().optional(),
  node: z.string(),
  field: z.string(),
  type: z.enum(['text', 'number', 'enum', 'boolean', 'media']),
  /** The value it has when the user changes nothing, as text (how `--set` and a CSV give values). */
  default: z.string(),
  allowed: z.array(z.string()).optional(),
  /** Media inputs: which kind of file the slot takes. */
  media: z.enum(['image', 'video', 'audio']).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});
export type FilmInputView = z.infer<typeof filmInput>;

/** Values for a film's inputs by input name, as text (media: a path relative to the film). */
const inputValues = z.record(z.string().max(200), z.string().max(100_000));

const templateInfo = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  /** A small picture of the film as a data: URL (templates live outside the workspace). */
  poster: z.string().nullable(),
  inputs: z.array(z.string()),
  /** Saved by the user (Save as template) rather than shipped with Shotgraph. */
  user: z.boolean(),
});
export type TemplateView = z.infer<typeof templateInfo>;

const batchRow = z.object({ row: z.number().int(), name: z.string(), values: inputValues });
export type BatchRowView = z.infer<typeof batchRow>;

export const contract = {
  'app.info': {
    input: empty,
    output: z.object({
      version: z.string(),
      workspace: z.string(),
      providers: z.array(z.string()),
      defaultProvider: z.string(),
      canStoreKeys: z.boolean(),
      /** A stored key survives a restart (desktop keychain); web mode keeps them in memory only. */
      keysPersist: z.boolean(),
      /** Plain-http media origins the engine trusts (SHOTGRAPH_TRUSTED_MEDIA_ORIGINS), so the editor's
       * live check judges graph URLs by the same rule as a run. */
      trustedMediaOrigins: z.array(z.string()),
      /**
       * Gateways that take an API key, the environment variable it can also come from, and whether
       * one is set (stored here or in the environment). Never the key itself.
       */
      keys: z.array(
        z.object({
          provider: z.string(),
          envVar: z.string(),
          source: z.enum(['stored', 'environment']).nullable(),
        }),
      ),
    }),
  },
  'files.list': {
    input: z.object({ folder: z.string().max(4096).default('') }),
    output: z.object({ folder: z.string(), parent: z.string().nullable(), entries: z.array(fileEntry) }),
  },
  'files.createFolder': {
    input: z.object({ parent: z.string().max(4096), name: z.string().min(1).max(255) }),
    output: z.object({ path: z.string() }),
  },
  'graph.open': {
    input: z.object({ path: filePath }),
    output: z.object({ path: z.string(), graph: graphDoc }),
  },
  'graph.save': {
    input: z.object({ path: filePath, graph: graphDoc }),
    output: z.object({ path: z.string() }),
  },
  'graph.validate': {
    input: z.object({ path: filePath.nullable(), graph: graphDoc }),
    output: z.object({ problems: z.array(problem) }),
  },
  'film.status': {
    /**
     * A saved film (its folder holds its cache) or, with a null path, an unsaved one; with `values`,
     * the film as those input values make it (the estimate of Run with…).
     */
    input: z.object({ path: filePath.nullable(), graph: graphDoc, values: inputValues.optional() }),
    output: filmStatus,
  },
  'recent.list': { input: empty, output: z.object({ files: z.array(recentFile) }) },
  'recovery.save': {
    input: z.object({ path: filePath.nullable(), graph: graphDoc }),
    output: empty,
  },
  'recovery.list': { input: empty, output: z.object({ items: z.array(recoveryItem) }) },
  'recovery.discard': { input: z.object({ path: filePath.nullable() }), output: empty },
  'media.import': {
    input: z.object({
      graphPath: filePath,
      name: z.string().min(1).max(255),
      // base64 keeps one JSON contract for both transports; the cap bounds memory per upload.
      dataBase64: z.string().max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4),
    }),
    output: z.object({ file: z.string(), sha256: z.string(), kind: z.enum(['image', 'video', 'audio']) }),
  },
  'run.start': {
    input: z.object({
      path: filePath,
      graph: graphDoc,
      until: nodeId.optional(),
      /** Run with… : the film's inputs set to these values for this run only. */
      values: inputValues.optional(),
    }),
    output: z.object({ runId: z.string() }),
  },
  'run.attach': {
    /**
     * Re-attach to a run that outlived its connection (a reload, a dropped socket): the newest run
     * of a film, or one run by id. Its events so far are pushed before any later one.
     */
    input: z
      .object({ runId: z.string().max(100).optional(), path: filePath.optional() })
      .refine((t) => t.runId !== undefined || t.path !== undefined, { error: 'give a runId or a path' }),
    output: z.object({ runId: z.string().nullable(), running: z.boolean() }),
  },
  'run.cancel': {
    input: z.object({ runId: z.string().max(100) }),
    output: z.object({ cancelled: z.boolean() }),
  },
  'media.poster': {
    /** A rendered clip; `base` is the graph file a relative path is relative to. */
    input: z.object({ path: filePath, base: filePath.nullable().optional() }),
    output: z.object({ file: z.string(), seconds: z.number() }),
  },
  'takes.list': {
    input: z.object({ path: filePath, nodeId }),
    output: z.object({ takes: z.array(takeInfo) }),
  },
  'takes.setActive': {
    input: z.object({ path: filePath, nodeId, take: z.number().int().min(1).max(100_000) }),
    output: z.object({ take: z.number().int() }),
  },
  'takes.new': {
    input: z.object({ path: filePath, nodeId }),
    output: z.object({ take: z.number().int() }),
  },
  /** Approves a take of a gated keyframe or shot in the saved graph file (default: the active take). */
  'takes.approve': {
    input: z.object({ path: filePath, nodeId, take: z.number().int().min(1).max(100_000).optional() }),
    output: z.object({ take: z.number().int() }),
  },
  'export.otio': {
    input: z.object({ path: filePath, graph: graphDoc, cut: nodeId.optional() }),
    output: z.object({ file: z.string() }),
  },
  'export.storyboard': {
    input: z.object({
      path: filePath,
      graph: graphDoc,
      cut: nodeId.optional(),
      format: z.enum(['png', 'pdf']).default('png'),
    }),
    output: z.object({ file: z.string() }),
  },
  'sequence.make': {
    /** The selected nodes become one sequence instance (shared/graph/sequence.ts); keys are unchanged. */
    input: z.object({
      graph: graphDoc,
      nodeIds: z.array(nodeId).min(1).max(5000),
      name: z.string().min(1).max(200),
    }),
    output: z.object({ graph: graphDoc, sequenceId: z.string(), instanceId: z.string() }),
  },
  'sequence.read': {
    /**
     * A library sequence (`*.sequence.json`, named as the film at `path` names it) to show inside the
     * editor; read through the project-path rules like any file the film names (docs/architecture.md §3.1).
     */
    input: z.object({ path: filePath, sequence: z.string().min(1).max(4096) }),
    output: z.object({ definition: graphDoc }),
  },
  'keys.set': {
    /** Only the gateways that take a key: never `__proto__` or any other name. */
    input: z.object({
      provider: z.enum(GATEWAYS, { error: `must be one of ${GATEWAYS.join(', ')}` }),
      key: z.string().max(4096),
    }),
    output: z.object({ stored: z.boolean() }),
  },
  'app.quitReady': { input: empty, output: empty },
  'inputs.list': {
    /**
     * The film's exposed inputs, typed; problems name a declaration that points nowhere. With the
     * film's path, an input on a library sequence's value is typed from that file.
     */
    input: z.object({ graph: graphDoc, path: filePath.nullable().optional() }),
    output: z.object({ inputs: z.array(filmInput), problems: z.array(problem) }),
  },
  'templates.list': { input: empty, output: z.object({ templates: z.array(templateInfo) }) },
  'templates.create': {
    /** A new project folder `folder` (workspace-relative, must not exist) from a template. */
    input: z.object({ name: z.string().min(1).max(100), folder: filePath }),
    output: z.object({ path: z.string() }),
  },
  'templates.save': {
    /** The saved film at `path`, with its media, becomes the user's template `name`. */
    input: z.object({ path: filePath, name: z.string().min(1).max(100) }),
    output: z.object({ name: z.string() }),
  },
  'batch.start': {
    /** One film per CSV row (columns are input names), sharing one cache; results in `outDir`. */
    input: z.object({
      path: filePath,
      graph: graphDoc,
      csv: z.string().max(5 * 1024 * 1024),
      outDir: filePath.optional(),
    }),
    output: z.object({ batchId: z.string(), rows: z.array(batchRow) }),
  },
  'batch.cancel': {
    input: z.object({ batchId: z.string().max(100) }),
    output: z.object({ cancelled: z.boolean() }),
  },
} as const;

export type Contract = typeof contract;
export type Operation = keyof Contract;
export type OpInput<O extends Operation> = z.input<Contract[O]['input']>;
export type OpOutput<O extends Operation> = z.output<Contract[O]['output']>;
export type RunReportSummary = z.infer<typeof runReport>;
export const OPERATIONS = Object.keys(contract) as Operation[];

/** What the host pushes to the editor without being asked. */
export type HostMessage =
  | { kind: 'run-event'; runId: string; event: RunEvent }
  | { kind: 'run-report'; runId: string; report: RunReportSummary }
  /** Sent first when an editor attaches to a run; the run's events so far follow. */
  | { kind: 'run-attached'; runId: string; path: string; running: boolean; until?: string }
  /** A batch run (batch.start): each row's events, its end, and the batch's end. */
  | { kind: 'batch-event'; batchId: string; row: number; event: RunEvent }
  | { kind: 'batch-row'; batchId: string; row: number; report: RunReportSummary }
  | {
      kind: 'batch-end';
      batchId: string;
      status: 'succeeded' | 'failed' | 'cancelled' | 'awaiting-approval' | 'invalid';
      problems: Problem[];
    }
  | { kind: 'before-quit' }
  /** Emitted by a transport itself when its link to the host drops or returns. */
  | { kind: 'connection'; up: boolean };

export const runReportSchema = runReport;

/** A failed operation as it crosses either transport. */
export interface ContractErrorShape {
  code: string;
  message: string;
  problems?: Problem[];
}

export class ContractError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly problems?: Problem[],
  ) {
    super(message);
    this.name = 'ContractError';
  }
  toShape(): ContractErrorShape {
    return { code: this.code, message: this.message, ...(this.problems ? { problems: this.problems } : {}) };
  }
}

/** The renderer's view of its host: one async function per operation plus the push stream. */
export interface HostApi {
  call<O extends Operation>(op: O, input: OpInput<O>): Promise<OpOutput<O>>;
  subscribe(listener: (msg: HostMessage) => void): () => void;
  /** URL the renderer can put in <img>/<video>/<audio>; `base` is the graph file paths are relative to. */
  mediaUrl(path: string, base?: string | null): string;
}

/** WebSocket framing of web mode (Electron IPC carries the same payloads natively). */
export type WireRequest = { id: number; op: string; input: unknown };
export type WireReply =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; error: ContractErrorShape }
  | { push: HostMessage };
