// Edits of the film's cast (docs/architecture.md §3): each is one undoable step of the document,
// stored in the graph's `cast` like any other top-level field. Which shots use a member is the
// engine's answer (film status), never worked out here.
import {
  CAST_KINDS,
  castMemberSchema,
  findMentions,
  type CastKind,
  type CastMember,
} from '../../shared/cast';
import type { GraphNode } from '../../shared/graph/schema';
import type { FilmNode } from '../model/flow';
import { edit, useDocument, type Content } from '../stores/document';
import { toast } from '../stores/ui';

export function castOf(extra: Record<string, unknown>): CastMember[] {
  return Array.isArray(extra.cast) ? (extra.cast as CastMember[]) : [];
}

function setCast(change: (cast: CastMember[]) => CastMember[], mark?: string): void {
  edit((s) => ({ extra: { ...s.extra, cast: change(castOf(s.extra)) } }), mark);
}

function patch(index: number, p: Partial<CastMember>, mark?: string): void {
  setCast((cast) => cast.map((m, i) => (i === index ? { ...m, ...p } : m)), mark);
}

/** Why `name` cannot be this member's name (the graph's own rule, then uniqueness), or undefined. */
export function nameRefusal(name: string, index: number): string | undefined {
  const parsed = castMemberSchema.shape.name.safeParse(name);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'not a valid name';
  const cast = castOf(useDocument.getState().extra);
  if (cast.some((m, i) => i !== index && m.name.toLowerCase() === name.toLowerCase()))
    return `the cast already has @${name}`;
  return undefined;
}

/** A new member with a free name ("Character", "Character2", …); returns its index. */
export function addMember(kind: CastKind = 'character'): number {
  const cast = castOf(useDocument.getState().extra);
  const base = kind[0]!.toUpperCase() + kind.slice(1);
  const taken = new Set(cast.map((m) => m.name.toLowerCase()));
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}${n}`;
  setCast((c) => [...c, { name, kind, images: [] }]);
  return cast.length;
}

/**
 * Renames a member and every `@Old` in the film's prompts with it, in one step, so the shots that
 * called the member in still do. Refused (with a toast) when the name breaks the graph's rule.
 */
export function renameMember(index: number, name: string): boolean {
  const cast = castOf(useDocument.getState().extra);
  const old = cast[index];
  if (!old || old.name === name) return false;
  const refusal = nameRefusal(name, index);
  if (refusal) {
    toast(`@${name}: ${refusal}`, 'error');
    return false;
  }
  const respell = (text: string) => renameMentions(text, old.name, name);
  const canvasNodes = (nodes: FilmNode[]) =>
    nodes.map((n) => {
      if (n.data.kind !== 'prompt' || typeof n.data.params.text !== 'string') return n;
      const text = respell(n.data.params.text);
      return text === n.data.params.text
        ? n
        : { ...n, data: { ...n.data, params: { ...n.data.params, text } } };
    });
  // Prompts live on the canvas, in the film around an open sequence, and in sequence definitions.
  const definition = (d: unknown) => {
    const def = d as { nodes?: GraphNode[] } | null;
    if (!def || !Array.isArray(def.nodes)) return d;
    return {
      ...def,
      nodes: def.nodes.map((n) =>
        n.type === 'prompt' && typeof n.params?.text === 'string'
          ? { ...n, params: { ...n.params, text: respell(n.params.text) } }
          : n,
      ),
    };
  };
  edit((s: Content) => ({
    extra: {
      ...s.extra,
      cast: castOf(s.extra).map((m, i) => (i === index ? { ...m, name } : m)),
      ...(Array.isArray(s.extra.sequences) ? { sequences: s.extra.sequences.map(definition) } : {}),
    },
    nodes: canvasNodes(s.nodes),
    ...(s.scope
      ? { scope: { ...s.scope, outer: { ...s.scope.outer, nodes: canvasNodes(s.scope.outer.nodes) } } }
      : {}),
  }));
  return true;
}

/** `text` with each mention of `from` (any case, as a run reads it) spelled `@to`. */
export function renameMentions(text: string, from: string, to: string): string {
  let out = '';
  let at = 0;
  for (const m of findMentions(text)) {
    if (m.name.toLowerCase() !== from.toLowerCase()) continue;
    out += text.slice(at, m.start) + '@' + to;
    at = m.end;
  }
  return out + text.slice(at);
}

export function removeMember(index: number): void {
  setCast((cast) => cast.filter((_, i) => i !== index));
}

export function setMemberKind(index: number, kind: CastKind): void {
  if ((CAST_KINDS as readonly string[]).includes(kind)) patch(index, { kind });
}

export function addMemberImage(index: number, file: string): void {
  const member = castOf(useDocument.getState().extra)[index];
  if (!member || member.images.includes(file)) return;
  patch(index, { images: [...member.images, file] });
}

export function removeMemberImage(index: number, file: string): void {
  const member = castOf(useDocument.getState().extra)[index];
  if (member) patch(index, { images: member.images.filter((f) => f !== file) });
}

/** An empty value removes the voice sample. */
export function setMemberVoice(index: number, file: string): void {
  setCast((cast) =>
    cast.map((m, i) => {
      if (i !== index) return m;
      const { voice: _, ...rest } = m;
      return file ? { ...rest, voice: file } : rest;
    }),
  );
}

/** An empty value removes the asset id; typing in the field is one undo step. */
export function setMemberAssetId(index: number, assetId: string): void {
  setCast(
    (cast) =>
      cast.map((m, i) => {
        if (i !== index) return m;
        const { assetId: _, ...rest } = m;
        return assetId.trim() ? { ...rest, assetId: assetId.trim() } : rest;
      }),
    `cast-asset-${index}`,
  );
}
