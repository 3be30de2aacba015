// Typed run events (docs/architecture.md §5). The editor, the CLI progress bars and the run log all consume
// these, so what the user sees and what is audited cannot drift apart.
import type { ContinuityReport } from './continuity';

export type NodeStatus =
  'idle' | 'queued' | 'running' | 'cached' | 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'stale';

export interface NodeOutput {
  /** Files by output port name (absolute paths on the engine side), or text for prompts. */
  [port: string]: string;
}

export type RunEvent =
  | { type: 'run-start'; runId: string; at: number; graphName: string; nodes: string[] }
  | { type: 'node-queued'; at: number; nodeId: string }
  | { type: 'node-started'; at: number; nodeId: string; provider?: string }
  | { type: 'node-progress'; at: number; nodeId: string; progress: number; message?: string }
  | { type: 'node-submitted'; at: number; nodeId: string; taskId: string; provider: string }
  | { type: 'node-cached'; at: number; nodeId: string; outputs: NodeOutput }
  | {
      type: 'node-succeeded';
      at: number;
      nodeId: string;
      outputs: NodeOutput;
      taskId?: string;
      tokens?: number;
      costUsd?: number;
    }
  | { type: 'node-failed'; at: number; nodeId: string; error: string; field?: string; taskId?: string }
  | { type: 'node-skipped'; at: number; nodeId: string; reason: string }
  | { type: 'node-cancelled'; at: number; nodeId: string }
  | {
      type: 'run-end';
      at: number;
      /** `awaiting-approval`: what could run ran; the rest waits for an approval gate. */
      status: 'succeeded' | 'failed' | 'cancelled' | 'awaiting-approval';
      output?: string;
      /** Seams and chains measured on the clips the run has (shared/continuity.ts). */
      continuity?: ContinuityReport;
    }
  /** Another run holds the project: this one waits (sent again when the holder changes). */
  | { type: 'run-waiting'; at: number; holder?: RunLockHolder; message: string }
  /**
   * What the run does once its nodes are done, before it ends (it still holds the project): today
   * only measuring the continuity report. The editor and the CLI show `message` as the run's status.
   */
  | { type: 'run-phase'; at: number; phase: 'measuring-continuity'; message: string }
  /** One line about the run as a whole (it waited, it ran without writing the project state). */
  | { type: 'run-notice'; at: number; code: string; message: string };

/** Whose run holds a project's lock (engine/project-lock.ts). */
export interface RunLockHolder {
  pid: number;
  host: string;
  /** Epoch ms when it took the lock. */
  since: number;
  graph?: string;
}

export type RunEventType = RunEvent['type'];
