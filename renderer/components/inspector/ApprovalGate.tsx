// The "needs approval" switch of a keyframe or shot (docs/architecture.md §5): when on, the paid work
// after it waits until a take is approved on its card. Turning it off forgets the approval.
import { setNeedsApproval } from '../../actions/nodes';
import { useDocument } from '../../stores/document';

export function ApprovalGate({ id }: { id: string }) {
  const gate = useDocument((s) => s.nodes.find((n) => n.id === id)?.data.extra.needsApproval === true);
  return (
    <div className="field">
      <label htmlFor={`gate-${id}`}>Needs approval</label>
      <label className="toggle">
        <input
          id={`gate-${id}`}
          type="checkbox"
          checked={gate}
          onChange={(e) => setNeedsApproval(id, e.target.checked)}
          data-testid={`needs-approval-${id}`}
        />
        <span className="toggle-track" />
        <span>{gate ? 'on' : 'off'}</span>
      </label>
      <div className="field-hint">the shots after it wait until you approve a take on its card</div>
    </div>
  );
}
