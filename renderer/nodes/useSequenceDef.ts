// The definition a sequence instance uses, for its card and its inspector: the film's own, or a
// library file's once the host has read it (asked for here the first time a card shows it).
import { useEffect, useMemo } from 'react';
import { isLibraryRef, type DefPorts, type SequenceLibrary } from '../../shared/graph/sequence';
import { readLibrarySequence } from '../actions/sequences';
import { defLookup, libraryPathOf } from '../model/scope';
import { useDocument } from '../stores/document';
import { useLibrary } from '../stores/library';

export interface InstanceDef {
  def?: DefPorts;
  /** The library file as the film names it, when the instance uses one. */
  library?: string;
  /** Why a library file could not be read. */
  error?: string;
}

const NOTHING_READ: SequenceLibrary = new Map();

export function useSequenceDef(ref: string): InstanceDef {
  const film = useDocument((s) => s.path);
  const from = useDocument((s) => s.scope?.library);
  const extra = useDocument((s) => s.extra);
  const heldFor = useLibrary((s) => s.film);
  const entries = useLibrary((s) => s.entries);
  const held = heldFor === film ? entries : NOTHING_READ;
  const library = isLibraryRef(ref) ? libraryPathOf(ref, from) : undefined;
  const entry = library ? held.get(library) : undefined;
  useEffect(() => {
    if (library && !entry) void readLibrarySequence(library);
  }, [library, entry, film]);
  return useMemo(() => {
    const def = defLookup(extra, held, from)(ref);
    return {
      ...(def ? { def } : {}),
      ...(library ? { library } : {}),
      ...(entry && !entry.ok ? { error: entry.message } : {}),
    };
  }, [extra, held, entry, from, library, ref]);
}
