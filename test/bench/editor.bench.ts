// Editor performance in a real Chromium on the production build, for a 300-node and a 1,000-node
// film: opening it until it is painted, and frame times while dragging a node in it (animation
// frames, and the renderer main thread's tasks from a Chromium trace). Goals (issue 16): 300 nodes
// → first paint < 1 s, drag p95 < 16.7 ms; 1,000 nodes → < 2 s, < 33 ms.
//
// Drag frames are measured twice. "At 60 Hz vsync" rows come from the Chromium users run: its
// animation frames come in whole vsyncs (16.7, 33.3 ms), so their p95 can never read below 16.7 ms
// and only says how many frames were dropped. The "uncapped" rows come from a second Chromium taken
// off the display clock (UNCAPPED): a frame starts as soon as the last one is drawn, so the gap after
// a frame that handled a drag move is the time the editor takes to make that frame. The uncapped
// p95 is the figure compared with the goals.
//
// The uncapped p95 is pooled over several drags of the same film (UNCAPPED_DRAGS, 3 × 120 moves)
// after a warm-up drag that is not counted. One drag's p95 is its 6th slowest frame, and the slow
// frames come in bursts: the first moves of the first drag (the dragged card's first layer, code
// not yet optimised) and stretches of seconds when other processes have the cores. Pooled, one
// burst is a smaller share of the frames; the per-drag p95s are in the row's note, so a run
// spoiled by load shows as such. On one build, alternating, at load 9–15 on 2 cores: one drag
// per run read 79–155 ms (300 nodes) and 81–216 ms (1,000); pooled, 48–110 and 111–143 ms.
// Wall-clock frames cannot be steady on shared cores, and the uncapped Chromium itself spins:
// with these three switches it burns ~1.2 cores with an idle page (no subset both uncaps and
// idles), so the measured frames share the machine with it; it is open only for its own pass, not
// beside the other passes' opens and drags. The tasks row's CPU p95 (each task's own thread time,
// from the trace) is the figure that holds up under load.
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
export const painted = (count: number) => `new Promise((resolve, reject) => {
  const check = () => {
    const bar = document.querySelector('[data-testid="statusbar"]');
    const drawn = [...document.querySelectorAll('.react-flow__node')];
    const hidden = drawn.filter((n) => n.style.visibility === 'hidden').length;
    if (
      bar && bar.textContent.includes('${count} nodes') &&
      drawn.length >= Math.min(${count}, 300) &&
      hidden === 0
    ) {
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
    } else if (performance.now() > ${PAINT_DEADLINE_MS}) {
      reject(new Error('the ${count}-node film was not painted in ${PAINT_DEADLINE_MS / 1000} s: status bar "' +
        (bar ? bar.textContent : 'missing') + '", ' + drawn.length + ' cards drawn, ' + hidden + ' not measured'));
    } else requestAnimationFrame(check);
  };
  check();
})`;

/** A film not painted this long after navigation fails the bench instead of hanging it. */
const PAINT_DEADLINE_MS = 120_000;

/**
 * Chromium switches for the uncapped pass. Without `--run-all-compositor-stages-before-draw`,
 * headless Chromium still ticks every ~17.7 ms with the other two; with all three an idle page's
 * animation frames come < 1 ms apart (the bench checks that: `idleFrameGap`).
 */
export const UNCAPPED = [
  '--disable-gpu-vsync',
  '--disable-frame-rate-limit',
  '--run-all-compositor-stages-before-draw',
];

/** 60 Hz: the display clock of the vsync-locked pass. */
export const VSYNC_MS = 1000 / 60;

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

/**
 * Uncapped, the time to make each frame that handles a drag move: from the start of that frame to
 * the start of the next. Chromium hands pointer moves to the page at the start of a frame, before
 * its animation callbacks, so a callback asked for in the move's handler runs in the same frame.
 * No rAF loop runs in between: uncapped, it would spin and take a core from the frames measured.
 */
const RECORD_MOVE_FRAMES = `(() => {
  window.__frames = [];
  let pending = false;
  addEventListener('pointermove', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame((start) =>
      requestAnimationFrame((next) => {
        window.__frames.push(next - start);
        pending = false;
      }),
    );
  }, { capture: true, passive: true });
})()`;

/** Gaps between consecutive animation frames, in ms, after `skip` warm-up gaps. */
export const frameGaps = (frames: number[], skip = 2): number[] =>
  frames
    .slice(1)
    .map((t, i) => t - frames[i]!)
    .slice(skip);

/** Median gap between animation frames on an empty page: well under 16.7 ms when uncapped. */
export async function idleFrameGap(browser: Browser): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.setContent('<p>idle</p>');
    const frames = await page.evaluate<number[]>(`new Promise((resolve) => {
      const frames = [];
      const tick = (t) => {
        frames.push(t);
        if (frames.length < 120) requestAnimationFrame(tick);
        else resolve(frames);
      };
      requestAnimationFrame(tick);
    })`);
    return quantile(frameGaps(frames), 0.5);
  } finally {
    await page.close();
  }
}

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
  await browser.startTracing(page, { categories: CATEGORIES });
  await page.evaluate(RECORD_FRAMES);
  await dragShot(page, films);
  const frames = await page.evaluate<number[]>('(window.__stop = true, window.__frames)');
  const tasks = rendererTasks(await browser.stopTracing()).filter((t) => t.wall >= 1);
  return { frames, tasks };
}

/**
 * The bench's drag: a shot of the middle film by its head, 120 moves of 3 px (right, or left for
 * `back`) and a wave. Dragged there and back, the card stays in view however often it is dragged.
 */
async function dragShot(page: Page, films: number, back = false): Promise<void> {
  const head = page.locator(`[data-testid="node-s${films >> 1}-14"] .film-node__head`);
  await head.waitFor();
  const hb = (await head.boundingBox())!;
  const box = { x: hb.x + hb.width / 2 - 8, y: hb.y + hb.height / 2 - 4 };
  const [dx, dy] = back ? [-3, -60] : [3, 60];
  await page.mouse.move(box.x + 8, box.y + 4);
  await page.mouse.down();
  for (let i = 1; i <= 120; i++) await page.mouse.move(box.x + 8 + i * dx, box.y + 4 + Math.sin(i / 10) * dy);
  await page.mouse.up();
}

/**
 * The same drag in the uncapped Chromium (UNCAPPED), untraced (tracing costs frame time), once the
 * film has settled, a warm-up drag and then UNCAPPED_DRAGS more: per counted drag, the time to
 * make each frame that handled a move.
 */
export async function dragUncapped(page: Page, films: number, count: number): Promise<number[][]> {
  // Polled from here on a timer: `painted` polls on animation frames, which uncapped come back to
  // back and starve the opening film's own work.
  const loaded = `!!document.querySelector('[data-testid="statusbar"]')?.textContent.includes('${count} nodes') &&
    document.querySelectorAll('.react-flow__node').length >= Math.min(${count}, 300)`;
  for (let waited = 0; !(await page.evaluate<boolean>(loaded)); waited += 100) {
    if (waited > 180_000) throw new Error(`the ${count}-node film did not open in the uncapped Chromium`);
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(1000); // film status and validation settle
  await page.evaluate(RECORD_MOVE_FRAMES);
  const drags: number[][] = [];
  for (let d = 0; d <= UNCAPPED_DRAGS; d++) {
    await page.evaluate('window.__frames = []');
    await dragShot(page, films, d % 2 === 1);
    await page.waitForTimeout(100); // the last move's frame
    // The first drag warms up (the card's first layer, the drag's code paths) and is not counted;
    // as the bench's single drag did before, each drag's first two frames are left out.
    if (d > 0) drags.push((await page.evaluate<number[]>('window.__frames')).slice(2));
  }
  return drags;
}

/** Drags measured per uncapped pass, after one warm-up drag (see the header comment). */
export const UNCAPPED_DRAGS = 3;

/**
 * The uncapped Chromium, open only while its pass runs: idle, it burns more than a core (see the
 * header comment), which would otherwise be taken from the other passes' opens and frames.
 */
async function withUncapped<T>(use: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchChromium(UNCAPPED);
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

async function openUncapped(url: string, size: (typeof SIZES)[number]): Promise<number[][]> {
  return withUncapped(async (browser) => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(url);
    return await dragUncapped(page, size.films, size.nodes);
  });
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
    const gaps = frameGaps(frames);
    const dropped = gaps.filter((g) => g > 1.5 * VSYNC_MS).length;
    const drags = await openUncapped(url, size);
    const free = drags.flat();
    const goal = size.nodes <= 300 ? 16.7 : 33;
    const n = size.nodes.toLocaleString('en');
    return [
      {
        metric: `open ${n}-node film to first paint (median of 3, from navigation)`,
        value: round(quantile(opens, 0.5)),
        unit: 'ms',
        note: `runs: ${opens.map(round).join(', ')}`,
      },
      {
        metric: `frame time while dragging a node in a ${n}-node film at 60 Hz vsync (median)`,
        value: round(quantile(gaps, 0.5)),
        unit: 'ms',
        note: `${gaps.length} frames; gaps come in whole vsyncs (16.7 ms = 60 fps)`,
      },
      {
        metric: `frame time while dragging a node in a ${n}-node film at 60 Hz vsync (p95)`,
        value: round(quantile(gaps, 0.95)),
        unit: 'ms',
        note: 'never below one vsync: see the uncapped rows for the time a frame takes',
      },
      {
        metric: `dropped frames while dragging a node in a ${n}-node film at 60 Hz`,
        value: round((100 * dropped) / Math.max(1, gaps.length)),
        unit: '%',
        note: `${dropped} of ${gaps.length} gaps longer than 1.5 vsyncs (${round(1.5 * VSYNC_MS)} ms)`,
      },
      {
        metric: `frame time while dragging a node in a ${n}-node film, uncapped (median)`,
        value: round(quantile(free, 0.5)),
        unit: 'ms',
        note: `${free.length} frames that handled a move (${drags.length} drags after a warm-up), in a Chromium off the display clock`,
      },
      {
        metric: `frame time while dragging a node in a ${n}-node film, uncapped (p95)`,
        value: round(quantile(free, 0.95)),
        unit: 'ms',
        note: `the row compared with the goal: < ${goal} ms; per drag ${drags.map((d) => round(quantile(d, 0.95))).join(', ')} ms`,
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
        note:
          `${tasks.length} tasks, longest ${tasks.length ? round(Math.max(...tasks.map((t) => t.wall))) : 0} ms; ` +
          `their own CPU time p95 ${
            tasks.length
              ? round(
                  quantile(
                    tasks.map((t) => t.cpu),
                    0.95,
                  ),
                )
              : 0
          } ms (steady under load)`,
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
      const idle = await withUncapped(idleFrameGap);
      // Frames still on a clock would make the uncapped rows read vsyncs again.
      if (idle > 4) throw new Error(`the uncapped Chromium is capped: idle frames ${round(idle)} ms apart`);
      const rows: BenchRow[] = [
        {
          metric: 'frame gap on an idle page, uncapped Chromium (median)',
          value: round(idle),
          unit: 'ms',
          note: `switches ${UNCAPPED.join(' ')}; at 60 Hz it is 16.7 ms`,
        },
      ];
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
