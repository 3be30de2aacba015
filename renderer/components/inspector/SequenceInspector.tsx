// A sequence instance's own inputs: each field input of its definition, with this instance's value
// (empty: the definition's own value).
import { memo } from 'react';
import { drillIn, setInstanceValue } from '../../actions/sequences';
import { useSequenceDef } from '../../nodes/useSequenceDef';
import { useDocument } from '../../stores/document';

interface FieldInput {
  name: string;
  node: string;
  field?: string;
}

export const SequenceInspector = memo(function SequenceInspector({ id }: { id: string }) {
  const params = useDocument((s) => s.nodes.find((n) => n.id === id)?.data.params);
  const ref = String(params?.sequence ?? '');
  const found = useSequenceDef(ref);
  const def = found.def as
    { nodes: { id: string; params?: Record<string, unknown> }[]; inputs?: FieldInput[] } | undefined;
  if (!params) return null;
  const values = (params.values as Record<string, unknown> | undefined) ?? {};
  const fields = (def?.inputs ?? []).filter((i) => i.field);
  return (
    <div className="inspector-section" data-testid="sequence-inputs">
      <h3>This instance’s inputs</h3>
      {found.library && (
        <p className="muted" data-testid="sequence-library-note">
          Kept in the library file {found.library}, shared by every film that uses it
          {found.error ? `: ${found.error}` : ''}.
        </p>
      )}
      {def && fields.length === 0 && <p className="muted">The sequence has no inputs.</p>}
      {fields.map((i) => {
        const own = values[i.name];
        const inner = def?.nodes.find((n) => n.id === i.node)?.params?.[i.field!];
        return (
          <div className="field" key={i.name} data-field={i.name}>
            <label htmlFor={`seq-${id}-${i.name}`}>{i.name}</label>
            <textarea
              id={`seq-${id}-${i.name}`}
              rows={3}
              value={own === undefined ? '' : String(own)}
              placeholder={inner === undefined ? '' : String(inner)}
              onChange={(e) => setInstanceValue(id, i.name, e.target.value || undefined)}
            />
          </div>
        );
      })}
      <button className="btn" onClick={() => void drillIn(id)}>
        Open the sequence
      </button>
    </div>
  );
});
