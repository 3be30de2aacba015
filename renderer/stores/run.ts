// Run state, kept out of the document and its history: per-node status, progress, outputs, errors.
import { create } from 'zustand';
import type { ContinuityReport } from '../../shared/continuity';
import type { NodeStatus, RunEvent } from '../../shared/events';
import type { Problem } from '../../shared/problems';

export interface NodeRun {
  status: NodeStatus;
  progress?: number;
  message?: string;
  outputs?: Record<string, string>;
  error?: string;
  field?: string;
  /** When this editor last heard of the node from a run (client clock; see useNodeStatus). */
  at?: number;
}

export interface RunState {
  runId: string | null;
  /** The last run this editor saw end (a re-attach to it shows nothing new). */
  lastRunId: string | null;
  phase: 'idle' | 'starting' | 'running' | 'cancelling';
  /** What a running run does after its nodes, in the engine's words (`run-phase`), e.g. "measuring continuity". */
  step: string | null;
  /** Node id run up to, when the run was "Run to here". */
  until: string | null;
  nodes: Record<string, NodeRun>;
  problems: Problem[];
  lastStatus: 'succeeded' | 'failed' | 'cancelled' | 'awaiting-approval' | 'invalid' | null;
  output: string | null;
  /** The engine's continuity report from the last run that measured one (shared/continuity.ts). */
  continuity: ContinuityReport | null;
  startedAt: number | null;
  finishedAt: number | null;
  reset(): void;
}

const initial = {
  runId: null,
  lastRunId: null,
  phase: 'idle' as const,
  step: null,
  until: null,
  nodes: {},
  problems: [],
  lastStatus: null,
  output: null,
  continuity: null,
  startedAt: null,
  finishedAt: null,
};

export const useRun = create<RunState>((set) => ({
  ...initial,
  reset: () => set({ ...initial }),
}));

/** Folds one engine event into the run state. */
export function applyRunEvent(e: RunEvent): void {
  const at = Date.now();
  useRun.setState((s) => {
    const put = (id: string, patch: Partial<NodeRun>) => ({
      nodes: { ...s.nodes, [id]: { ...s.nodes[id], ...patch, at } as NodeRun },
    });
    switch (e.type) {
      case 'run-start': {
        // Everything this run will touch waits as "queued" until the engine reaches it.
        const nodes = { ...s.nodes };
        for (const id of e.nodes)
          nodes[id] = {
            ...nodes[id],
            status: 'queued',
            progress: undefined,
            error: undefined,
            field: undefined,
            at,
          };
        return { phase: s.phase === 'cancelling' ? 'cancelling' : 'running', step: null, nodes };
      }
      case 'node-queued':
        return put(e.nodeId, { status: 'queued', progress: undefined, error: undefined, field: undefined });
      case 'node-started':
        return put(e.nodeId, { status: 'running', progress: 0 });
      case 'node-progress':
        return put(e.nodeId, {
          status: 'running',
          progress: e.progress,
          ...(e.message ? { message: e.message } : {}),
        });
      case 'node-submitted':
        return put(e.nodeId, { message: `task ${e.taskId}` });
      case 'node-cached':
        return put(e.nodeId, { status: 'cached', outputs: e.outputs, progress: 1 });
      case 'node-succeeded':
        return put(e.nodeId, {
          status: 'succeeded',
          outputs: e.outputs,
          progress: 1,
          message: undefined,
        });
      case 'node-failed':
        return put(e.nodeId, { status: 'failed', error: e.error, ...(e.field ? { field: e.field } : {}) });
      case 'node-skipped':
        return put(e.nodeId, { status: 'skipped', message: e.reason });
      case 'node-cancelled':
        return put(e.nodeId, { status: 'cancelled' });
      case 'run-phase':
        return { step: e.phase === 'measuring-continuity' ? 'measuring continuity' : e.phase };
      case 'run-end':
        return { step: null, output: e.output ?? s.output, continuity: e.continuity ?? s.continuity };
      default:
        return s;
    }
  });
}
