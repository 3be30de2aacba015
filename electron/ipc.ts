// The IPC manager (electron/fiddle style): one handler per contract operation, each refusing any
// sender that is not an app window showing the app's own page, then handing the raw input to
// the host, which zod-validates it.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { OPERATIONS, type HostMessage } from '../shared/contract';
import type { Host, Session } from './services/host';

export const APP_ORIGIN = 'shotgraph-app://renderer';
export const PUSH_CHANNEL = 'shotgraph:host-message';

export function registerIpc(host: Host, isAppWindow: (contents: WebContents) => boolean): void {
  const sessions = new WeakMap<WebContents, Session>();
  const sessionOf = (contents: WebContents): Session => {
    let s = sessions.get(contents);
    if (!s) {
      const session: Session = {
        send: (msg: HostMessage) => !contents.isDestroyed() && contents.send(PUSH_CHANNEL, msg),
      };
      sessions.set(contents, (s = session));
      // Runs outlive windows; a closed window only stops hearing of them.
      contents.once('destroyed', () => host.detach(session));
    }
    return s;
  };
  for (const op of OPERATIONS) {
    ipcMain.handle(`shotgraph:${op}`, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!trusted(event, isAppWindow)) {
        return {
          ok: false,
          error: {
            code: 'ipc.sender',
            message: 'refused: the request did not come from the Shotgraph window',
          },
        };
      }
      return host.dispatch(op, input, sessionOf(event.sender));
    });
  }
}

function trusted(event: IpcMainInvokeEvent, isAppWindow: (contents: WebContents) => boolean): boolean {
  const url = event.senderFrame?.url ?? '';
  return isAppWindow(event.sender) && event.senderFrame?.parent === null && url.startsWith(`${APP_ORIGIN}/`);
}

export function pushTo(contents: WebContents, msg: HostMessage): void {
  if (!contents.isDestroyed()) contents.send(PUSH_CHANNEL, msg);
}
