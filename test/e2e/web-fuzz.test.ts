// Web mode survives any frame (issue 10 §6): well over a thousand random and malformed frames —
// binary, invalid UTF-8, too large (sent and merely announced), deeply nested JSON, wrong types,
// unknown operations, prototype keys, mutated valid requests — against the real server, then the
// same server renders a film. Malformed frames close their own socket with a close code; the
// server, every other socket and Object.prototype are untouched.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { probeMedia } from '../../electron/media/probe';
import { startWebServer, type WebServer } from '../../electron/web';
import { MAX_FRAME_BYTES } from '../../electron/web/socket';
import { OPERATIONS, type HostMessage, type WireReply } from '../../shared/contract';
import type { Graph } from '../../shared/graph/schema';

const REPO = path.resolve(import.meta.dirname, '../..');
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
let root: string;
let server: WebServer;
let origin: string;

/** mulberry32: a seeded PRNG, so a failing run can be replayed with FUZZ_SEED. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-fuzz-'));
  cpSync(path.join(REPO, 'graphs/media'), path.join(root, 'media'), { recursive: true });
  server = await startWebServer({ root, rendererDir: inject('rendererDir') });
  origin = new URL(server.url).origin;
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

function open(): Promise<WebSocket> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${server.token}`, { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

type Outcome = { closed: number } | { answered: WireReply };

/** Sends one frame on a fresh socket: either the server answers it or closes the socket. */
async function fire(send: (ws: WebSocket) => void, expectAnswer: boolean): Promise<Outcome> {
  const ws = await open();
  ws.on('error', () => undefined); // the server may close mid-send
  return new Promise<Outcome>((resolve) => {
    ws.once('close', (code) => resolve({ closed: code }));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as WireReply;
      if ('id' in msg) {
        resolve({ answered: msg });
        ws.close();
      }
    });
    send(ws);
    if (!expectAnswer) return;
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

/** Random JSON of bounded size: wrong types for every field the contract has. */
function junk(depth = 0): unknown {
  const k = int(depth > 3 ? 6 : 9);
  switch (k) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick([0, -1, 1e308, -0, 2 ** 53 + 1, 3.5, 1e-300]);
    case 3:
      return pick([
        '',
        'x',
        '..',
        '../../etc/passwd',
        '/etc/passwd',
        '\u0000',
        'ark',
        '__proto__',
        'a'.repeat(5000),
      ]);
    case 4:
      return randomBytes(int(40)).toString('latin1');
    case 5:
      return pick(['films/x.json', 'chain.json', 'media/theme.mp3', 'C:\\x', '%2e%2e/x']);
    case 6:
      return Array.from({ length: int(5) }, () => junk(depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(6); i > 0; i--)
        o[
          pick([
            'path',
            'graph',
            'nodeId',
            'provider',
            'key',
            'take',
            'folder',
            'runId',
            'name',
            'format',
            '__proto__',
            'constructor',
            'nodes',
            'edges',
            'version',
          ])
        ] = junk(depth + 1);
      return o;
    }
  }
}

function invalidUtf8(): Buffer {
  const parts = [Buffer.from(`{"id":1,"op":"app.info","input":"`)];
  parts.push(
    pick([
      Buffer.from([0xc3, 0x28]),
      Buffer.from([0xff]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xe2, 0x82]),
    ]),
  );
  parts.push(Buffer.from('"}'));
  return Buffer.concat(parts);
}

describe('web mode survives any frame', () => {
  const tally = { frames: 0, closed: new Map<number, number>(), answered: 0 };
  const count = (o: Outcome) => {
    tally.frames++;
    if ('closed' in o) tally.closed.set(o.closed, (tally.closed.get(o.closed) ?? 0) + 1);
    else tally.answered++;
    return o;
  };

  it(`takes ${'>'}1,000 hostile frames (seed ${SEED}) without falling over`, async () => {
    // Binary frames: refused with 1003.
    for (let i = 0; i < 100; i++) {
      const o = count(await fire((ws) => ws.send(randomBytes(1 + int(2000)), { binary: true }), false));
      expect(o).toEqual({ closed: 1003 });
    }
    // Text frames that are not UTF-8: 1007.
    for (let i = 0; i < 100; i++) {
      const o = count(await fire((ws) => ws.send(invalidUtf8(), { binary: false }), false));
      expect(o).toEqual({ closed: 1007 });
    }
    // Not JSON, or JSON that is not a request: 1007.
    for (let i = 0; i < 150; i++) {
      const text = pick([
        () => randomBytes(1 + int(300)).toString('base64'),
        () => '{"id":1,"op":"app.info"',
        () => JSON.stringify(junk()),
        () => JSON.stringify({ id: pick(['1', -1, 1.5, null, 2 ** 60]), op: 'app.info', input: {} }),
        () => JSON.stringify({ id: 1, op: pick([1, null, {}, 'x'.repeat(200)]), input: {} }),
        () => '[' + '['.repeat(int(50_000)) + ']'.repeat(int(50_000)),
      ])();
      const o = count(await fire((ws) => ws.send(text), false));
      if ('answered' in o) expect(o.answered).toMatchObject({ ok: false });
      else expect(o.closed).toBe(1007);
    }
    // Too large for anything but an upload: 1009. One really sent, and many merely announced by a
    // frame header claiming 2^40 bytes (the server must not wait for, or allocate, them).
    const big = Buffer.alloc(MAX_FRAME_BYTES + 1024, 0x20);
    big.write('{"id":1,"op":"graph.save","input":');
    expect(count(await fire((ws) => ws.send(big, { binary: false }), false))).toEqual({ closed: 1009 });
    for (let i = 0; i < 50; i++) {
      const header = Buffer.from([0x81, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4]); // masked, 2^40 bytes
      const o = count(
        await fire(
          (ws) => (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(header),
          false,
        ),
      );
      expect(o).toEqual({ closed: 1009 });
    }
    // Well-formed requests with hostile inputs: each is one answer, the socket stays open.
    const ws = await open();
    const ops = [
      ...OPERATIONS.filter((op) => op !== 'run.start' && op !== 'app.quitReady'),
      'no.such.op',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
    ];
    for (let i = 0; i < 600; i++) {
      const op = pick(ops);
      const input = pick([
        () => junk(),
        () => ({ ...(junk() as object), __proto__: { polluted: true } }),
        () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
        () => ({
          provider: pick(['__proto__', 'constructor', 'prototype', 'ARK_API_KEY', 'animatic']),
          key: 'x',
        }),
        () => ({ path: 'deep.json', graph: JSON.parse('{"a":'.repeat(3000) + '1' + '}'.repeat(3000)) }),
      ])();
      const r = await call(ws, op, input);
      tally.frames++;
      tally.answered++;
      expect(typeof r).toBe('object');
      if (!OPERATIONS.includes(op as never))
        expect(r).toMatchObject({ ok: false, error: { code: 'op.unknown' } });
    }
    // Mutated valid requests: random bytes flipped in a real save; answered or closed, never more.
    const valid = JSON.stringify({
      id: 9,
      op: 'graph.save',
      input: {
        path: 'fuzz.json',
        graph: { format: 'shotgraph', version: 1, name: 'f', nodes: [], edges: [] },
      },
    });
    for (let i = 0; i < 150; i++) {
      const bytes = Buffer.from(valid);
      for (let j = int(4) + 1; j > 0; j--) bytes[int(bytes.length)] = int(256);
      const o = count(await fire((s) => s.send(bytes, { binary: false }), true));
      if ('closed' in o) expect([1003, 1007, 1009]).toContain(o.closed);
    }
    ws.close();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(tally.frames).toBeGreaterThanOrEqual(1000);
    console.log(
      `fuzz seed ${SEED}: ${tally.frames} frames, ${tally.answered} answered, closes ${JSON.stringify(Object.fromEntries(tally.closed))}`,
    );
  }, 600_000);

  it('then renders a film through the same server, events and all', async () => {
    const graph = JSON.parse(readFileSync(path.join(REPO, 'graphs/three-shot-chain.json'), 'utf8')) as Graph;
    for (const n of graph.nodes)
      if (n.type === 'shot')
        Object.assign(n.params, { resolution: '480p', duration: 4, provider: 'animatic' });
    writeFileSync(path.join(root, 'after-fuzz.json'), JSON.stringify(graph));
    const ws = await open();
    const pushes: HostMessage[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as WireReply;
      if ('push' in m) pushes.push(m.push);
    });
    const started = await call(ws, 'run.start', { path: 'after-fuzz.json', graph });
    expect(started).toMatchObject({ ok: true });
    const runId = (started as { output: { runId: string } }).output.runId;
    const end = Date.now() + 240_000;
    while (!pushes.some((p) => p.kind === 'run-report' && p.runId === runId)) {
      if (Date.now() > end) throw new Error('the film did not finish');
      await new Promise((r) => setTimeout(r, 100));
    }
    const report = pushes.find((p) => p.kind === 'run-report') as Extract<
      HostMessage,
      { kind: 'run-report' }
    >;
    expect(report.report).toMatchObject({ status: 'succeeded', output: 'after-fuzz.mp4' });
    const info = await probeMedia(path.join(root, 'after-fuzz.mp4'));
    expect(info.durationSec).toBeCloseTo(12, 0);
    expect(info.video?.codec).toBe('h264');
    ws.close();
  }, 300_000);
});
