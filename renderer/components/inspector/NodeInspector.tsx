// Params of one node. Values are stored even when out of range, so the message shown here is the
// same one the validator (and the CLI) would give for the saved file.
import { nodeKind } from '../../../shared/nodes';
import { runFilm } from '../../actions/run';
import { setLabel, setParam } from '../../actions/nodes';
import { fieldError, fieldsFor } from '../../model/fields';
import { KindIcon } from '../../nodes/icons';
import { MediaSlot } from '../../nodes/MediaSlot';
import { useDocument } from '../../stores/document';
import { useProblems } from '../../stores/problems';
import { useRun } from '../../stores/run';
import { FinalCutSettings } from './FinalCutSettings';
import { ExposeToggle } from './ExposeToggle';
import { GatewayField } from './GatewayField';
import { ParamField } from './ParamField';
import { ApprovalGate } from './ApprovalGate';
import { SequenceInspector } from './SequenceInspector';
import { ShotStory } from './ShotStory';

const selectBusy = (s: { phase: string }) => s.phase !== 'idle';

export function NodeInspector({ id }: { id: string }) {
  // Data only: the node object itself changes on every frame of a drag.
  const data = useDocument((s) => s.nodes.find((n) => n.id === id)?.data);
  const problems = useProblems((s) => s.byNode[id]);
  const busy = useRun(selectBusy);
  if (!data) return null;
  const kind = data.kind;
  const def = nodeKind(kind);
  // Nested settings (a final cut's timeline) have their own panel: never a text box here.
  const fields = fieldsFor(kind).filter((f) => f.widget !== 'group');
  const media = kind === 'image' || kind === 'video' || kind === 'audio';
  return (
    <div className="inspector-section">
      <h2>
        <KindIcon kind={def ? kind : 'unknown'} /> {def?.label ?? kind}
        <span className="muted mono">{id}</span>
      </h2>
      <div className="field">
        <label htmlFor={`label-${id}`}>Label</label>
        <input
          id={`label-${id}`}
          type="text"
          value={data.label ?? ''}
          placeholder={def?.label ?? kind}
          maxLength={200}
          onChange={(e) => setLabel(id, e.target.value)}
        />
      </div>
      {media && <MediaSlot id={id} kind={kind} file={data.params.file as string | undefined} />}
      {media && <ExposeToggle nodeId={id} field="file" />}
      {kind === 'shot' && <ShotStory id={id} />}
      {(kind === 'shot' || kind === 'keyframe') && <ApprovalGate id={id} />}
      {fields.map((f) =>
        kind === 'shot' && f.key === 'provider' ? (
          <GatewayField key={f.key} id={id} value={data.params.provider} />
        ) : (
          <div key={f.key} className="field-with-expose">
            <ParamField
              nodeId={id}
              field={f}
              value={data.params[f.key]}
              error={
                fieldError(kind, f.key, data.params[f.key]) ??
                problems?.find((p) => p.field === f.key)?.message
              }
              onChange={(v) => setParam(id, f.key, v)}
            />
            {f.widget !== 'hash' && <ExposeToggle nodeId={id} field={f.key} />}
          </div>
        ),
      )}
      {kind === 'final_cut' && <FinalCutSettings id={id} />}
      {kind === 'sequence' && <SequenceInspector id={id} />}
      {def && (
        <button
          className="btn"
          disabled={busy}
          onClick={() => void runFilm(id)}
          title="Run this node and everything it needs (Ctrl+Shift+Enter)"
        >
          ▶ Run to here
        </button>
      )}
      {problems && problems.length > 0 && (
        <ul className="inspector-problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.field && <b>{p.field}: </b>}
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
