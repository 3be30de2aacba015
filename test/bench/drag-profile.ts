// Where a drag's frames go, for deciding what to optimise (the bench says how fast; this says why):
// `node --import tsx test/bench/drag-profile.ts [300|1000]` builds the production renderer
// unminified, opens the bench's film, drags a shot as the bench does under a Chromium trace, and
// prints the renderer main thread's self time per trace event (scaled to its CPU time), e.g.
// PaintArtifactCompositor::Update (re-layerizing), FunctionCall (script), Layout, Paint, HitTest;
// then a second drag under V8's sampling profiler, for the script's self time per function.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startWebServer } from '../../electron/web';
import { serializeGraph } from '../../shared/graph/serialize';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser';
import { bigGraph } from './editor.bench';

const REPO = path.resolve(import.meta.dirname, '../..');
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8'];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Self time per event name on the renderer main thread, in ms of CPU, with how often it ran. */
export function mainThreadSelfTimes(trace: Buffer): { name: string; ms: number; count: number }[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const spans = events
    .filter((e) => mains.has(`${e.pid}:${e.tid}`) && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, { ms: number; count: number }>();
  const open: { e: TraceEvent; children: number }[] = [];
  const closeUntil = (ts: number) => {
    while (open.length && open[open.length - 1]!.e.ts + open[open.length - 1]!.e.dur! <= ts) {
      const { e, children } = open.pop()!;
      const cpuShare = (e.tdur ?? e.dur!) / Math.max(1, e.dur!);
      const was = self.get(e.name) ?? { ms: 0, count: 0 };
      self.set(e.name, {
        ms: was.ms + (Math.max(0, e.dur! - children) * cpuShare) / 1000,
        count: was.count + 1,
      });
      if (open.length) open[open.length - 1]!.children += e.dur!;
    }
  };
  for (const e of spans) {
    closeUntil(e.ts);
    open.push({ e, children: 0 });
  }
  closeUntil(Infinity);
  return [...self].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.ms - a.ms);
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** A V8 CPU profile's self time per function (name and line), in ms, most first. */
export function scriptSelfTimes(profile: CpuProfile): { name: string; ms: number }[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)?.callFrame;
    if (!f) return;
    const name = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...self].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

/** The bench's film of about `nodes` nodes, built unminified and opened in a page: `use` profiles it. */
export async function onBenchFilm(
  nodes: number,
  use: (page: Page, browser: Browser, film: { count: number; films: number; url: string }) => Promise<void>,
): Promise<void> {
  const [films, shots] = nodes >= 1000 ? [40, 23] : [10, 28];
  const root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-profile-'));
  const rendererDir = path.join(root, '.renderer');
  await build({
    configFile: path.join(REPO, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: rendererDir, sourcemap: false, minify: false },
  });
  writeFileSync(path.join(root, 'big.json'), serializeGraph(bigGraph(films, shots)));
  const server = await startWebServer({ root, rendererDir });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await use(page, browser, { count: films * (shots + 2), films, url: `${server.url}&open=big.json` });
  } finally {
    await browser.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Runs `act` under V8's sampling profiler and prints the script's self time per function. */
export async function printScriptTimes(page: Page, act: () => Promise<void>, what: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await act();
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  console.log(`script self time by function (${what}, sampled):`);
  for (const r of scriptSelfTimes(profile).slice(0, 25))
    console.log(`${r.ms.toFixed(1).padStart(9)} ms  ${r.name}`);
}

export function printSelfTimes(rows: { name: string; ms: number; count: number }[]): void {
  for (const r of rows)
    console.log(`${r.ms.toFixed(1).padStart(9)} ms  ×${String(r.count).padEnd(6)} ${r.name}`);
}

async function main(nodes: number): Promise<void> {
  await onBenchFilm(nodes, async (page, browser, { count, films, url }) => {
    await page.goto(url);
    const head = page.locator(`[data-testid="node-s${films >> 1}-14"] .film-node__head`);
    await head.waitFor();
    await page.waitForTimeout(1500); // film status and validation settle
    const hb = (await head.boundingBox())!;
    const at = { x: hb.x + hb.width / 2, y: hb.y + hb.height / 2 };
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    for (let i = 1; i <= 120; i++) await page.mouse.move(at.x + i * 3, at.y + Math.sin(i / 10) * 60);
    await page.mouse.up();
    const rows = mainThreadSelfTimes(await browser.stopTracing()).slice(0, 20);
    console.log(`${count}-node film, 120 drag moves; load ${os.loadavg()[0]!.toFixed(1)}`);
    printSelfTimes(rows);
    await printScriptTimes(
      page,
      async () => {
        await page.mouse.move(at.x + 360, at.y);
        await page.mouse.down();
        for (let i = 1; i <= 120; i++)
          await page.mouse.move(at.x + 360 - i * 3, at.y + Math.sin(i / 10) * 60);
        await page.mouse.up();
      },
      'second drag',
    );
  });
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1]))
  await main(Number(process.argv[2] ?? 300));
