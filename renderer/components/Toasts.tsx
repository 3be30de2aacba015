import { dismissToast, useUi } from '../stores/ui';

const selectToasts = (s: { toasts: ReturnType<typeof useUi.getState>['toasts'] }) => s.toasts;

export function Toasts() {
  const toasts = useUi(selectToasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast toast-${t.tone}`}
          data-testid="toast"
          onClick={() => dismissToast(t.id)}
        >
          {t.text}
        </div>
      ))}
    </div>
  );
}
