// Desktop transport: the preload's one-function-per-operation bridge. Calls resolve to an
// envelope because Electron drops custom error fields crossing IPC.
import type { ContractErrorShape, HostApi, HostMessage, Operation } from '../../shared/contract';
import { HostError } from './error';

type Envelope = { ok: true; output: unknown } | { ok: false; error: ContractErrorShape };

export interface DesktopBridge {
  ops: Record<Operation, (input: unknown) => Promise<Envelope>>;
  onHostMessage(listener: (msg: HostMessage) => void): () => void;
}

export function electronHost(bridge: DesktopBridge): HostApi {
  return {
    async call(op, input) {
      const fn = bridge.ops[op];
      if (!fn)
        throw new HostError({ code: 'op.unknown', message: `the desktop app has no operation "${op}"` });
      const r = await fn(input);
      if (!r.ok) throw new HostError(r.error);
      return r.output as never;
    },
    subscribe: (listener) => bridge.onHostMessage(listener),
    mediaUrl(path, base) {
      const q = new URLSearchParams({ path, ...(base ? { base } : {}) });
      return `shotgraph-media://local/?${q.toString()}`;
    },
  };
}
