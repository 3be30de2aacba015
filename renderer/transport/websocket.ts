// Web mode's transport: the contract over one WebSocket to the server that served this page,
// authenticated by the token from the page URL.
import type { ContractErrorShape, HostApi, HostMessage, WireReply } from '../../shared/contract';
import { HostError } from './error';

export function websocketHost(loc: Location): HostApi {
  const token = new URLSearchParams(loc.search).get('token') ?? '';
  const wsUrl = `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api?token=${encodeURIComponent(token)}`;
  const listeners = new Set<(m: HostMessage) => void>();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let socket: Promise<WebSocket> | null = null;
  let nextId = 1;
  let retry = 250;

  const connect = (): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      ws.onopen = () => {
        retry = 250;
        status(true);
        resolve(ws);
      };
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as WireReply;
        if ('push' in msg) return listeners.forEach((l) => l(msg.push));
        const call = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) call?.resolve(msg.output);
        else call?.reject(new HostError(msg.error as ContractErrorShape));
      };
      ws.onclose = () => {
        socket = null;
        status(false);
        for (const call of pending.values())
          call.reject(
            new HostError({
              code: 'host.disconnected',
              message: 'lost the connection to the Shotgraph server',
            }),
          );
        pending.clear();
        reject(
          new HostError({
            code: 'host.unreachable',
            message: 'cannot reach the Shotgraph server; is `npm run web` still running?',
          }),
        );
        // Reconnect in the background so pushed run events resume.
        setTimeout(() => void ensure().catch(() => undefined), (retry = Math.min(retry * 2, 5000)));
      };
    });

  const ensure = () => (socket ??= connect());
  const status = (up: boolean) => listeners.forEach((l) => l({ kind: 'connection', up }));
  void ensure().catch(() => undefined);

  return {
    async call(op, input) {
      const ws = await ensure();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, op, input }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mediaUrl(path, base) {
      const q = new URLSearchParams({ path, token, ...(base ? { base } : {}) });
      return `/media?${q.toString()}`;
    },
  };
}
