// This checkout's editor against another's (main, usually), interleaved in one Chromium so both
// meet the same load: `node --import tsx test/bench/editor-ab.ts /work/main [300|1000] [rounds]`.
// Each round opens the bench's film in each build (order alternating) and drags a shot as the
// editor bench does; printed are medians of first paint (wall), the main thread's CPU to first
// paint and per drag move (traced, so other processes on the cores count less), drag p95 at 60 Hz
// vsync, and drag frame p95 in a second Chromium off the display clock (the bench's uncapped pass).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startWebServer } from '../../electron/web';
import { serializeGraph } from '../../shared/graph/serialize';
import { launchChromium } from '../e2e/browser';
import {
  bigGraph,
  CATEGORIES,
  dragMiddleShot,
  dragUncapped,
  painted,
  quantile,
  rendererTasks,
  UNCAPPED,
} from './editor.bench';

const HERE = path.resolve(import.meta.dirname, '../..');

async function serve(repo: string, films: number, shots: number) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-ab-'));
  const rendererDir = path.join(root, '.renderer');
  await build({
    configFile: path.join(repo, 'vite.config.ts'),
    root: path.join(repo, 'renderer'),
    logLevel: 'warn',
    build: { outDir: rendererDir, sourcemap: false },
  });
  writeFileSync(path.join(root, 'big.json'), serializeGraph(bigGraph(films, shots)));
  const server = await startWebServer({ root, rendererDir });
  return { url: `${server.url}&open=big.json`, close: () => server.close(), root };
}

async function main(other: string, nodes: number, rounds: number): Promise<void> {
  const [films, shots] = nodes >= 1000 ? [40, 23] : [10, 28];
  const count = films * (shots + 2);
  const sides = [
    { name: path.basename(other), ...(await serve(other, films, shots)) },
    { name: 'this', ...(await serve(HERE, films, shots)) },
  ];
  const seen = new Map(
    sides.map((s) => [
      s.name,
      {
        paint: [] as number[],
        openCpu: [] as number[],
        moveCpu: [] as number[],
        p95: [] as number[],
        uncappedP95: [] as number[],
      },
    ]),
  );
  const browser = await launchChromium();
  try {
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 ? [...sides].reverse() : sides) {
        const m = seen.get(side.name)!;
        const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
        await page.goto(side.url); // warm the HTTP cache
        await page.evaluate<number>(painted(count));
        await browser.startTracing(page, { categories: CATEGORIES });
        await page.goto(side.url);
        m.paint.push(await page.evaluate<number>(painted(count)));
        m.openCpu.push(rendererTasks(await browser.stopTracing()).reduce((sum, t) => sum + t.cpu, 0));
        const { frames, tasks } = await dragMiddleShot(browser, page, films);
        m.moveCpu.push(tasks.reduce((sum, t) => sum + t.cpu, 0) / 120);
        m.p95.push(
          quantile(
            frames.slice(3).map((t, i) => t - frames[i + 2]!),
            0.95,
          ),
        );
        await page.close();
        // Open only for its pass: idle, the uncapped Chromium burns a core (editor.bench.ts).
        const uncapped = await launchChromium(UNCAPPED);
        const free = await uncapped.newPage({ viewport: { width: 1600, height: 1000 } });
        await free.goto(side.url);
        m.uncappedP95.push(quantile((await dragUncapped(free, films, count)).flat(), 0.95));
        await uncapped.close();
      }
      console.log(
        `round ${r + 1}: load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
    }
  } finally {
    await browser.close();
    for (const s of sides) {
      await s.close();
      rmSync(s.root, { recursive: true, force: true });
    }
  }
  const med = (xs: number[]) => quantile(xs, 0.5).toFixed(1);
  for (const [name, m] of seen)
    console.log(
      `${name}, ${count} nodes: first paint ${med(m.paint)} ms, CPU to first paint ${med(m.openCpu)} ms, ` +
        `CPU per drag move ${med(m.moveCpu)} ms, drag frame p95 at 60 Hz vsync ${med(m.p95)} ms, ` +
        `uncapped ${med(m.uncappedP95)} ms (medians of ${rounds})`,
    );
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1]))
  await main(process.argv[2] ?? '/work/main', Number(process.argv[3] ?? 300), Number(process.argv[4] ?? 5));
