// Web mode's transport: the contract over one WebSocket to the server that served this page,
// authenticated by the token from the page URL. It reconnects by itself (with backoff) whenever
// the link drops, and every call has a deadline: a laptop that slept, a server that restarted or
// a half-open socket end in an error the editor can show, never in a promise that waits for ever.
import type { ContractErrorShape, HostApi, HostMessage, Operation, WireReply } from '../../shared/contract';
import { HostError } from './error';

/** How long an answer may take; uploads and exports carry or make large files. */
const TIMEOUT_MS: Partial<Record<Operation, number>> = {
  'media.import': 10 * 60_000,
  'export.otio': 5 * 60_000,
  'export.storyboard': 5 * 60_000,
  'media.poster': 2 * 60_000,
  'film.status': 2 * 60_000,
  'graph.validate': 2 * 60_000,
};
const DEFAULT_TIMEOUT_MS = 30_000;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export function websocketHost(loc: Location): HostApi {
  const token = new URLSearchParams(loc.search).get('token') ?? '';
  const wsUrl = `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api?token=${encodeURIComponent(token)}`;
  const listeners = new Set<(m: HostMessage) => void>();
  const pending = new Map<number, Pending>();
  let socket: Promise<WebSocket> | null = null;
  let current: WebSocket | null = null;
  let nextId = 1;
  let retry = RETRY_MIN_MS;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const emit = (m: HostMessage) => listeners.forEach((l) => l(m));
  const fail = (code: string, message: string) => new HostError({ code, message });

  const connect = (): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      let opened = false;
      ws.onopen = () => {
        opened = true;
        current = ws;
        retry = RETRY_MIN_MS;
        emit({ kind: 'connection', up: true });
        resolve(ws);
      };
      ws.onmessage = (ev) => {
        let msg: WireReply;
        try {
          msg = JSON.parse(String(ev.data)) as WireReply;
        } catch {
          return; // not ours to answer; the server only sends JSON
        }
        if ('push' in msg) return emit(msg.push);
        const call = pending.get(msg.id);
        if (!call) return; // answered too late: its caller already has a timeout error
        pending.delete(msg.id);
        clearTimeout(call.timer);
        if (msg.ok) call.resolve(msg.output);
        else call.reject(new HostError(msg.error as ContractErrorShape));
      };
      ws.onclose = () => {
        if (current === ws) current = null;
        socket = null;
        if (opened) emit({ kind: 'connection', up: false });
        for (const [id, call] of pending) {
          clearTimeout(call.timer);
          call.reject(fail('host.disconnected', 'lost the connection to the Shotgraph server'));
          pending.delete(id);
        }
        reject(
          fail('host.unreachable', 'cannot reach the Shotgraph server; is `npm run web` still running?'),
        );
        scheduleReconnect();
      };
    });

  // Reconnects in the background so pushed run events resume; the editor re-attaches to its run.
  const scheduleReconnect = () => {
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => void ensure().catch(() => undefined), retry);
    retry = Math.min(retry * 2, RETRY_MAX_MS);
  };

  const ensure = () => (socket ??= connect());
  void ensure().catch(() => undefined);

  return {
    async call(op, input) {
      const ws = await ensure();
      const id = nextId++;
      const ms = TIMEOUT_MS[op] ?? DEFAULT_TIMEOUT_MS;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(fail('host.timeout', `the Shotgraph server did not answer ${op} within ${ms / 1000} s`));
          // No answer at all may mean a half-open socket: start afresh (runs go on, see runs.ts).
          if (pending.size === 0 && current === ws && ws.readyState === ws.OPEN) ws.close(4000, 'timeout');
        }, ms);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        try {
          ws.send(JSON.stringify({ id, op, input }));
        } catch (e) {
          clearTimeout(timer);
          pending.delete(id);
          reject(fail('host.disconnected', (e as Error).message));
        }
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
