// Editor performance in a real Chromium on the production build, for a 300-node and a 1,000-node
// film: opening it until it is painted, and frame times while dragging a node in it (animation
// frames, and the renderer main thread's tasks from a Chromium trace). Goals (issue 16): 300 nodes
// → first paint < 1 s, drag p95 < 16.7 ms; 1,000 nodes → < 2 s, < 33 ms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startWebServer } from '../../electron/web';
import { serializeGraph } from '../../shared/graph/serialize';
import type { Graph } from '../../shared/graph/schema';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser';
import type { Bench, BenchRow } from './types';

const REPO = path.resolve(import.meta.dirname, '../..');
/** Films of a prompt feeding chained shots cut together, plus the prompt and the cut. */
const SIZES = [
  { nodes: 300, films: 10, shots: 28 },
  { nodes: 1000, films: 40, shots: 23 },
];

/** `films` films, each a prompt feeding `shots` chained shots cut together (default: 300 nodes). */
export function bigGraph(films = 10, shots = 28): Graph {
  const SHOTS_PER_FILM = shots;
  const g: Graph = {
    format: 'shotgraph',
    version: 2,
    name: `Bench: ${films * (shots + 2)} nodes`,
    nodes: [],
    edges: [],
  };
  for (let f = 0; f < films; f++) {
    const y = f * 700;
    g.nodes.push({ id: `p${f}`, type: 'prompt', position: { x: 0, y }, params: { text: `Film ${f}` } });
    for (let s = 0; s < SHOTS_PER_FILM; s++) {
      const id = `s${f}-${s}`;
      g.nodes.push({
        id,
        type: 'shot',
        position: { x: 340 + s * 340, y: y + (s % 2) * 60 },
        params: { duration: 4, resolution: '480p' },
      });
      g.edges.push({ source: `p${f}`, sourcePort: 'text', target: id, targetPort: 'prompt' });
      if (s > 0)
        g.edges.push({
          source: `s${f}-${s - 1}`,
          sourcePort: 'last_frame',
          target: id,
          targetPort: 'first_frame',
        });
      g.edges.push({ source: id, sourcePort: 'video', target: `cut${f}`, targetPort: 'clips', order: s });
    }
    g.nodes.push({
      id: `cut${f}`,
      type: 'final_cut',
      position: { x: 340 + SHOTS_PER_FILM * 340, y },
      params: {},
    });
  }
  return g;
}

// Page scripts as strings: tsx would wrap named functions in a helper the page does not have.
/**
 * Resolves with performance.now() once the film's `count` nodes are loaded (the status bar says
 * so), the canvas has drawn every node in view (a 1,000-node film does not all fit at the least
 * zoom, and the canvas draws only what is in view) with its measured size, and a frame has
 * painted them.
 */
export const painted = (count: number) => `new Promise((resolve) => {
  const check = () => {
    const bar = document.querySelector('[data-testid="statusbar"]');
    const drawn = [...document.querySelectorAll('.react-flow__node')];
    if (
      bar && bar.textContent.includes('${count} nodes') &&
      drawn.length >= Math.min(${count}, 300) &&
      drawn.every((n) => n.style.visibility !== 'hidden')
    ) {
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
    } else requestAnimationFrame(check);
  };
  check();
})`;

/** Records every animation frame's timestamp until window.__stop is set. */
const RECORD_FRAMES = `(() => {
  window.__frames = [];
  window.__stop = false;
  const tick = (t) => {
    window.__frames.push(t);
    if (!window.__stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!;
};

/**
 * Main-thread tasks of the page's renderer in a Chromium trace: wall time and the thread's own CPU
 * time, in ms. CPU time holds up when other processes share the cores; wall time does not.
 */
export function rendererTasks(trace: Buffer): { wall: number; cpu: number }[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return events
    .filter((e) => mains.has(`${e.pid}:${e.tid}`) && e.ph === 'X' && TASKS.has(e.name))
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? e.dur ?? 0) / 1000 }));
}

/** A main-thread task, by its name in older and newer Chromium traces. */
const TASKS = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);
export const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Drags a shot of the middle film (in view at the zoom the film opens with, whatever its size) in
 * 120 small moves under a trace: the animation frames' times, and the main thread's tasks ≥ 1 ms.
 */
export async function dragMiddleShot(
  browser: Browser,
  page: Page,
  films: number,
): Promise<{ frames: number[]; tasks: { wall: number; cpu: number }[] }> {
  const head = page.locator(`[data-testid="node-s${films >> 1}-14"] .film-node__head`);
  await head.waitFor();
  const hb = (await head.boundingBox())!;
  const box = { x: hb.x + hb.width / 2 - 8, y: hb.y + hb.height / 2 - 4 };
  await browser.startTracing(page, { categories: CATEGORIES });
  await page.evaluate(RECORD_FRAMES);
  await page.mouse.move(box.x + 8, box.y + 4);
  await page.mouse.down();
  for (let i = 1; i <= 120; i++) await page.mouse.move(box.x + 8 + i * 3, box.y + 4 + Math.sin(i / 10) * 60);
  await page.mouse.up();
  const frames = await page.evaluate<number[]>('(window.__stop = true, window.__frames)');
  const tasks = rendererTasks(await browser.stopTracing()).filter((t) => t.wall >= 1);
  return { frames, tasks };
}

async function measure(browser: Browser, url: string, size: (typeof SIZES)[number]): Promise<BenchRow[]> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    const opens: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(url);
      // Navigation start → every node in the DOM and one frame painted after it.
      opens.push(await page.evaluate<number>(painted(size.nodes)));
    }
    // One more open under a trace, for the main thread's own CPU time (contention-proof).
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(url);
    const tracedOpen = await page.evaluate<number>(painted(size.nodes));
    const openCpu = rendererTasks(await browser.stopTracing()).reduce((sum, t) => sum + t.cpu, 0);
    const { frames, tasks } = await dragMiddleShot(browser, page, size.films);
    const cpuPerFrame = tasks.reduce((sum, t) => sum + t.cpu, 0) / Math.max(1, frames.length);
    const gaps = frames
      .slice(1)
      .map((t, i) => t - frames[i]!)
      .slice(2); // skip warm-up frames
    const n = size.nodes.toLocaleString('en');
    return [
      {
        metric: `open ${n}-node film to first paint (median of 3, from navigation)`,
        value: round(quantile(opens, 0.5)),
        unit: 'ms',
        note: `runs: ${opens.map(round).join(', ')}`,
      },
      {
        metric: `frame time while dragging a node in a ${n}-node film (median)`,
        value: round(quantile(gaps, 0.5)),
        unit: 'ms',
        note: `${gaps.length} frames; 16.7 ms = 60 fps`,
      },
      {
        metric: `frame time while dragging a node in a ${n}-node film (p95)`,
        value: round(quantile(gaps, 0.95)),
        unit: 'ms',
      },
      {
        metric: `main-thread task while dragging in a ${n}-node film (p95 of tasks ≥ 1 ms, trace)`,
        value: tasks.length
          ? round(
              quantile(
                tasks.map((t) => t.wall),
                0.95,
              ),
            )
          : 0,
        unit: 'ms',
        note: `${tasks.length} tasks, longest ${tasks.length ? round(Math.max(...tasks.map((t) => t.wall))) : 0} ms`,
      },
      {
        metric: `main-thread CPU per frame while dragging in a ${n}-node film (trace)`,
        value: round(cpuPerFrame),
        unit: 'ms',
        note: 'the thread’s own CPU time: what the drag costs without other load',
      },
      {
        metric: `main-thread CPU to first paint of a ${n}-node film (trace, one open)`,
        value: round(openCpu),
        unit: 'ms',
        note: `wall ${round(tracedOpen)} ms for the same open`,
      },
    ];
  } finally {
    await page.close();
  }
}

export default {
  name: 'editor',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-bench-'));
    const rendererDir = path.join(root, '.renderer');
    await build({
      configFile: path.join(REPO, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: rendererDir, sourcemap: false },
    });
    for (const size of SIZES)
      writeFileSync(
        path.join(root, `big-${size.nodes}.json`),
        serializeGraph(bigGraph(size.films, size.shots)),
      );
    const server = await startWebServer({ root, rendererDir });
    const browser = await launchChromium();
    try {
      const rows: BenchRow[] = [];
      const load = () =>
        os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ');
      // BENCH_EDITOR_NODES=300 measures one size only.
      const only = process.env.BENCH_EDITOR_NODES;
      for (const size of SIZES.filter((s) => !only || String(s.nodes) === only)) {
        const before = load();
        const measured = await measure(browser, `${server.url}&open=big-${size.nodes}.json`, size);
        measured[0]!.note += `; load average ${before} → ${load()} on ${os.cpus().length} cores`;
        rows.push(...measured);
      }
      return rows;
    } finally {
      await browser.close();
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
} satisfies Bench;
