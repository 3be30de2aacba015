// The contract over a WebSocket: token checked on the upgrade, Origin must be this server, every
// input zod-validated by the host's dispatch. Any frame is survivable: a binary, non-UTF-8,
// non-JSON, malformed or oversized frame closes that one socket with a close code, never the
// server (an error listener on every socket; no exception escapes a message handler).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MAX_IMPORT_BYTES, type WireReply } from '../../shared/contract';
import { MAX_GRAPH_BYTES } from '../../shared/graph/parse';
import type { Host, Session } from '../services/host';
import { tokenMatches } from './guard';

/** Close codes (RFC 6455 §7.4.1) a client can act on. */
export const CLOSE = { unsupported: 1003, invalid: 1007, tooBig: 1009 } as const;

/** A graph the CLI would accept plus its envelope; only media uploads may be larger. */
export const MAX_FRAME_BYTES = MAX_GRAPH_BYTES + 1024 * 1024;
/** One base64 media upload plus its JSON envelope. */
const MAX_UPLOAD_FRAME_BYTES = Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 64 * 1024;
/** How a client's upload frame starts (renderer/transport/websocket.ts writes `{id, op, input}`). */
const UPLOAD_PREFIX = /^\{"id":\d{1,15},"op":"media\.import",/;
const PING_MS = 30_000;

export function createSocketEndpoint(host: Host, token: string, allowedOrigins: () => string[]) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_UPLOAD_FRAME_BYTES });
  wss.on('error', () => undefined); // the server's own errors are per connection; never fatal

  wss.on('connection', (socket: WebSocket) => {
    const session: Session = { send: (msg) => reply(socket, { push: msg }) };
    let alive = true;
    const ping = setInterval(() => {
      // A socket that did not answer the last ping is gone (a laptop asleep): free it.
      if (!alive) return void socket.terminate();
      alive = false;
      try {
        socket.ping();
      } catch {
        socket.terminate();
      }
    }, PING_MS);
    ping.unref();
    socket.on('pong', () => (alive = true));
    // ws reports invalid UTF-8 (1007) and oversized frames (1009) here, then closes the socket.
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      clearInterval(ping);
      host.detach(session);
    });
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const req = readRequest(data, isBinary);
      if ('close' in req) return void socket.close(req.close, req.reason);
      host.dispatch(req.op, req.input, session).then(
        (result) => reply(socket, { id: req.id, ...result } as WireReply),
        (e: unknown) =>
          reply(socket, {
            id: req.id,
            ok: false,
            error: { code: 'host.error', message: String((e as Error)?.message ?? e) },
          }),
      );
    });
  });

  const upgrade = (req: IncomingMessage, sock: Duplex, head: Buffer) => {
    if (req.headers['sec-websocket-protocol'] === 'vite-hmr') return; // the dev server's own socket
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    if (url.pathname !== '/api' || !tokenMatches(url.searchParams.get('token'), token)) {
      return refuse(sock, 401, 'a valid token is required');
    }
    if (!origin || !allowedOrigins().includes(origin))
      return refuse(sock, 403, 'cross-origin connection refused');
    wss.handleUpgrade(req, sock, head, (ws) => wss.emit('connection', ws, req));
  };

  return {
    upgrade,
    /** Cuts every editor's socket at once, as a network drop would (runs go on). */
    drop: () => {
      for (const c of wss.clients) c.terminate();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

type Request = { id: number; op: string; input: unknown } | { close: number; reason: string };

/** A frame as a request, or why the socket must close. Never throws. */
export function readRequest(data: RawData, isBinary: boolean): Request {
  if (isBinary) return { close: CLOSE.unsupported, reason: 'text frames only' };
  const bytes = Array.isArray(data)
    ? Buffer.concat(data)
    : Buffer.isBuffer(data)
      ? data
      : Buffer.from(data as ArrayBuffer);
  if (bytes.length > MAX_FRAME_BYTES && !UPLOAD_PREFIX.test(bytes.subarray(0, 64).toString('latin1'))) {
    return { close: CLOSE.tooBig, reason: 'frame too large' };
  }
  let req: unknown;
  try {
    req = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { close: CLOSE.invalid, reason: 'malformed request' };
  }
  if (!req || typeof req !== 'object' || Array.isArray(req))
    return { close: CLOSE.invalid, reason: 'malformed request' };
  const { id, op, input } = req as Record<string, unknown>;
  if (
    typeof id !== 'number' ||
    !Number.isSafeInteger(id) ||
    id < 0 ||
    typeof op !== 'string' ||
    op.length > 100
  ) {
    return { close: CLOSE.invalid, reason: 'malformed request' };
  }
  return { id, op, input };
}

function reply(socket: WebSocket, msg: WireReply): void {
  if (socket.readyState !== socket.OPEN) return;
  try {
    socket.send(JSON.stringify(msg));
  } catch {
    socket.terminate(); // an answer that cannot be written: the client reconnects and asks again
  }
}

function refuse(sock: Duplex, status: number, text: string): void {
  sock.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
