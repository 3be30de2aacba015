// Every editor command has a key. One table, also rendered as the help overlay.
import { redo, undo, useDocument } from '../stores/document';
import { useUi } from '../stores/ui';
import { CLIPBOARD_MIME, copySelection, parseClip, type Clip } from '../model/clipboard';
import { newFilm, openFilm, saveFilm } from './files';
import { autoLayout } from './auto-layout';
import { deleteSelection, duplicateSelection, pasteClip, selectAll } from './nodes';
import { cancelRun, runFilm } from './run';
import { drillOut } from './sequences';
import { toggleStoryboard, toggleTimeline } from './view';
import { fitView, getFlow } from './viewport';

export interface Shortcut {
  keys: string;
  label: string;
  match(e: KeyboardEvent): boolean;
  /** Also works while a text field has focus (file and run commands, as in any editor). */
  whileTyping?: boolean;
  run(): void;
}

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const key = (e: KeyboardEvent, k: string) => e.key.toLowerCase() === k;
const plain = (e: KeyboardEvent) => !mod(e) && !e.altKey;

const selectedId = () => useDocument.getState().nodes.find((n) => n.selected)?.id;

export function openSearchAtPointer(): void {
  const flow = getFlow();
  const screen = lastPointer;
  useUi.setState({ search: { screen, flow: flow ? flow.screenToFlowPosition(screen) : { x: 0, y: 0 } } });
}

export const SHORTCUTS: Shortcut[] = [
  { keys: 'Ctrl+Z', label: 'Undo', match: (e) => mod(e) && key(e, 'z') && !e.shiftKey, run: undo },
  {
    keys: 'Ctrl+Shift+Z / Ctrl+Y',
    label: 'Redo',
    match: (e) => mod(e) && ((key(e, 'z') && e.shiftKey) || key(e, 'y')),
    run: redo,
  },
  {
    keys: 'Ctrl+D',
    label: 'Duplicate selection',
    match: (e) => mod(e) && key(e, 'd'),
    run: duplicateSelection,
  },
  { keys: 'Ctrl+A', label: 'Select all', match: (e) => mod(e) && key(e, 'a'), run: selectAll },
  {
    keys: 'Delete / Backspace',
    label: 'Delete selection',
    match: (e) => plain(e) && (e.key === 'Delete' || e.key === 'Backspace'),
    run: deleteSelection,
  },
  { keys: 'Ctrl+C / Ctrl+V / Ctrl+X', label: 'Copy, paste, cut', match: () => false, run: () => undefined },
  {
    keys: 'Shift+A, Space or double-click',
    label: 'Add a node (search)',
    match: (e) => (plain(e) && e.key === ' ') || (e.shiftKey && !mod(e) && key(e, 'a')),
    run: openSearchAtPointer,
  },
  { keys: 'F', label: 'Fit view', match: (e) => plain(e) && !e.shiftKey && key(e, 'f'), run: fitView },
  {
    keys: 'L',
    label: 'Auto-layout',
    match: (e) => plain(e) && !e.shiftKey && key(e, 'l'),
    run: () => void autoLayout(),
  },
  {
    keys: 'M',
    label: 'Toggle minimap',
    match: (e) => plain(e) && !e.shiftKey && key(e, 'm'),
    run: () => useUi.setState((s) => ({ minimap: !s.minimap })),
  },
  {
    keys: 'B',
    label: 'Toggle the storyboard beside the graph',
    match: (e) => plain(e) && !e.shiftKey && key(e, 'b'),
    run: toggleStoryboard,
  },
  {
    keys: 'T',
    label: 'Toggle the timeline',
    match: (e) => plain(e) && !e.shiftKey && key(e, 't'),
    run: () => toggleTimeline(),
  },
  {
    keys: 'P',
    label: 'Toggle problems panel',
    match: (e) => plain(e) && !e.shiftKey && key(e, 'p'),
    run: () => useUi.setState((s) => ({ problemsOpen: !s.problemsOpen })),
  },
  {
    keys: 'Ctrl+Enter',
    label: 'Run the film',
    whileTyping: true,
    match: (e) => mod(e) && e.key === 'Enter' && !e.shiftKey,
    run: () => void runFilm(),
  },
  {
    keys: 'Ctrl+Shift+Enter',
    label: 'Run to the selected node',
    whileTyping: true,
    match: (e) => mod(e) && e.key === 'Enter' && e.shiftKey,
    run: () => {
      const id = selectedId();
      if (id) void runFilm(id);
    },
  },
  {
    keys: 'Ctrl+.',
    label: 'Cancel the run',
    whileTyping: true,
    match: (e) => mod(e) && e.key === '.',
    run: () => void cancelRun(),
  },
  { keys: 'Ctrl+N', label: 'New film', match: (e) => mod(e) && key(e, 'n'), run: newFilm, whileTyping: true },
  {
    keys: 'Ctrl+O',
    label: 'Open…',
    match: (e) => mod(e) && key(e, 'o'),
    run: () => void openFilm(),
    whileTyping: true,
  },
  {
    keys: 'Ctrl+S',
    label: 'Save',
    whileTyping: true,
    match: (e) => mod(e) && key(e, 's') && !e.shiftKey,
    run: () => void saveFilm(),
  },
  {
    keys: 'Ctrl+Shift+S',
    label: 'Save as…',
    whileTyping: true,
    match: (e) => mod(e) && key(e, 's') && e.shiftKey,
    run: () => void saveFilm(true),
  },
  {
    keys: '?',
    label: 'Show shortcuts',
    match: (e) => e.key === '?',
    run: () => useUi.setState((s) => ({ helpOpen: !s.helpOpen })),
  },
];

let lastPointer = { x: window.innerWidth / 2, y: window.innerHeight / 2 };

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)));
}

let memoryClip: Clip | undefined;

export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent) => {
    const typing = typingInto(e.target);
    if (typing && !SHORTCUTS.find((s) => s.match(e))?.whileTyping) return;
    const ui = useUi.getState();
    if (ui.fileDialog || ui.search) return; // overlays own the keyboard while open
    if (e.key === 'Escape') {
      // Closes an open panel first; otherwise leaves the sequence the canvas shows (as the breadcrumb).
      if (ui.helpOpen || ui.settingsOpen) useUi.setState({ helpOpen: false, settingsOpen: false });
      else if (!typing && useDocument.getState().scope) drillOut();
      return;
    }
    const hit = SHORTCUTS.find((s) => s.match(e));
    if (!hit) return;
    e.preventDefault();
    hit.run();
  };
  const onMove = (e: PointerEvent) => (lastPointer = { x: e.clientX, y: e.clientY });
  // Clipboard through the real copy/paste events, so nodes can move between windows and tabs.
  const onCopy = (e: ClipboardEvent, cut = false) => {
    if (typingInto(e.target) || typingInto(document.activeElement)) return;
    const { nodes, edges } = useDocument.getState();
    const clip = copySelection(nodes, edges);
    if (!clip) return;
    memoryClip = clip;
    const text = JSON.stringify(clip);
    e.clipboardData?.setData('text/plain', text);
    e.clipboardData?.setData(CLIPBOARD_MIME, text);
    e.preventDefault();
    if (cut) deleteSelection();
  };
  const onPaste = (e: ClipboardEvent) => {
    if (typingInto(e.target) || typingInto(document.activeElement)) return;
    const text = e.clipboardData?.getData(CLIPBOARD_MIME) || e.clipboardData?.getData('text/plain') || '';
    const clip = parseClip(text) ?? memoryClip;
    if (!clip) return;
    e.preventDefault();
    pasteClip(clip);
  };
  const onCut = (e: ClipboardEvent) => onCopy(e, true);
  window.addEventListener('keydown', onKey);
  window.addEventListener('pointermove', onMove);
  document.addEventListener('copy', onCopy);
  document.addEventListener('cut', onCut);
  document.addEventListener('paste', onPaste);
  return () => {
    window.removeEventListener('keydown', onKey);
    window.removeEventListener('pointermove', onMove);
    document.removeEventListener('copy', onCopy);
    document.removeEventListener('cut', onCut);
    document.removeEventListener('paste', onPaste);
  };
}
