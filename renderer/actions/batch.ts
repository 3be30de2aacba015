// Batch runs: pick a CSV, start one film per row on the host, follow each row's run.
import { useBatch, foldBatchEvent, foldBatchRow } from '../stores/batch';
import { useDocument } from '../stores/document';
import { toast } from '../stores/ui';
import { host } from '../transport';
import { currentGraph, ensureSaved, reportProblem, saveFilm } from './files';

export async function pickCsv(file: File): Promise<void> {
  if (file.size > 5 * 1024 * 1024) return toast(`${file.name} is larger than 5 MiB`, 'error');
  useBatch.setState({ csv: await file.text(), csvName: file.name, films: [], status: 'idle' });
}

export async function startBatch(): Promise<void> {
  const { csv, status } = useBatch.getState();
  if (!csv) return toast('Choose a CSV first: one column per input, one row per film');
  if (status === 'running') return toast('A batch is already running');
  const path = await ensureSaved('its folder holds the films');
  if (!path) return;
  if (useDocument.getState().revision !== useDocument.getState().savedRevision) await saveFilm();
  try {
    const r = await host.call('batch.start', { path, graph: currentGraph(), csv });
    useBatch.setState({
      batchId: r.batchId,
      status: 'running',
      problems: [],
      films: r.rows.map((row) => ({ ...row, total: 0, done: 0, report: null })),
    });
  } catch (e) {
    reportProblem('Could not start the batch', e);
  }
}

export async function cancelBatch(): Promise<void> {
  const { batchId } = useBatch.getState();
  if (batchId)
    await host.call('batch.cancel', { batchId }).catch((e) => reportProblem('Could not cancel', e));
}

export function listenToBatches(): () => void {
  return host.subscribe((msg) => {
    if (msg.kind !== 'batch-event' && msg.kind !== 'batch-row' && msg.kind !== 'batch-end') return;
    if (msg.batchId !== useBatch.getState().batchId) return;
    if (msg.kind === 'batch-event')
      return useBatch.setState((s) => ({ films: foldBatchEvent(s.films, msg.row, msg.event) }));
    if (msg.kind === 'batch-row')
      return useBatch.setState((s) => ({ films: foldBatchRow(s.films, msg.row, msg.report) }));
    useBatch.setState({ status: msg.status, problems: msg.problems });
    if (msg.status === 'awaiting-approval')
      toast('Batch waiting for approval: approve the take on its card, then run the batch again');
    else toast(`Batch ${msg.status}`, msg.status === 'succeeded' ? 'success' : 'error');
  });
}
