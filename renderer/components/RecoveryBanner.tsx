// Offered at start when an autosave copy outlived its session (a crash or a closed tab).
import { discardRecovery, restoreRecovery } from '../actions/files';
import { useUi } from '../stores/ui';

const selectRecovery = (s: ReturnType<typeof useUi.getState>) => s.recovery;

export function RecoveryBanner() {
  const items = useUi(selectRecovery);
  const first = items[0];
  if (!first) return null;
  return (
    <div className="recovery-banner" role="alert" data-testid="recovery">
      <span>
        Unsaved work on <b>{first.name}</b> ({first.path ?? 'never saved'}) from{' '}
        {new Date(first.savedAt).toLocaleString()} was kept when the editor closed.
      </span>
      <button className="btn btn-primary" onClick={() => void restoreRecovery(0)}>
        Restore
      </button>
      <button className="btn" onClick={() => void discardRecovery(0)}>
        Discard
      </button>
    </div>
  );
}
