// Add-node search: opened by double-click, Space or Shift+A at the pointer, or by dropping a
// wire on empty canvas (then only nodes that can take that wire are offered, and it is wired).
import { useMemo, useState } from 'react';
import { NODE_KINDS, inputPort, nodeKind, outputPort } from '../../shared/nodes';
import { addNode, compatiblePort, connect } from '../actions/nodes';
import { KindIcon } from '../nodes/icons';
import { useDocument } from '../stores/document';
import { useUi, type SearchAt, type UiState } from '../stores/ui';
import { KIND_BLURBS } from './blurbs';

const selectSearch = (s: UiState) => s.search;

function candidates(at: SearchAt, query: string) {
  const q = query.trim().toLowerCase();
  const from = at.from;
  const fromKind = from
    ? useDocument.getState().nodes.find((n) => n.id === from.nodeId)?.data.kind
    : undefined;
  const type =
    from && fromKind
      ? (from.side === 'source' ? outputPort(fromKind, from.port) : inputPort(fromKind, from.port))?.type
      : undefined;
  // Names that start with the query first, then names containing it, then descriptions.
  const rank = (k: { kind: string; label: string }) => {
    const name = k.label.toLowerCase();
    if (!q || name.startsWith(q) || k.kind.startsWith(q)) return 0;
    if (name.includes(q) || k.kind.includes(q)) return 1;
    return (KIND_BLURBS[k.kind] ?? '').toLowerCase().includes(q) ? 2 : 3;
  };
  return Object.values(NODE_KINDS)
    .filter((k) => rank(k) < 3)
    .filter((k) => !type || compatiblePort(k.kind, type, from!.side === 'source' ? 'input' : 'output'))
    .sort((a, b) => rank(a) - rank(b))
    .map((k) => ({ kind: k.kind, label: k.label, type }));
}

export function SearchBox() {
  const at = useUi(selectSearch);
  if (!at) return null;
  return <SearchPanel at={at} />;
}

function SearchPanel({ at }: { at: SearchAt }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useMemo(() => candidates(at, query), [at, query]);
  const close = () => useUi.setState({ search: null });
  const choose = (kind: string | undefined) => {
    close();
    if (!kind || !nodeKind(kind)) return;
    const id = addNode(kind, at.flow);
    const from = at.from;
    const type = list.find((c) => c.kind === kind)?.type;
    if (from && type) {
      const port = compatiblePort(kind, type, from.side === 'source' ? 'input' : 'output')!;
      connect(
        from.side === 'source'
          ? { source: from.nodeId, sourcePort: from.port, target: id, targetPort: port }
          : { source: id, sourcePort: port, target: from.nodeId, targetPort: from.port },
      );
    }
  };
  const left = Math.min(at.screen.x, window.innerWidth - 300);
  const top = Math.min(at.screen.y, window.innerHeight - 320);
  return (
    <div className="overlay-catcher" onMouseDown={close}>
      <div
        className="search-box"
        style={{ left, top }}
        onMouseDown={(e) => e.stopPropagation()}
        role="dialog"
        aria-label="Add node"
      >
        <input
          type="text"
          autoFocus
          placeholder={at.from ? 'Add a node for this wire…' : 'Add a node…'}
          value={query}
          data-testid="search-input"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
            else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, list.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter') choose(list[active]?.kind);
            else return;
            e.preventDefault();
          }}
        />
        <ul>
          {list.map((c, i) => (
            <li
              key={c.kind}
              className={i === active ? 'is-active' : ''}
              onMouseEnter={() => setActive(i)}
              onClick={() => choose(c.kind)}
            >
              <KindIcon kind={c.kind} />
              <span className="search-name">{c.label}</span>
              <span className="search-blurb">{KIND_BLURBS[c.kind]}</span>
            </li>
          ))}
          {!list.length && <li className="is-empty">No node matches “{query}”</li>}
        </ul>
      </div>
    </div>
  );
}
