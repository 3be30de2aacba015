// A real HTTP server on 127.0.0.1 standing in for a Seedance gateway: the shared machinery (latency,
// fault injection, request log, stats, media on loopback) lives here; each protocol (Ark, seed2.io,
// Apiframe, xingchaoyiqing, inference.sh) only says how its endpoints behave.
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FaultInjector, type Fault, type FaultKind, type FaultPlan, type Route } from './faults';

export interface ProtocolRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  route: Route;
  requestId: string;
  /** A fault the protocol must act out itself (create-side effects: reset after create, …). */
  fault?: Fault;
}

export interface ProtocolResponse {
  status: number;
  json?: unknown;
  /** Sent as is instead of `json` (malformed bodies). */
  raw?: string;
  headers?: Record<string, string>;
  /** Destroy the connection instead of answering (the work, if any, is done). */
  reset?: boolean;
}

export interface MockProtocol {
  readonly kind: string;
  /** Path prefix of the API, e.g. /api/v3; `url` points here. */
  readonly basePath: string;
  route(method: string, pathname: string): Route | undefined;
  /** undefined when the request carries valid credentials. */
  authorize(headers: http.IncomingHttpHeaders, requestId: string): ProtocolResponse | undefined;
  handle(req: ProtocolRequest): Promise<ProtocolResponse>;
  /** `headers` are the request's (inference.sh answers in the wire version the client asked for). */
  error(
    status: number,
    code: string,
    message: string,
    requestId: string,
    param?: string,
    headers?: http.IncomingHttpHeaders,
  ): ProtocolResponse;
  /** Valid JSON of the wrong shape for a route. */
  garbage(route: Route): unknown;
  /** Keeps tasks in these statuses until called again without them (deterministic tests). */
  hold?(statuses: string[]): void;
  /** Makes a task look `ms` older (created and last changed): link expiry and retention without waiting. */
  age?(taskId: string, ms: number): void;
  /** Faults the protocol acts out itself on this route; the rest are handled generically. */
  ownsFault(route: Route, kind: FaultKind): boolean;
  stats(): { creates: number } & Record<string, unknown>;
  close(): Promise<void>;
}

export interface LogEntry {
  seq: number;
  at: number;
  method: string;
  path: string;
  route?: Route;
  status: number | 'reset';
  fault?: FaultKind;
  requestId: string;
  clientRequestId?: string;
  /** Whether an Authorization header was sent (downloads must never carry one). */
  authorization: boolean;
  /** The X-API-Version header, when sent (inference.sh picks its wire version by it). */
  apiVersion?: string;
  /** Parsed JSON request body (kept in memory so tests can inspect content[] roles). */
  body?: unknown;
}

export interface MockStats {
  creates: number;
  createRequests: number;
  requests: number;
  routes: Record<Route, number>;
  faults: Partial<Record<FaultKind, number>>;
  log: LogEntry[];
  [extra: string]: unknown;
}

export interface MediaStore {
  /** Serves `file` at a signed-looking URL on loopback; returns the absolute URL. */
  publish(id: string, name: string, file: string, contentType: string): string;
  /** Scratch folder for the protocol's renders (removed on close). */
  readonly dir: string;
}

export const MOCK_KINDS = ['ark', 'seed2', 'apiframe', 'xingchao', 'inference'] as const;
export type MockKind = (typeof MOCK_KINDS)[number];

export interface MockGatewayOptions {
  kind: MockKind;
  port?: number;
  /** Added before every API answer. */
  latencyMs?: number;
  faults?: FaultPlan;
  /** Protocol options (Ark: timings, apiKey, …). */
  [option: string]: unknown;
}

export interface MockGateway {
  /** Base URL of the API (for Ark: http://127.0.0.1:PORT/api/v3). */
  url: string;
  origin: string;
  port: number;
  stats(): MockStats;
  setFaults(plan: FaultPlan): void;
  /** Tasks stay in the given statuses (e.g. ['queued']) until hold([]) releases them. */
  hold(statuses: string[]): void;
  /** Backdates a task by `ms` (protocols with task lists: Ark). */
  age(taskId: string, ms: number): void;
  close(): Promise<void>;
}

export function newRequestId(): string {
  // Ark request ids look like 0217 + ~49 hex chars (§1.11).
  return `0217${Date.now()}${randomBytes(18).toString('hex')}`.slice(0, 53);
}

const LOG_LIMIT = 10_000;

export async function startMockGateway(opts: MockGatewayOptions): Promise<MockGateway> {
  // Every documented gateway refuses a request without its key; a mock that took any key would hide
  // a client that sends the wrong one (docs/gateways.md §1.12).
  if (typeof opts.apiKey !== 'string' || !opts.apiKey)
    throw new Error(`mock ${opts.kind}: apiKey is required (the only key it accepts)`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `shotgraph-mock-${opts.kind}-`));
  const faults = new FaultInjector(opts.faults);
  const log: LogEntry[] = [];
  const routes: Record<Route, number> = { create: 0, get: 0, list: 0, delete: 0, download: 0 };
  const faultCounts: Partial<Record<FaultKind, number>> = {};
  const published = new Map<string, { file: string; contentType: string }>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  let seq = 0;
  let origin = '';

  const media: MediaStore = {
    dir,
    publish(id, name, file, contentType) {
      const key = `/__media/${encodeURIComponent(id)}/${encodeURIComponent(name)}`;
      published.set(key, { file, contentType });
      const sig = randomBytes(16).toString('hex');
      return `${origin}${key}?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Date=${isoBasic()}&X-Tos-Expires=86400&X-Tos-Signature=${sig}`;
    },
  };

  const protocol = await loadProtocol(opts, media);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`mock error: ${(e as Error).message}`);
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const requestId = newRequestId();
    const clientRequestId = header(req, 'x-client-request-id');
    const entry: LogEntry = {
      seq: ++seq,
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      status: 0,
      requestId,
      ...(clientRequestId ? { clientRequestId } : {}),
      authorization: !!req.headers.authorization,
      ...(header(req, 'x-api-version') ? { apiVersion: header(req, 'x-api-version') } : {}),
    };
    const record = () => {
      log.push(entry);
      if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    };

    if (url.pathname.startsWith('/__mock/')) return control(url, req, body, res);

    if (url.pathname.startsWith('/__media/')) {
      entry.route = 'download';
      routes.download++;
      const fault = faults.next('download', url.pathname);
      if (fault) entry.fault = count(fault.kind);
      const item = published.get(url.pathname);
      record();
      if (fault?.kind === 'hang') return; // never answered; the socket dies with the client or on close
      if (fault?.kind === 'reset') return destroy(res, entry);
      if (fault?.kind === 'rate_limit')
        return plain(res, entry, 429, 'slow down', { 'Retry-After': String(fault.retryAfterSec) });
      if (fault?.kind === 'server_error') return plain(res, entry, 500, 'internal error');
      if (fault?.kind === 'error')
        return plain(res, entry, fault.status ?? 403, fault.message ?? 'Request has expired');
      if (!item) return plain(res, entry, 404, 'NoSuchKey');
      const { size } = await fs.stat(item.file);
      entry.status = 200;
      if (fault?.kind === 'short') {
        // A CDN that cuts the file and says so consistently: every byte count agrees with the cut.
        const part = await readPart(item.file, Math.max(1, Math.floor(size * 0.8)));
        res.writeHead(200, { 'Content-Type': item.contentType, 'Content-Length': String(part.length) });
        res.end(part);
        return;
      }
      if (fault?.kind === 'corrupt') {
        const bytes = await fs.readFile(item.file);
        randomBytes(Math.max(1, Math.floor(size / 4))).copy(bytes, 0);
        res.writeHead(200, { 'Content-Type': item.contentType, 'Content-Length': String(size) });
        res.end(bytes);
        return;
      }
      res.writeHead(200, { 'Content-Type': item.contentType, 'Content-Length': String(size) });
      if (fault?.kind === 'trickle')
        return trickle(res, await fs.readFile(item.file), fault.intervalMs ?? 200);
      if (fault?.kind === 'truncate') {
        // Promise the full length, send half, then die: the client must notice and retry.
        const half = await readPart(item.file, Math.max(1, Math.floor(size / 2)));
        res.write(half, () => setTimeout(() => res.destroy(), 20));
        return;
      }
      createReadStream(item.file).pipe(res);
      return;
    }

    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    const route = protocol.route(entry.method, url.pathname);
    if (route) {
      entry.route = route;
      routes[route]++;
    }
    if (route === 'create' || route === 'list' || route === 'get' || route === 'delete') {
      try {
        if (body.length) entry.body = JSON.parse(body.toString('utf8'));
      } catch {
        entry.body = body.toString('utf8');
      }
    }
    record();
    const denied = protocol.authorize(req.headers, requestId);
    if (denied) return send(res, entry, denied, requestId, clientRequestId);
    if (!route) {
      return send(
        res,
        entry,
        protocol.error(
          404,
          'NotFound',
          `The requested resource ${url.pathname} is not found.`,
          requestId,
          undefined,
          req.headers,
        ),
        requestId,
        clientRequestId,
      );
    }
    const fault = faults.next(route, url.pathname + url.search);
    if (fault) entry.fault = count(fault.kind);
    if (fault && !protocol.ownsFault(route, fault.kind)) {
      switch (fault.kind) {
        case 'hang':
          return; // read, never answered: the client's own timeout is what ends it
        case 'late_create': {
          // The client loses the answer now; the gateway makes the task later, as a slow backend would.
          destroy(res, entry);
          const later = setTimeout(() => {
            if (closing) return;
            void protocol
              .handle({
                method: entry.method,
                path: url.pathname,
                query: url.searchParams,
                headers: req.headers,
                body,
                route,
                requestId,
              })
              .catch(() => undefined);
          }, fault.delayMs ?? 15_000);
          timers.add(later);
          return;
        }
        case 'reset':
          return destroy(res, entry);
        case 'rate_limit':
          return send(
            res,
            entry,
            withHeaders(
              protocol.error(
                429,
                'RateLimitExceeded.EndpointRPMExceeded',
                'The Requests Per Minute (RPM) limit of the associated endpoint for your account has been exceeded.',
                requestId,
                undefined,
                req.headers,
              ),
              { 'Retry-After': String(fault.retryAfterSec) },
            ),
            requestId,
            clientRequestId,
          );
        case 'server_error':
          return send(
            res,
            entry,
            protocol.error(
              500,
              'InternalServiceError',
              'The service encountered an unexpected internal error.',
              requestId,
              undefined,
              req.headers,
            ),
            requestId,
            clientRequestId,
          );
        case 'error':
          return send(
            res,
            entry,
            protocol.error(
              fault.status ?? 400,
              fault.code ?? 'InvalidParameter',
              fault.message ?? 'Injected error.',
              requestId,
              fault.param,
              req.headers,
            ),
            requestId,
            clientRequestId,
          );
        case 'malformed':
          return send(res, entry, { status: 200, raw: '{"id": "cgt-' }, requestId, clientRequestId);
        case 'garbage':
          return send(res, entry, { status: 200, json: protocol.garbage(route) }, requestId, clientRequestId);
        default:
          break;
      }
    }
    const out = await protocol.handle({
      method: entry.method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      route,
      requestId,
      ...(fault ? { fault } : {}),
    });
    return send(res, entry, out, requestId, clientRequestId);
  }

  function count(kind: FaultKind): FaultKind {
    faultCounts[kind] = (faultCounts[kind] ?? 0) + 1;
    return kind;
  }

  function stats(): MockStats {
    const p = protocol.stats();
    return {
      ...p,
      creates: p.creates,
      createRequests: routes.create,
      requests: seq,
      routes: { ...routes },
      faults: { ...faultCounts },
      log: [...log],
    };
  }

  async function control(
    url: URL,
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
  ): Promise<void> {
    if (url.pathname === '/__mock/stats' && req.method === 'GET') {
      const s = stats();
      // Bodies carry base64 images (megabytes); external pollers get them only when they ask.
      const withBodies = url.searchParams.get('bodies') === '1';
      const out = withBodies ? s : { ...s, log: s.log.map(({ body: _b, ...rest }) => rest) };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(out));
      return;
    }
    if (url.pathname === '/__mock/hold' && req.method === 'POST' && protocol.hold) {
      try {
        protocol.hold(JSON.parse(body.toString('utf8') || '[]') as string[]);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      } catch (e) {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end(`bad hold list: ${(e as Error).message}`);
      }
      return;
    }
    if (url.pathname === '/__mock/faults' && req.method === 'POST') {
      try {
        faults.set(JSON.parse(body.toString('utf8')) as FaultPlan);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      } catch (e) {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end(`bad fault plan: ${(e as Error).message}`);
      }
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('unknown mock control route');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}${protocol.basePath}`,
    origin,
    port,
    stats,
    setFaults: (plan) => faults.set(plan),
    hold: (statuses) => {
      if (!protocol.hold) throw new Error(`the ${protocol.kind} mock cannot hold tasks`);
      protocol.hold(statuses);
    },
    age: (taskId, ms) => {
      if (!protocol.age) throw new Error(`the ${protocol.kind} mock cannot age tasks`);
      protocol.age(taskId, ms);
    },
    async close() {
      closing = true;
      for (const t of timers) clearTimeout(t);
      await protocol.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

async function loadProtocol(opts: MockGatewayOptions, media: MediaStore): Promise<MockProtocol> {
  switch (opts.kind) {
    case 'ark':
      return (await import('./ark')).createArkProtocol(opts, media);
    case 'seed2':
      return (await import('./seed2')).createSeed2Protocol(opts, media);
    case 'apiframe':
      return (await import('./apiframe')).createApiframeProtocol(opts, media);
    case 'xingchao':
      return (await import('./xingchao')).createXingchaoProtocol(opts, media);
    case 'inference':
      return (await import('./inference')).createInferenceProtocol(opts, media);
    default:
      throw new Error(`no mock for gateway "${String(opts.kind)}"`);
  }
}

function send(
  res: http.ServerResponse,
  entry: LogEntry,
  out: ProtocolResponse,
  requestId: string,
  clientRequestId: string | undefined,
): void {
  if (out.reset) return destroy(res, entry);
  entry.status = out.status;
  const text = out.raw ?? (out.json === undefined ? '' : JSON.stringify(out.json));
  res.writeHead(out.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'X-Request-Id': requestId,
    ...(clientRequestId ? { 'X-Client-Request-Id': clientRequestId } : {}),
    ...out.headers,
  });
  res.end(text);
}

function withHeaders(out: ProtocolResponse, headers: Record<string, string>): ProtocolResponse {
  return { ...out, headers: { ...out.headers, ...headers } };
}

function plain(
  res: http.ServerResponse,
  entry: LogEntry,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  entry.status = status;
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  res.end(text);
}

function destroy(res: http.ServerResponse, entry: LogEntry): void {
  entry.status = 'reset';
  res.socket?.resetAndDestroy?.();
  res.destroy();
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Sends `bytes` one at a time, `intervalMs` apart, until done or the client hangs up. */
function trickle(res: http.ServerResponse, bytes: Buffer, intervalMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed || res.writableEnded) return clearInterval(timer);
    res.write(bytes.subarray(i, i + 1));
    if (++i >= bytes.length) {
      clearInterval(timer);
      res.end();
    }
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

async function readPart(file: string, bytes: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function isoBasic(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}
