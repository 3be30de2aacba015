// The ports a card shows, where they are not simply its kind's: a keyframe set has one output per
// frame, and an unknown kind shows the ports its wires use. Full and light cards both ask here, so
// their handles (and the wires on them) are the same.
import { nodeKind } from '../../shared/nodes';
import { KEYFRAME_INPUTS, KEYFRAME_OUTPUTS } from '../../shared/nodes/keyframe';
import type { PortDef } from '../../shared/nodes/ports';
import type { ShotNodeData } from '../model/flow';

export interface CardPorts {
  inputs: PortDef[];
  outputs: PortDef[];
}

const named = (names: string[] | undefined): PortDef[] =>
  (names ?? []).map((name) => ({ name, type: 'text' as const, label: name }));

/** Frames in a keyframe node's set, as it will make them (1 to 15). */
export function keyframeCount(params: Record<string, unknown>): number {
  return typeof params.count === 'number' ? Math.max(1, Math.min(15, params.count)) : 1;
}

/** A card's ports; undefined for a sequence instance, whose ports come from its definition. */
export function cardPorts(data: ShotNodeData): CardPorts | undefined {
  if (data.kind === 'keyframe')
    return { inputs: KEYFRAME_INPUTS, outputs: KEYFRAME_OUTPUTS.slice(0, keyframeCount(data.params)) };
  if (data.kind === 'sequence') return undefined;
  const def = nodeKind(data.kind);
  if (!def) return { inputs: named(data.ports?.inputs), outputs: named(data.ports?.outputs) };
  return { inputs: def.inputs, outputs: def.outputs };
}

/** Kinds drawn as wide cards (settings chips and players need the room). */
export const WIDE_KINDS = new Set(['shot', 'keyframe', 'final_cut']);
