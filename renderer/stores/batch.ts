// A batch run from a CSV: one film per row, each with its own progress and result.
import { create } from 'zustand';
import type { BatchRowView, RunReportSummary } from '../../shared/contract';
import type { RunEvent } from '../../shared/events';

export interface BatchFilm extends BatchRowView {
  /** Nodes this row's run will touch, and those finished (made, cached, failed or skipped). */
  total: number;
  done: number;
  report: RunReportSummary | null;
}

export interface BatchState {
  batchId: string | null;
  csvName: string | null;
  csv: string | null;
  films: BatchFilm[];
  status: 'idle' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'awaiting-approval' | 'invalid';
  /** Why the batch as a whole was refused or failed (every row is checked before any runs). */
  problems: { message: string }[];
}

export const useBatch = create<BatchState>(() => ({
  batchId: null,
  csvName: null,
  csv: null,
  films: [],
  status: 'idle',
  problems: [],
}));

const FINISHED = new Set(['node-succeeded', 'node-cached', 'node-failed', 'node-skipped', 'node-cancelled']);

/** Folds one row's run event into its film card. */
export function foldBatchEvent(films: BatchFilm[], row: number, e: RunEvent): BatchFilm[] {
  return films.map((f) => {
    if (f.row !== row) return f;
    if (e.type === 'run-start') return { ...f, total: e.nodes.length, done: 0 };
    if (FINISHED.has(e.type)) return { ...f, done: Math.min(f.done + 1, Math.max(f.total, f.done + 1)) };
    return f;
  });
}

export function foldBatchRow(films: BatchFilm[], row: number, report: RunReportSummary): BatchFilm[] {
  return films.map((f) =>
    f.row === row ? { ...f, report, done: report.status === 'succeeded' ? f.total : f.done } : f,
  );
}
