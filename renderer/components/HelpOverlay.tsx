import { SHORTCUTS } from '../actions/shortcuts';
import { useUi } from '../stores/ui';

const selectHelp = (s: { helpOpen: boolean }) => s.helpOpen;

export function HelpOverlay() {
  const open = useUi(selectHelp);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onClick={() => useUi.setState({ helpOpen: false })}>
      <div
        className="modal help"
        role="dialog"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>Shift+drag</kbd>
              </td>
              <td>Box-select; Shift/Ctrl+click adds to the selection</td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
