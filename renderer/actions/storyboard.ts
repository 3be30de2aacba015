// What the storyboard does to the film: reorder the cut, bring a loose shot into it, add a shot after
// another (chained by its last frame), select a card. Each is one undoable edit of the same document
// the canvas shows.
import { defaultParams } from '../../shared/nodes';
import { wireRefusal } from '../model/connect';
import { filmEntries, orderedWires, withClipOrder } from '../model/film';
import { wireId, type FilmNode, type Wire } from '../model/flow';
import { newNodeParams } from '../model/gateway';
import { nextNodeId } from '../model/ids';
import { edit, useDocument } from '../stores/document';
import { wireContext } from '../stores/library';
import { toast } from '../stores/ui';
import { selectOnly } from './nodes';
import { revealNode } from './viewport';

const NODE_GAP = 48;
const PROMPT_OFFSET_X = 380;
/** Long enough for the new node to be drawn and measured, so it is revealed whole. */
const REVEAL_AFTER_MS = 80;

/** Puts `id` at `index` among the cut's clips; a shot not yet in the cut is wired in there. */
export function placeInCut(cut: string, id: string, index: number): void {
  const { nodes, edges } = useDocument.getState();
  const current = filmEntries(nodes, edges, cut)
    .filter((e) => e.index >= 0)
    .map((e) => e.id);
  const from = current.indexOf(id);
  const order = current.filter((x) => x !== id);
  const at = Math.max(0, Math.min(order.length, from >= 0 && from < index ? index - 1 : index));
  order.splice(at, 0, id);
  if (from >= 0 && order.every((x, i) => x === current[i])) return; // dropped where it was
  const added: Wire[] = [];
  if (from < 0) {
    const req = { source: id, sourcePort: 'video', target: cut, targetPort: 'clips' };
    const refused = wireRefusal(nodes, edges, req, wireContext());
    if (refused) return toast(`Can't put ${id} in ${cut}: ${refused}`, 'error');
    added.push(clipWire(id, 'video', cut, order.indexOf(id)));
  }
  edit((s) => ({ edges: withClipOrder([...s.edges, ...added], cut, order) }));
}

function clipWire(source: string, port: string, cut: string, order: number): Wire {
  return {
    id: wireId(source, port, cut, 'clips'),
    source,
    target: cut,
    sourceHandle: port,
    targetHandle: 'clips',
    data: { extra: {}, portType: 'video', order },
  };
}

function wire(source: string, sourcePort: string, target: string, targetPort: string, type: string): Wire {
  return {
    id: wireId(source, sourcePort, target, targetPort),
    source,
    target,
    sourceHandle: sourcePort,
    targetHandle: targetPort,
    data: { extra: {}, portType: type },
  };
}

/**
 * A new shot (and an empty prompt for it) after `afterId`: it starts on that shot's last frame,
 * takes its settings and scene, sits below it on the canvas and follows it in the cut.
 */
export function addShotAfter(afterId: string, cut: string | null): string | null {
  const { nodes, edges } = useDocument.getState();
  const src = nodes.find((n) => n.id === afterId);
  if (!src) return null;
  const taken = nodes.map((n) => n.id);
  const shotId = nextNodeId('shot', taken);
  const promptId = nextNodeId('prompt', [...taken, shotId]);
  const fromShot = src.data.kind === 'shot';
  const srcPrompt = orderedWires(edges, afterId, 'prompt')[0];
  const promptX =
    nodes.find((n) => n.id === srcPrompt?.source)?.position.x ?? src.position.x - PROMPT_OFFSET_X;
  const at = freeRow(nodes, src, promptX);
  const { seed: _seed, ...settings } = fromShot ? src.data.params : {};
  const scene = src.data.extra.scene;
  const shot: FilmNode = {
    id: shotId,
    type: 'shot',
    position: { x: src.position.x, y: at },
    data: {
      kind: 'shot',
      params: { ...newNodeParams('shot', useDocument.getState().extra), ...settings },
      extra: typeof scene === 'string' ? { scene } : {},
    },
    selected: true,
  };
  const prompt: FilmNode = {
    id: promptId,
    type: 'prompt',
    position: { x: promptX, y: at },
    data: { kind: 'prompt', params: defaultParams('prompt'), extra: {} },
  };
  const wires = [wire(promptId, 'text', shotId, 'prompt', 'text')];
  if (fromShot) wires.push(wire(afterId, 'last_frame', shotId, 'first_frame', 'image'));
  const inCut = cut ? filmEntries(nodes, edges, cut).filter((e) => e.index >= 0) : [];
  const after = inCut.findIndex((e) => e.id === afterId);
  let order: string[] | null = null;
  if (cut && after >= 0) {
    order = inCut.map((e) => e.id);
    order.splice(after + 1, 0, shotId);
    wires.push(clipWire(shotId, 'video', cut, after + 1));
  }
  edit((s) => {
    const all = [...s.edges, ...wires];
    return {
      nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), prompt, shot],
      edges: cut && order ? withClipOrder(all, cut, order) : all,
    };
  });
  setTimeout(() => revealNode(shotId, true), REVEAL_AFTER_MS);
  return shotId;
}

/** The first height below `src` where a shot and its prompt (at promptX) overlap no node. */
function freeRow(nodes: FilmNode[], src: FilmNode, promptX: number): number {
  const size = (n: FilmNode) => ({ w: n.measured?.width ?? 288, h: n.measured?.height ?? 300 });
  const spots = [src.position.x, promptX];
  const hits = (y: number) =>
    nodes.some((n) => {
      const { w, h } = size(n);
      return spots.some(
        (x) =>
          x < n.position.x + w + NODE_GAP / 2 &&
          n.position.x < x + 288 + NODE_GAP / 2 &&
          y < n.position.y + h + NODE_GAP / 2 &&
          n.position.y < y + 300 + NODE_GAP / 2,
      );
    });
  let y = src.position.y + size(src).h + NODE_GAP;
  for (let i = 0; i < 200 && hits(y); i++) y += 40;
  return Math.round(y);
}

/** A card picked: its node is selected on the canvas and brought into view there. */
export function selectCard(id: string): void {
  selectOnly(id);
  revealNode(id);
}
