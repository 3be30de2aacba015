// "Expose as input" and input names: ordinary undoable edits of the film's `inputs`.
import { declsOf, renamed, toggled } from '../model/inputs';
import { edit, useDocument } from '../stores/document';
import { toast } from '../stores/ui';

export function toggleInput(nodeId: string, field: string): void {
  const node = useDocument.getState().nodes.find((n) => n.id === nodeId);
  if (!node) return;
  const who = { id: nodeId, kind: node.data.kind, ...(node.data.label ? { label: node.data.label } : {}) };
  edit((s) => ({ extra: { ...s.extra, inputs: toggled(declsOf(s.extra), who, field) } }));
}

export function renameInput(from: string, to: string): void {
  const next = renamed(declsOf(useDocument.getState().extra), from, to);
  if (!next) return toast(`"${to}" cannot name an input: it is empty or taken`, 'error');
  edit((s) => ({ extra: { ...s.extra, inputs: next } }), `input-name-${from}`);
}
