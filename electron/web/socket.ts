// The contract over a WebSocket: token checked on the upgrade, Origin must be this server, every
// input zod-validated by the host's dispatch.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_IMPORT_BYTES, type WireReply, type WireRequest } from '../../shared/contract';
import type { Host, Session } from '../services/host';
import { tokenMatches } from './guard';

export function createSocketEndpoint(host: Host, token: string, allowedOrigins: () => string[]) {
  // Room for one base64 media upload plus its JSON envelope.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 64 * 1024,
  });

  wss.on('connection', (socket: WebSocket) => {
    const session: Session = { send: (msg) => reply(socket, { push: msg }) };
    socket.on('message', async (data) => {
      let req: WireRequest;
      try {
        req = JSON.parse(String(data)) as WireRequest;
        if (typeof req?.id !== 'number' || typeof req.op !== 'string') throw new Error('bad frame');
      } catch {
        socket.close(1003, 'malformed request');
        return;
      }
      const result = await host.dispatch(req.op, req.input, session);
      reply(socket, { id: req.id, ...result } as WireReply);
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
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

function reply(socket: WebSocket, msg: WireReply): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
}

function refuse(sock: Duplex, status: number, text: string): void {
  sock.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
