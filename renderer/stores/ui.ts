// Transient editor UI: toasts, overlays, panels. Nothing here is saved or undone.
import { create } from 'zustand';
import type { OpOutput } from '../../shared/contract';

export interface Toast {
  id: number;
  tone: 'info' | 'error' | 'success';
  text: string;
}

export interface SearchAt {
  screen: { x: number; y: number };
  flow: { x: number; y: number };
  /** Dropped from a dangling wire: wire the new node to this port. */
  from?: { nodeId: string; port: string; side: 'source' | 'target' };
}

export interface FileDialogRequest {
  mode: 'open' | 'save';
  suggested?: string;
  resolve(path: string | null): void;
}

/** What the stage shows: the node graph, the storyboard, or both side by side. */
export type StageView = 'graph' | 'split' | 'board';

export interface UiState {
  toasts: Toast[];
  search: SearchAt | null;
  fileDialog: FileDialogRequest | null;
  minimap: boolean;
  problemsOpen: boolean;
  /** The cast panel: the film's characters, props and locations. */
  castOpen: boolean;
  helpOpen: boolean;
  settingsOpen: boolean;
  view: StageView;
  timelineOpen: boolean;
  /** Final cut the storyboard and timeline show; null: the film's first. */
  cut: string | null;
  /** Takes drawer of the storyboard open for the selected shot. */
  takesOpen: boolean;
  /** The last file the Export menu wrote, as the host shows paths. */
  exported: string | null;
  info: OpOutput<'app.info'> | null;
  recent: OpOutput<'recent.list'>['files'];
  recovery: OpOutput<'recovery.list'>['items'];
  connected: boolean;
  /** The start gallery (templates, recent films) instead of an empty canvas. */
  gallery: boolean;
  /** Run with…: the film as a form of its inputs, without the canvas. */
  runWith: boolean;
  /** Batch runs from a CSV, films side by side. */
  batchOpen: boolean;
}

export const useUi = create<UiState>(() => ({
  toasts: [],
  search: null,
  fileDialog: null,
  minimap: true,
  problemsOpen: false,
  castOpen: false,
  helpOpen: false,
  settingsOpen: false,
  view: 'graph',
  timelineOpen: false,
  cut: null,
  takesOpen: false,
  exported: null,
  info: null,
  recent: [],
  recovery: [],
  connected: false,
  gallery: true,
  runWith: false,
  batchOpen: false,
}));

let toastIds = 0;

export function toast(text: string, tone: Toast['tone'] = 'info', ms = tone === 'error' ? 7000 : 3500): void {
  const id = ++toastIds;
  useUi.setState((s) => ({ toasts: [...s.toasts.slice(-4), { id, tone, text }] }));
  setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  useUi.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}
