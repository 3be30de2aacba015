// Editor performance in a real Chromium on the production build: opening a 300-node film until
// it is painted, and frame times while dragging a node in it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startWebServer } from '../../electron/web';
import { serializeGraph } from '../../shared/graph/serialize';
import type { Graph } from '../../shared/graph/schema';
import { launchChromium } from '../e2e/browser';
import type { Bench } from './types';

const REPO = path.resolve(import.meta.dirname, '../..');
const FILMS = 10;
const SHOTS_PER_FILM = 28; // + a prompt and a final cut = 30 nodes per film, 300 in all

/** Ten films, each a prompt feeding 28 chained shots cut together: 300 nodes, 830 wires. */
export function bigGraph(): Graph {
  const g: Graph = { format: 'shotgraph', version: 2, name: 'Bench: 300 nodes', nodes: [], edges: [] };
  for (let f = 0; f < FILMS; f++) {
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
/** Resolves with performance.now() once 300 nodes are in the DOM and a frame has painted them. */
const PAINTED_300 = `new Promise((resolve) => {
  const check = () => {
    if (document.querySelectorAll('.react-flow__node').length >= 300) {
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

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!;
};

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
    writeFileSync(path.join(root, 'big.json'), serializeGraph(bigGraph()));
    const server = await startWebServer({ root, rendererDir });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const opens: number[] = [];
      for (let i = 0; i < 3; i++) {
        await page.goto(`${server.url}&open=big.json`);
        // Navigation start → all 300 nodes in the DOM and one frame painted after it.
        opens.push(await page.evaluate<number>(PAINTED_300));
      }

      const title = page.locator('[data-testid="node-s5-14"] .film-node__title');
      await title.waitFor();
      const box = (await title.boundingBox())!;
      await page.evaluate(RECORD_FRAMES);
      await page.mouse.move(box.x + 8, box.y + 4);
      await page.mouse.down();
      for (let i = 1; i <= 120; i++)
        await page.mouse.move(box.x + 8 + i * 3, box.y + 4 + Math.sin(i / 10) * 60);
      await page.mouse.up();
      const frames = await page.evaluate<number[]>('(window.__stop = true, window.__frames)');
      const gaps = frames
        .slice(1)
        .map((t, i) => t - frames[i]!)
        .slice(2); // skip warm-up frames
      const round = (n: number) => Math.round(n * 10) / 10;
      return [
        {
          metric: 'open 300-node film to first paint (median of 3, from navigation)',
          value: round(quantile(opens, 0.5)),
          unit: 'ms',
          note: `runs: ${opens.map(round).join(', ')}`,
        },
        {
          metric: 'frame time while dragging a node in a 300-node film (median)',
          value: round(quantile(gaps, 0.5)),
          unit: 'ms',
          note: `${gaps.length} frames; 16.7 ms = 60 fps`,
        },
        {
          metric: 'frame time while dragging a node in a 300-node film (p95)',
          value: round(quantile(gaps, 0.95)),
          unit: 'ms',
        },
      ];
    } finally {
      await browser.close();
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
} satisfies Bench;
