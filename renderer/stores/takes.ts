// Takes of the shots the editor has looked at, as the host listed them. Not part of the document:
// which take is active is (node.take); this is what exists on disk.
import { create } from 'zustand';
import type { OpOutput } from '../../shared/contract';

export type Take = OpOutput<'takes.list'>['takes'][number];

export const useTakes = create<{ byNode: Record<string, Take[]> }>(() => ({ byNode: {} }));
