// The editor's document store: every kind of edit is one undo step that undo reverses exactly and
// redo replays exactly; drags enter history at their end, clicks and selection never do.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/schema';
import { setClipSetting, setCutSetting, setMusicFile, setTransition } from '../../renderer/actions/cut';
import {
  addNode,
  connect,
  deleteSelection,
  duplicateSelection,
  moveWire,
  pasteClip,
  renameFilm,
  selectOnly,
  setFrozen,
  setLabel,
  setParam,
  setParams,
  setScene,
} from '../../renderer/actions/nodes';
import { placeInCut } from '../../renderer/actions/storyboard';
import { copySelection } from '../../renderer/model/clipboard';
import { canvasToGraph, graphToCanvas } from '../../renderer/model/convert';
import { useDrag } from '../../renderer/stores/drag';
import {
  edit,
  loadDocument,
  markSaved,
  onNodesChange,
  redo,
  selectDirty,
  undo,
  useDocument,
} from '../../renderer/stores/document';

function start(): void {
  const g: Graph = {
    format: 'shotgraph',
    version: 2,
    name: 'Three shots',
    settings: { provider: 'animatic' },
    nodes: [
      { id: 'prompt', type: 'prompt', position: { x: 0, y: 0 }, params: { text: 'a lighthouse' } },
      { id: 's1', type: 'shot', position: { x: 400, y: 0 }, params: { duration: 4 } },
      { id: 's2', type: 'shot', position: { x: 800, y: 0 }, params: { duration: 4 } },
      { id: 's3', type: 'shot', position: { x: 1200, y: 0 }, params: { duration: 4 } },
      { id: 'cut', type: 'final_cut', position: { x: 1600, y: 0 }, params: {} },
    ],
    edges: [
      { source: 'prompt', sourcePort: 'text', target: 's1', targetPort: 'prompt' },
      { source: 's1', sourcePort: 'last_frame', target: 's2', targetPort: 'first_frame' },
      { source: 's1', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 0 },
      { source: 's2', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 1 },
      { source: 's3', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 2 },
    ],
  } as Graph;
  loadDocument(graphToCanvas(g), 'film.json');
}

/** The document as a file would hold it: what undo and redo must restore. */
const content = () => canvasToGraph(useDocument.getState());
const select = (...ids: string[]) =>
  useDocument.setState((s) => ({ nodes: s.nodes.map((n) => ({ ...n, selected: ids.includes(n.id) })) }));

beforeEach(start);

const EDITS: [string, () => void][] = [
  ['add a node', () => addNode('image', { x: 10, y: 20 })],
  [
    'draw a wire',
    () =>
      expect(connect({ source: 'prompt', sourcePort: 'text', target: 's3', targetPort: 'prompt' })).toBe(
        true,
      ),
  ],
  ['delete the selection (with its wires)', () => (select('s2'), deleteSelection())],
  ['duplicate the selection', () => (select('s1', 's2'), duplicateSelection())],
  ['paste a clip', () => pasteClip(copySelection((select('prompt'), useDocument.getState().nodes), [])!)],
  ['set a param', () => setParam('s1', 'resolution', '1080p')],
  ['remove a param', () => setParam('s1', 'duration', undefined)],
  ['set several params', () => setParams('s2', { ratio: '9:16', seed: 7 })],
  ['set a label', () => setLabel('s3', 'The end')],
  ['rename the film', () => renameFilm('Four shots')],
  [
    'move a clip later in the cut',
    () => moveWire(useDocument.getState().edges.find((e) => e.source === 's1' && e.target === 'cut')!.id, 1),
  ],
  ['place a shot in the cut', () => placeInCut('cut', 's3', 0)],
  ['set a scene', () => setScene('s2', 'harbour')],
  ['freeze a shot', () => setFrozen('s1', true)],
  ['set a cut setting', () => setCutSetting('cut', 'loudness', 'target', -16)],
  ['set the music', () => setMusicFile('cut', { file: 'media/bed.mp3', sha256: 'a'.repeat(64) })],
  ['trim a clip', () => setClipSetting('cut', 's2', 'trimStart', 0.5)],
  ['set a transition', () => setTransition('cut', 's2', 'crossfade', 1)],
  ['change the film settings', () => edit((s) => ({ extra: { ...s.extra, settings: { provider: 'ark' } } }))],
];

describe('document store: undo and redo of every edit kind', () => {
  it.each(EDITS)('%s: one step, undone and redone exactly', (_name, change) => {
    const before = content();
    const depth = useDocument.getState().past.length;
    change();
    const after = content();
    expect(after).not.toEqual(before);
    expect(useDocument.getState().past.length).toBe(depth + 1);
    expect(selectDirty(useDocument.getState())).toBe(true);
    undo();
    expect(content()).toEqual(before);
    expect(selectDirty(useDocument.getState())).toBe(false); // back at the saved revision
    redo();
    expect(content()).toEqual(after);
    undo();
    undo(); // nothing more to undo: a no-op
    expect(content()).toEqual(before);
  });

  it('a drag is one step, recorded when it ends; a click that moves nothing is none', () => {
    const before = content();
    onNodesChange([{ type: 'position', id: 's1', position: { x: 400, y: 0 }, dragging: true }]);
    onNodesChange([{ type: 'position', id: 's1', position: { x: 400, y: 0 }, dragging: false }]);
    expect(useDocument.getState().past.length).toBe(0);
    expect(selectDirty(useDocument.getState())).toBe(false);
    for (let i = 1; i <= 30; i++)
      onNodesChange([{ type: 'position', id: 's1', position: { x: 400 + i * 8, y: i }, dragging: true }]);
    expect(useDocument.getState().past.length).toBe(0); // nothing recorded mid-drag
    // Mid-drag the document itself does not change at all: its subscribers hear of the drop only.
    expect(content()).toEqual(before);
    expect(useDrag.getState().moving.get('s1')).toEqual({ x: 640, y: 30 });
    onNodesChange([{ type: 'position', id: 's1', position: { x: 640, y: 30 }, dragging: false }]);
    expect(useDocument.getState().past.length).toBe(1);
    expect(content().nodes.find((n) => n.id === 's1')!.position).toEqual({ x: 640, y: 30 });
    expect(useDrag.getState().moving.size).toBe(0);
    undo();
    expect(content()).toEqual(before);
    redo();
    expect(content().nodes.find((n) => n.id === 's1')!.position).toEqual({ x: 640, y: 30 });
  });

  it('a group drag lands every node it moved, even those the drop does not name', () => {
    let notified = 0;
    const stop = useDocument.subscribe(() => void notified++);
    for (let i = 1; i <= 10; i++)
      onNodesChange([
        { type: 'position', id: 's1', position: { x: 400 + i * 8, y: 0 }, dragging: true },
        { type: 'position', id: 's2', position: { x: 800 + i * 8, y: 0 }, dragging: true },
      ]);
    expect(notified).toBe(0);
    onNodesChange([{ type: 'position', id: 's1', position: { x: 488, y: 0 }, dragging: false }]);
    stop();
    expect(notified).toBe(1);
    const at = (id: string) => content().nodes.find((n) => n.id === id)!.position;
    expect([at('s1'), at('s2')]).toEqual([
      { x: 488, y: 0 },
      { x: 880, y: 0 },
    ]);
    expect(useDocument.getState().nodes.some((n) => n.dragging)).toBe(false);
    expect(useDocument.getState().past.length).toBe(1);
  });

  it('typing in one field coalesces into one step; another field starts a new one', () => {
    const before = content();
    for (const text of ['a', 'a l', 'a li', 'a lig']) setParam('prompt', 'text', text);
    expect(useDocument.getState().past.length).toBe(1);
    setParam('s1', 'duration', 6);
    expect(useDocument.getState().past.length).toBe(2);
    undo();
    undo();
    expect(content()).toEqual(before);
  });

  it('selection is never history, and survives undo and redo', () => {
    selectOnly('s2');
    expect(useDocument.getState().past.length).toBe(0);
    setParam('s1', 'duration', 8);
    selectOnly('s3');
    undo();
    expect(
      useDocument
        .getState()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual(['s3']);
  });

  it('a new edit clears redo; loading a film clears history; saving marks clean', () => {
    setParam('s1', 'duration', 8);
    undo();
    setParam('s1', 'duration', 9);
    expect(useDocument.getState().future).toEqual([]);
    markSaved('film.json', useDocument.getState().revision);
    expect(selectDirty(useDocument.getState())).toBe(false);
    undo();
    expect(selectDirty(useDocument.getState())).toBe(true);
    start();
    expect(useDocument.getState().past).toEqual([]);
    expect(useDocument.getState().future).toEqual([]);
  });

  it('keeps at most 200 steps, dropping the oldest', () => {
    for (let i = 0; i < 230; i++) setParams('s1', { seed: i });
    expect(useDocument.getState().past.length).toBe(200);
    while (useDocument.getState().past.length) undo();
    expect(content().nodes.find((n) => n.id === 's1')!.params.seed).toBe(29);
  });
});
