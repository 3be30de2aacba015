// The approval gate on a keyframe or shot card (docs/architecture.md §5): whether the active take is
// approved, and a button that asks the host to record it. The engine decides what a gate holds back.
import { approve } from '../actions/takes';
import { useRun } from '../stores/run';

export function ApproveButton({
  id,
  extra,
  made,
}: {
  id: string;
  extra: Record<string, unknown>;
  /** A take exists to look at (only a made take can be approved). */
  made: boolean;
}) {
  const idle = useRun((s) => s.phase === 'idle');
  if (extra.needsApproval !== true) return null;
  const take = typeof extra.take === 'number' ? extra.take : 1;
  const approved = (extra.approved as { take?: unknown } | undefined)?.take === take;
  return (
    <div className="approval nodrag" data-testid={`approval-${id}`}>
      {approved ? (
        <span className="chip" title="Paid work after this node may run">
          take {take} approved
        </span>
      ) : (
        <button
          type="button"
          className="btn"
          disabled={!made || !idle}
          title={
            made ? `Approve take ${take}: the shots after it may run` : 'Run it first, then approve a take'
          }
          onClick={() => void approve(id)}
          data-testid={`approve-${id}`}
        >
          Approve take {take}
        </button>
      )}
    </div>
  );
}
