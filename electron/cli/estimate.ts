// `shotgraph estimate`: what a render would spend, per shot and in total, before spending it.
import { parseArgs } from 'node:util';
import { estimatePlan, type GraphEstimate } from '../engine/estimate';
import { loadGraphFile } from '../engine/load';
import { preparePlan } from '../engine/plan';
import { applyRunInputs, parseSetArgs } from '../engine/run-inputs';
import { printProblems } from './problems';
import { say, warn } from './terminal';

export async function estimateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      provider: { type: 'string' },
      json: { type: 'boolean', default: false },
      'allow-outside': { type: 'boolean', default: false },
      set: { type: 'string', multiple: true },
    },
  });
  const graphPath = positionals[0];
  if (!graphPath)
    throw Object.assign(new Error('a graph file is required'), { code: 'ERR_PARSE_ARGS_MISSING' });
  const sets = parseSetArgs(values.set ?? []);
  if ('error' in sets) {
    warn(`shotgraph estimate: ${sets.error}`);
    return 2;
  }
  let graph;
  if (Object.keys(sets.values).length) {
    const loaded = await loadGraphFile(graphPath);
    const applied = loaded.ok
      ? await applyRunInputs(loaded.graph, loaded.graphDir, sets.values)
      : { problems: loaded.problems, graph: undefined };
    if (applied.problems.length) {
      printProblems(applied.problems, graphPath);
      return 1;
    }
    graph = applied.graph;
  }
  const planned = await preparePlan({
    graphPath,
    ...(graph ? { graph } : {}),
    allowOutside: values['allow-outside'],
    ...(values.provider ? { provider: values.provider } : {}),
  });
  if (!planned.ok) {
    printProblems(planned.problems, graphPath);
    return 1;
  }
  const estimate = await estimatePlan(planned.plan);
  if (values.json) say(JSON.stringify(estimate, null, 2));
  else say(formatEstimate(estimate));
  return 0;
}

export function formatEstimate(e: GraphEstimate): string {
  const rows = e.shots.map((s) => [
    s.nodeId,
    s.provider,
    s.model,
    `${s.resolution} ${s.ratio}`,
    `${s.seconds} s`,
    s.tokens !== undefined
      ? s.tokens.toLocaleString('en-US')
      : s.credits !== undefined
        ? `${s.credits.toLocaleString('en-US')} cr`
        : '—',
    s.cached ? 'cached' : s.known ? `$${s.usd.toFixed(2)}` : 'unknown',
  ]);
  const header = ['shot', 'provider', 'model', 'format', 'length', 'tokens', 'cost'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i >= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const tokens = e.shots.filter((s) => !s.cached).reduce((a, s) => a + (s.tokens ?? 0), 0);
  const out = [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
  out.push(
    `Total: $${e.totalUsd.toFixed(2)}${tokens ? ` (${tokens.toLocaleString('en-US')} tokens)` : ''} for ${e.shots.filter((s) => !s.cached).length} of ${e.shots.length} shots; cached shots cost nothing.`,
  );
  if (e.unknownPrices)
    out.push(`${e.unknownPrices} shot(s) on gateways that publish no price are not included.`);
  return out.join('\n');
}
