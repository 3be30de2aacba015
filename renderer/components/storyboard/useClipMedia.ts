// The clip a card or timeline block shows: a shot's render (as the run left it) or a video node's
// own file, with where its path is relative to.
import { useNodeStatus } from '../../nodes/useNodeStatus';
import { useDocument, type DocumentState } from '../../stores/document';

const selectFile = (id: string) => (s: DocumentState) => {
  const n = s.nodes.find((x) => x.id === id);
  return n?.data.kind === 'video' && typeof n.data.params.file === 'string' ? n.data.params.file : undefined;
};
const selectPath = (s: DocumentState) => s.path;

export function useClipMedia(id: string): { path?: string; base?: string | null } {
  const file = useDocument(selectFile(id));
  const base = useDocument(selectPath);
  const render = useNodeStatus(id, 'shot').outputs?.video;
  if (file) return { path: file, base };
  return render ? { path: render } : {};
}
