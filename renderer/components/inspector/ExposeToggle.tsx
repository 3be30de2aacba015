// Per field: "expose as input" makes it a named input of the film (Run with…, --set, batch rows).
import { memo, useEffect, useState } from 'react';
import { renameInput, toggleInput } from '../../actions/inputs';
import { declsOf } from '../../model/inputs';
import { useDocument } from '../../stores/document';

export const ExposeToggle = memo(function ExposeToggle({ nodeId, field }: { nodeId: string; field: string }) {
  const name = useDocument(
    (s) => declsOf(s.extra).find((d) => d.node === nodeId && d.field === field)?.name ?? null,
  );
  const [draft, setDraft] = useState(name ?? '');
  useEffect(() => setDraft(name ?? ''), [name]);
  return (
    <div className="expose" data-testid={`expose-${field}`}>
      <label className="expose-toggle">
        <input type="checkbox" checked={name !== null} onChange={() => toggleInput(nodeId, field)} />
        expose as input
      </label>
      {name !== null && (
        <input
          className="expose-name mono"
          aria-label={`input name of ${field}`}
          value={draft}
          maxLength={64}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => draft !== name && renameInput(name, draft)}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        />
      )}
    </div>
  );
});
