// Which cards moved, for the wires drawn on them (nodes/WireLayer.tsx): one subscription to
// xyflow's store, which tells each card's watchers only when that card's entry in the node lookup
// is replaced (moved, measured, re-rendered). During a drag only the dragged card's wires hear of
// it, instead of every wire re-checking its two cards on every frame.
import type { InternalNode, ReactFlowState } from '@xyflow/react';
import type { FilmNode } from '../model/flow';

type Card = InternalNode<FilmNode> | undefined;

export interface NodeWatch {
  subscribe(id: string, listener: () => void): () => void;
  card(id: string): Card;
}

/** What this needs of xyflow's store (its useStoreApi()). */
interface FlowStore {
  getState(): Pick<ReactFlowState<FilmNode>, 'nodeLookup'>;
  subscribe(listener: () => void): () => void;
}

export function watchNodes(store: FlowStore): NodeWatch {
  const listeners = new Map<string, Set<() => void>>();
  const seen = new Map<string, Card>();
  const lookup = () => store.getState().nodeLookup;
  const changed = () => {
    const now = lookup();
    for (const [id, set] of listeners) {
      const card = now.get(id);
      if (card === seen.get(id)) continue;
      seen.set(id, card);
      for (const l of set) l();
    }
  };
  // Listening only while some wire watches a card: nothing to close when the canvas goes.
  let stop: (() => void) | undefined;
  return {
    subscribe(id, listener) {
      const set = listeners.get(id) ?? listeners.set(id, new Set()).get(id)!;
      if (!seen.has(id)) seen.set(id, lookup().get(id));
      set.add(listener);
      stop ??= store.subscribe(changed);
      return () => {
        set.delete(listener);
        if (set.size) return;
        listeners.delete(id);
        seen.delete(id);
        if (!listeners.size) {
          stop?.();
          stop = undefined;
        }
      };
    },
    card: (id) => lookup().get(id),
  };
}
