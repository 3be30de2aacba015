// Where opening a big film's time goes, for deciding what to cut (the editor bench says how fast;
// this says why): `node --import tsx test/bench/open-profile.ts [300|1000]` builds the production
// renderer unminified, opens the bench's film under a Chromium trace and prints the renderer main
// thread's self time per trace event (script evaluation, style, layout, paint), then opens it again
// under V8's sampling profiler for the script's self time per function.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startWebServer } from '../../electron/web';
import { serializeGraph } from '../../shared/graph/serialize';
import { launchChromium } from '../e2e/browser';
import { mainThreadSelfTimes, scriptSelfTimes, type CpuProfile } from './drag-profile';
import { bigGraph, painted } from './editor.bench';

const REPO = path.resolve(import.meta.dirname, '../..');
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8'];

async function main(nodes: number): Promise<void> {
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
  const count = films * (shots + 2);
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const url = `${server.url}&open=big.json`;
    await page.goto(url); // warm the HTTP cache, as the bench's later opens are
    await page.evaluate<number>(painted(count));
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(url);
    const wall = await page.evaluate<number>(painted(count));
    const rows = mainThreadSelfTimes(await browser.stopTracing()).slice(0, 25);
    console.log(`${count}-node film opened in ${wall.toFixed(0)} ms; load ${os.loadavg()[0]!.toFixed(1)}`);
    for (const r of rows)
      console.log(`${r.ms.toFixed(1).padStart(9)} ms  ×${String(r.count).padEnd(6)} ${r.name}`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(url);
    await page.evaluate<number>(painted(count));
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    console.log('script self time by function (second open, sampled):');
    for (const r of scriptSelfTimes(profile).slice(0, 30))
      console.log(`${r.ms.toFixed(1).padStart(9)} ms  ${r.name}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1]))
  await main(Number(process.argv[2] ?? 300));
