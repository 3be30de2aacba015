// Auto-layout (L): ELK runs in a web worker so a 1,000-node film lays out without freezing the
// canvas; the result lands as one undoable edit, and only if the film did not change meanwhile.
import ELK, { type ELK as Elk } from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { layoutPositions, type HandlePositions } from '../model/layout';
import { edit, useDocument } from '../stores/document';
import { toast } from '../stores/ui';
import { fitView, getFlow } from './viewport';

let elk: Elk | null = null;
let busy = false;

async function engine(): Promise<Elk> {
  if (elk) return elk;
  try {
    const worker = new ELK({ workerUrl: elkWorkerUrl });
    // A worker that cannot load never answers: probe it once, briefly, before trusting it.
    const probe = await Promise.race([
      worker.knownLayoutAlgorithms().then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 5000)),
    ]);
    if (!probe) {
      worker.terminateWorker();
      throw new Error('the layout worker did not start');
    }
    elk = worker;
  } catch {
    // No worker (a restricted page): the same algorithm in this thread.
    const { default: Bundled } = await import('elkjs/lib/elk.bundled.js');
    elk = new Bundled();
  }
  return elk;
}

/** Where the canvas drew each node's ports, so ELK routes to the real handles. */
function measuredHandles(ids: string[]): Map<string, HandlePositions> {
  const flow = getFlow();
  const out = new Map<string, HandlePositions>();
  if (!flow) return out;
  for (const id of ids) {
    const b = flow.getInternalNode(id)?.internals.handleBounds;
    if (!b) continue;
    const centres = (hs: typeof b.source) =>
      Object.fromEntries(
        (hs ?? []).map((h) => [h.id ?? '', { x: h.x + h.width / 2, y: h.y + h.height / 2 }]),
      );
    out.set(id, { inputs: centres(b.target), outputs: centres(b.source) });
  }
  return out;
}

export async function autoLayout(): Promise<void> {
  const { nodes, edges, revision } = useDocument.getState();
  if (!nodes.length || busy) return;
  busy = true;
  try {
    const at = await layoutPositions(await engine(), nodes, edges, measuredHandles(nodes.map((n) => n.id)));
    if (useDocument.getState().revision !== revision) {
      toast('The film changed while it was being laid out: press L again.', 'info');
      return;
    }
    edit((s) => ({ nodes: s.nodes.map((n) => ({ ...n, position: at.get(n.id) ?? n.position })) }));
    requestAnimationFrame(fitView);
  } catch (e) {
    toast(`Auto-layout failed: ${(e as Error).message}`, 'error');
  } finally {
    busy = false;
  }
}
