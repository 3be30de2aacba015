// `shotgraph inputs`: the film's exposed inputs, what each takes and what it is now — what
// `render --set NAME=VALUE` and a batch CSV can change.
import { parseArgs } from 'node:util';
import { describeAllowed, inputProblems, listInputs, type FilmInput } from '../../shared/graph/inputs';
import { loadGraphFile } from '../engine/load';
import { readSequenceLibrary } from '../engine/sequences';
import { printProblems } from './problems';
import { say, sayJson, warn } from './terminal';

export async function inputsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const graphPath = positionals[0];
  if (!graphPath)
    throw Object.assign(new Error('a graph file is required'), { code: 'ERR_PARSE_ARGS_MISSING' });
  const loaded = await loadGraphFile(graphPath);
  if (!loaded.ok) {
    printProblems(loaded.problems, graphPath);
    return 1;
  }
  // An input may set a value of a library sequence: its file is read as a run would read it.
  const library = await readSequenceLibrary(loaded.graph, loaded.graphDir);
  const inputs = listInputs(loaded.graph, library);
  const problems = inputProblems(loaded.graph, library);
  if (values.json) sayJson({ inputs, problems });
  else if (!inputs.length && !problems.length)
    say(`${graphPath}: no exposed inputs (expose a node's field in the editor, or add "inputs" to the file)`);
  else if (inputs.length) say(formatInputs(inputs));
  if (problems.length && !values.json) {
    warn(`${problems.length} input${problems.length === 1 ? ' is' : 's are'} broken:`);
    printProblems(problems, graphPath);
  }
  return problems.length ? 1 : 0;
}

/** What an input takes, in a few words: "4–15 or auto", "16:9 | 9:16 | …", "image file". */
export function takes(i: FilmInput): string {
  if (i.type === 'choice') return describeAllowed(i.allowed!);
  if (i.type === 'number') {
    const kind = i.integer ? 'whole number' : 'number';
    return i.min !== undefined && i.max !== undefined ? `${kind} ${i.min} to ${i.max}` : kind;
  }
  if (i.type === 'boolean') return 'true, false';
  if (i.type === 'text') return 'text';
  return `${i.type} file`;
}

const MAX_CELL = 48;
const cell = (v: unknown) => {
  const s = v === undefined ? '—' : String(v).replace(/\s+/g, ' ');
  return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
};

export function formatInputs(inputs: FilmInput[]): string {
  const header = ['input', 'takes', 'value', 'node', 'description'];
  const rows = inputs.map((i) => [
    i.name,
    cell(takes(i)),
    cell(i.value),
    `${i.node}.${i.field}`,
    cell(i.description ?? ''),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => v.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
