// Where opening a big film's time goes, for deciding what to cut (the editor bench says how fast;
// this says why): `node --import tsx test/bench/open-profile.ts [300|1000]` builds the production
// renderer unminified, opens the bench's film under a Chromium trace and prints the renderer main
// thread's self time per trace event (script, style, layout, paint), then opens it again under
// V8's sampling profiler for the script's self time per function.
import os from 'node:os';
import path from 'node:path';
import { mainThreadSelfTimes, onBenchFilm, printScriptTimes, printSelfTimes } from './drag-profile';
import { painted } from './editor.bench';

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8'];

async function main(nodes: number): Promise<void> {
  await onBenchFilm(nodes, async (page, browser, { count, url }) => {
    await page.goto(url); // warm the HTTP cache, as the bench's later opens are
    await page.evaluate<number>(painted(count));
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(url);
    const wall = await page.evaluate<number>(painted(count));
    const rows = mainThreadSelfTimes(await browser.stopTracing()).slice(0, 25);
    console.log(`${count}-node film opened in ${wall.toFixed(0)} ms; load ${os.loadavg()[0]!.toFixed(1)}`);
    printSelfTimes(rows);
    await printScriptTimes(
      page,
      async () => {
        await page.goto(url);
        await page.evaluate<number>(painted(count));
      },
      'second open',
    );
  });
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1]))
  await main(Number(process.argv[2] ?? 300));
