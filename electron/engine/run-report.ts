// Collects a run's events into the report (`--report`) and appends them to the project's run
// history, so a user can audit what ran, what was reused and what was spent.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ContinuityReport } from '../../shared/continuity';
import type { NodeOutput, NodeStatus, RunEvent } from '../../shared/events';
import type { Problem } from '../../shared/problems';
import type { CacheManifest } from './cache';
import { redactCredentials, type Redactor } from '../providers/remote/redact';

export interface NodeReport {
  status: NodeStatus;
  cached: boolean;
  take?: number;
  /** The node's main output: a clip, a film, a media file or a prompt's text. */
  output?: string;
  outputs?: NodeOutput;
  taskId?: string;
  provider?: string;
  error?: string;
  field?: string;
  tokens?: number;
  costUsd?: number;
  queuedAt?: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface RunReport {
  runId: string;
  /** `awaiting-approval`: everything it could run ran; the rest waits behind `awaiting` gates. */
  status: RunStatus;
  output?: string;
  /** New paid (or, for the animatic, rendered) generations started by this run. */
  submissions: number;
  /** Estimated spend of this run before it started (cached shots at 0). */
  estimatedCostUsd?: number;
  /** Actual spend, from the gateways' reported usage. */
  costUsd: number;
  /** How long this run waited for another run of the same project to finish, in ms. */
  waitedMs?: number;
  provider?: string;
  problems: Problem[];
  startedAt: number;
  finishedAt?: number;
  nodes: Record<string, NodeReport>;
  /** SSIM per chained seam and sharpness per chain, on the clips this run has (shared/continuity.ts). */
  continuity?: ContinuityReport;
  /** The approval gates that held work back, each with what waits and how to open it. */
  awaiting?: AwaitedGate[];
  events: RunEvent[];
}

export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'awaiting-approval' | 'invalid';

export interface AwaitedGate {
  /** The keyframe or shot whose take must be approved. */
  gate: string;
  take: number;
  /** The nodes held back by it. */
  held: string[];
  /** The command that approves it. */
  approve: string;
}

type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'at'> : never) : never;

export class RunRecorder {
  private readonly report: RunReport;
  private history?: fs.FileHandle;
  private historyChain: Promise<unknown> = Promise.resolve();
  private lastProgress = new Map<string, { at: number; value: number }>();

  constructor(
    runId: string,
    private readonly onEvent?: (e: RunEvent) => void,
    /** The run's own redactor (its environment's secrets); see providers/remote/redact.ts. */
    private readonly redact: Redactor = redactCredentials,
  ) {
    this.report = {
      runId,
      status: 'succeeded',
      submissions: 0,
      costUsd: 0,
      problems: [],
      startedAt: Date.now(),
      nodes: {},
      events: [],
    };
  }

  async openHistory(stateDir: string): Promise<void> {
    await fs.mkdir(stateDir, { recursive: true });
    this.history = await fs.open(path.join(stateDir, 'history.jsonl'), 'a', 0o600);
  }

  async closeHistory(): Promise<void> {
    await this.historyChain;
    await this.history?.close();
  }

  emit(body: EventBody): void {
    const event = { ...body, at: Date.now() } as RunEvent;
    this.apply(event);
    if (event.type !== 'node-progress') this.report.events.push(event);
    const h = this.history;
    if (h && event.type !== 'node-progress') {
      const line = JSON.stringify({ runId: this.report.runId, ...event }) + '\n';
      this.historyChain = this.historyChain.then(() => h.write(line)).catch(() => undefined);
    }
    this.onEvent?.(event);
  }

  private node(id: string): NodeReport {
    return (this.report.nodes[id] ??= { status: 'idle', cached: false });
  }

  private apply(e: RunEvent): void {
    if (!('nodeId' in e)) return;
    const n = this.node(e.nodeId);
    switch (e.type) {
      case 'node-queued':
        n.status = 'queued';
        n.queuedAt = e.at;
        break;
      case 'node-started':
        n.status = 'running';
        n.startedAt = e.at;
        if (e.provider) n.provider = e.provider;
        break;
      case 'node-submitted':
        n.taskId = e.taskId;
        break;
      case 'node-cached':
      case 'node-succeeded':
        n.status = e.type === 'node-cached' ? 'cached' : 'succeeded';
        n.cached = e.type === 'node-cached';
        n.outputs = e.outputs;
        n.output = e.outputs.video ?? e.outputs.image ?? e.outputs.audio ?? e.outputs.text;
        n.finishedAt = e.at;
        if (e.type === 'node-succeeded' && e.taskId) n.taskId = e.taskId;
        break;
      case 'node-failed':
        n.status = 'failed';
        n.error = e.error;
        if (e.field) n.field = e.field;
        n.finishedAt = e.at;
        break;
      case 'node-skipped':
        n.status = 'skipped';
        n.error = e.reason;
        break;
      case 'node-cancelled':
        n.status = 'cancelled';
        break;
    }
  }

  setEstimate(usd: number): void {
    this.report.estimatedCostUsd = usd;
  }

  waited(ms: number): void {
    this.report.waitedMs = ms;
  }

  /** A problem with the run as a whole that did not stop it from starting (shown with its end). */
  problem(p: Problem): void {
    this.report.problems.push({ ...p, message: this.redact(p.message) });
  }

  start(graphName: string, nodes: string[], provider: string): void {
    this.report.provider = provider;
    this.report.startedAt = Date.now();
    for (const id of nodes) this.node(id);
    this.emit({ type: 'run-start', runId: this.report.runId, graphName, nodes });
  }

  started(nodeId: string, provider?: string): void {
    this.emit({ type: 'node-started', nodeId, ...(provider ? { provider } : {}) });
  }

  /** Progress is throttled: the UI and bars need a few updates a second, not every ffmpeg line. */
  progress(nodeId: string, fraction: number, message?: string): void {
    const now = Date.now();
    const last = this.lastProgress.get(nodeId);
    const value = Math.max(0, Math.min(1, fraction));
    if (last && now - last.at < 150 && value - last.value < 0.05 && value < 1) return;
    this.lastProgress.set(nodeId, { at: now, value });
    this.emit({ type: 'node-progress', nodeId, progress: value, ...(message ? { message } : {}) });
  }

  submitted(nodeId: string, taskId: string, provider: string): void {
    this.emit({ type: 'node-submitted', nodeId, taskId, provider });
  }

  cached(nodeId: string, outputs: NodeOutput, manifest?: CacheManifest): void {
    const n = this.node(nodeId);
    if (manifest?.taskId) n.taskId = manifest.taskId;
    if (manifest?.take) n.take = manifest.take;
    this.emit({ type: 'node-cached', nodeId, outputs });
  }

  succeeded(
    nodeId: string,
    outputs: NodeOutput,
    manifest: CacheManifest,
    opts: { resumed?: boolean } = {},
  ): void {
    if (manifest.kind === 'shot' && !opts.resumed) this.report.submissions++;
    const n = this.node(nodeId);
    if (manifest.tokens !== undefined) n.tokens = manifest.tokens;
    if (manifest.costUsd !== undefined) n.costUsd = manifest.costUsd;
    if (manifest.take) n.take = manifest.take;
    // Resumed tasks were paid for by the run that submitted them; count spend once.
    if (manifest.costUsd !== undefined && !opts.resumed)
      this.report.costUsd = round4(this.report.costUsd + manifest.costUsd);
    this.emit({
      type: 'node-succeeded',
      nodeId,
      outputs,
      ...(manifest.taskId ? { taskId: manifest.taskId } : {}),
      ...(manifest.tokens !== undefined ? { tokens: manifest.tokens } : {}),
      ...(manifest.costUsd !== undefined ? { costUsd: manifest.costUsd } : {}),
    });
  }

  failed(nodeId: string, err: unknown): void {
    const e = err as { message?: string; opts?: { field?: string; taskId?: string; costUsd?: number } };
    const message = this.redact(e?.message ?? String(err));
    // Paid for even though the node failed (frames kept for the next run): counted as spent now.
    const billed = e?.opts?.costUsd;
    if (billed) {
      this.node(nodeId).costUsd = billed;
      this.report.costUsd = round4(this.report.costUsd + billed);
    }
    this.emit({
      type: 'node-failed',
      nodeId,
      error: message,
      ...(e?.opts?.field ? { field: e.opts.field } : {}),
      ...(e?.opts?.taskId ? { taskId: e.opts.taskId } : {}),
    });
  }

  filmWritten(nodeId: string, file: string): void {
    this.report.output ??= file;
    const n = this.node(nodeId);
    n.output = file;
  }

  invalid(problems: Problem[]): RunReport {
    this.report.status = 'invalid';
    this.report.problems = problems.map((p) => ({ ...p, message: this.redact(p.message) }));
    this.report.finishedAt = Date.now();
    return this.report;
  }

  awaiting(gates: AwaitedGate[]): void {
    if (gates.length) this.report.awaiting = gates;
  }

  async end(status: Exclude<RunStatus, 'invalid'>, continuity?: ContinuityReport): Promise<RunReport> {
    this.report.status = status;
    if (continuity) this.report.continuity = continuity;
    this.emit({
      type: 'run-end',
      status,
      ...(this.report.output ? { output: this.report.output } : {}),
      ...(continuity ? { continuity } : {}),
    });
    this.report.finishedAt = Date.now();
    return this.report;
  }
}

function round4(usd: number): number {
  return Math.round(usd * 10000) / 10000;
}
