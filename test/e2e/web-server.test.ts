// Web mode's server over real HTTP and WebSocket on 127.0.0.1: the token, the Origin and Host
// checks, the workspace boundary, input validation, Range requests and the file operations.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer, type WebServer } from '../../electron/web';
import type { WireReply } from '../../shared/contract';

let root: string;
let server: WebServer;
let origin: string;
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-web-'));
  writeFileSync(path.join(root, 'clip.mp4'), BYTES);
  server = await startWebServer({ root, dev: true });
  origin = new URL(server.url).origin;
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

function get(
  pathAndQuery: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${pathAndQuery}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const media = (p: string, token = server.token) => `/media?${new URLSearchParams({ path: p, token })}`;

function connect(opts: { token?: string; origin?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${opts.token ?? server.token}`, {
    origin: opts.origin ?? origin,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

let nextId = 1;
function call(ws: WebSocket, op: string, input: unknown): Promise<WireReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data)) as WireReply;
      if ('id' in msg && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, op, input }));
  });
}

describe('web mode server', () => {
  it('serves media only with the token, only inside the workspace', async () => {
    expect((await get(media('clip.mp4', 'wrong'))).status).toBe(401);
    expect((await get(`/media?path=clip.mp4`)).status).toBe(401);
    expect((await get(media('../../etc/passwd'))).status).toBe(403);
    expect((await get(media('/etc/passwd'))).status).toBe(404); // read as workspace-relative: no such file inside
    const ok = await get(media('clip.mp4'));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('video/mp4');
    expect(ok.body.equals(BYTES)).toBe(true);
  });

  it('answers Range requests so video can seek', async () => {
    const part = await get(media('clip.mp4'), { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 10-19/1000');
    expect(part.body.equals(BYTES.subarray(10, 20))).toBe(true);
    const tail = await get(media('clip.mp4'), { range: 'bytes=-5' });
    expect(tail.body.equals(BYTES.subarray(995))).toBe(true);
    const open = await get(media('clip.mp4'), { range: 'bytes=990-' });
    expect(open.headers['content-range']).toBe('bytes 990-999/1000');
    expect((await get(media('clip.mp4'), { range: 'bytes=2000-3000' })).status).toBe(416);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });

  it('keeps every file route (the editor, Vite’s dev server) behind the token', async () => {
    // Vite would serve any file under the app folder: without the token, nothing.
    for (const route of ['/', '/package.json', '/@fs/etc/passwd', '/renderer/main.tsx', '/src/x.ts'])
      expect((await get(route)).status, route).toBe(401);
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^shotgraph-\d+=/);
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(page.headers['set-cookie'])).toMatch(/SameSite=Strict/);
    // The page's own scripts then load with the cookie the server set.
    expect((await get('/renderer/main.tsx', { cookie })).status).toBe(200);
    expect((await get('/renderer/main.tsx', { cookie: cookie.replace(/=.*/, '=wrong') })).status).toBe(401);
    expect((await get('/', { cookie: `shotgraph-1=${server.token}` })).status).toBe(401); // another port's
  });

  it('serves the production build behind the same token, with its content security policy', async () => {
    const built = await startWebServer({ root, rendererDir: inject('rendererDir') });
    try {
      const at = new URL(built.url).origin;
      const fetchAt = (route: string, headers: Record<string, string> = {}) =>
        fetch(`${at}${route}`, { headers, redirect: 'manual' });
      expect((await fetchAt('/')).status).toBe(401);
      const page = await fetchAt(`/?token=${built.token}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      const html = await page.text();
      const script = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
      expect(script, html).toMatch(/^assets\/.+\.js$/);
      const cookie = String(page.headers.get('set-cookie')).split(';')[0]!;
      const js = await fetchAt(`/${script}`, { cookie });
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect((await js.text()).length).toBeGreaterThan(100_000); // the whole editor, bundled
      expect((await fetchAt(`/${script}`)).status).toBe(401);
    } finally {
      await built.close();
    }
  });

  it('refuses to save a graph larger than the command line would open', async () => {
    const ws = await connect();
    const graph = {
      format: 'shotgraph',
      version: 1,
      name: 'Huge',
      nodes: Array.from({ length: 2100 }, (_, i) => ({
        id: `p${i}`,
        type: 'prompt',
        params: { text: 'x'.repeat(10_000) },
      })),
      edges: [],
    };
    const reply = await call(ws, 'graph.save', { path: 'huge.json', graph });
    expect(reply).toMatchObject({ ok: false, error: { code: 'graph.too-large' } });
    expect(readdirSync(root)).not.toContain('huge.json');
    ws.close();
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    await expect(connect({ token: 'nope' })).rejects.toThrow(/401/);
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  it('validates every input and names the problem', async () => {
    const ws = await connect();
    const bad = await call(ws, 'graph.save', { path: 7 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(await call(ws, 'no.such.op', {})).toMatchObject({ ok: false, error: { code: 'op.unknown' } });
    const outside = await call(ws, 'graph.save', {
      path: '../escape.json',
      graph: { format: 'shotgraph', version: 1, nodes: [], edges: [] },
    });
    expect(outside).toMatchObject({ ok: false, error: { code: 'path.outside' } });
    const broken = await call(ws, 'graph.save', {
      path: 'x.json',
      graph: { format: 'shotgraph', version: 99, nodes: [] },
    });
    expect(broken).toMatchObject({ ok: false, error: { code: 'graph.invalid' } });
    ws.close();
  });

  it('saves atomically, lists, reopens and remembers recent files', async () => {
    const ws = await connect();
    const graph = {
      format: 'shotgraph',
      version: 1,
      name: 'Test',
      nodes: [{ id: 'p', type: 'prompt', params: { text: 'hi' } }],
      edges: [],
    };
    expect(await call(ws, 'graph.save', { path: 'films/test', graph })).toEqual({
      id: expect.any(Number),
      ok: true,
      output: { path: 'films/test.json' },
    });
    expect(readdirSync(path.join(root, 'films'))).toEqual(['test.json']); // no temp file left behind
    const listed = await call(ws, 'files.list', { folder: 'films' });
    expect(listed).toMatchObject({
      ok: true,
      output: { folder: 'films', parent: '', entries: [{ name: 'test.json', kind: 'graph' }] },
    });
    const opened = await call(ws, 'graph.open', { path: 'films/test.json' });
    expect(opened).toMatchObject({
      ok: true,
      output: { graph: { name: 'Test', nodes: [{ id: 'p', params: { text: 'hi' } }] } },
    });
    expect(await call(ws, 'recent.list', {})).toMatchObject({
      ok: true,
      output: { files: [{ path: 'films/test.json', name: 'Test' }] },
    });
    ws.close();
  });

  it('imports uploaded media into the project folder with its sha256', async () => {
    const ws = await connect();
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d1c2b40000000049454e44ae426082',
      'hex',
    );
    const reply = await call(ws, 'media.import', {
      graphPath: 'films/test.json',
      name: '../../my still.png',
      dataBase64: png.toString('base64'),
    });
    const sha256 = createHash('sha256').update(png).digest('hex');
    expect(reply).toMatchObject({ ok: true, output: { file: 'media/my still.png', sha256, kind: 'image' } });
    expect(readFileSync(path.join(root, 'films/media/my still.png')).equals(png)).toBe(true);
    const other = await call(ws, 'media.import', {
      graphPath: 'films/test.json',
      name: 'my still.png',
      dataBase64: Buffer.from('different').toString('base64'),
    });
    expect(other).toMatchObject({
      ok: true,
      output: { file: expect.stringMatching(/^media\/my still-[0-9a-f]{8}\.png$/) },
    });
    expect(
      await call(ws, 'media.import', { graphPath: 'films/test.json', name: 'notes.txt', dataBase64: '' }),
    ).toMatchObject({ ok: false, error: { code: 'media.type' } });
    ws.close();
  });

  it('keeps and discards recovery copies', async () => {
    const ws = await connect();
    const graph = { format: 'shotgraph', version: 1, name: 'Unsaved', nodes: [], edges: [] };
    await call(ws, 'recovery.save', { path: null, graph });
    expect(await call(ws, 'recovery.list', {})).toMatchObject({
      ok: true,
      output: { items: [{ path: null, name: 'Unsaved' }] },
    });
    await call(ws, 'recovery.discard', { path: null });
    expect(await call(ws, 'recovery.list', {})).toMatchObject({ ok: true, output: { items: [] } });
    ws.close();
  });
});
