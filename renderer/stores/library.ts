// Library sequences (`*.sequence.json`) the host read for the open film: their definitions give a
// library instance its ports and open it on the canvas (docs/architecture.md §8). Not the document:
// nothing here is saved or undone; a different film starts from nothing.
import { create } from 'zustand';
import type { LibraryEntry, SequenceLibrary } from '../../shared/graph/sequence';
import type { WireContext } from '../model/connect';
import { useDocument } from './document';

export interface LibraryState {
  /** The film file the paths are relative to. */
  film: string | null;
  entries: SequenceLibrary;
}

export const useLibrary = create<LibraryState>(() => ({ film: null, entries: new Map() }));

/** What was read for this film, or nothing when another film's entries are held. */
export function libraryFor(film: string | null): SequenceLibrary {
  const s = useLibrary.getState();
  return s.film === film ? s.entries : new Map();
}

export function setLibraryEntry(film: string | null, ref: string, entry: LibraryEntry): void {
  useLibrary.setState((s) => ({
    film,
    entries: new Map([...(s.film === film ? s.entries : []), [ref, entry]]),
  }));
}

/** What a new wire is judged with: the film's own sequences and the library files read for it. */
export function wireContext(): WireContext {
  const { extra, path } = useDocument.getState();
  return {
    ...(Array.isArray(extra.sequences) ? { sequences: extra.sequences as unknown[] } : {}),
    library: libraryFor(path),
  };
}
