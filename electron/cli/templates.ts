// `shotgraph templates`, `shotgraph new` and `shotgraph save-template`: films made to be reused
// (electron/engine/templates.ts).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { emptyGraph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { formatProblem, ProblemError, type Problem } from '../../shared/problems';
import { writeFileAtomic } from '../engine/atomic';
import {
  createFromTemplate,
  listTemplates,
  saveAsTemplate,
  TEMPLATE_GRAPH,
  userTemplatesDir,
} from '../engine/templates';
import { promises as fs } from 'node:fs';
import { forTerminal, say, sayJson, warn } from './terminal';

function printProblems(problems: Problem[], subject: string): void {
  for (const p of problems) warn(`${subject}: ${forTerminal(formatProblem(p), { singleLine: true })}`);
}

const usage = (message: string) => Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_MISSING' });

export async function templatesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const templates = await listTemplates();
  if (values.json) {
    sayJson(templates);
    return 0;
  }
  const header = ['template', 'shots', 'inputs', 'title'];
  const rows = templates.map((t) => [
    t.source === 'user' ? `${t.name} (yours)` : t.name,
    String(t.shots),
    t.inputs.map((i) => i.name).join(', '),
    t.title,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => v.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  say([line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n'));
  warn(
    `\nMake a film from one: shotgraph new --template NAME DIR. Your own templates: ${userTemplatesDir()}`,
  );
  return 0;
}

export async function newCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { template: { type: 'string', short: 't' } },
  });
  const dir = positionals[0];
  if (!dir) throw usage('a folder for the new film is required');
  try {
    if (values.template) {
      const made = await createFromTemplate(values.template, dir);
      warn(
        `New film from "${made.template.title}"; its inputs: ${made.template.inputs.map((i) => i.name).join(', ') || 'none'}.`,
      );
      warn(
        `See them with: shotgraph inputs ${path.relative(process.cwd(), made.graphPath) || made.graphPath}`,
      );
      say(made.graphPath);
      return 0;
    }
    // Without a template: an empty film, in a folder that must be new or empty, like any project.
    const target = path.resolve(dir);
    const existing = await fs.readdir(target).catch(() => []);
    if (existing.length) {
      warn(`shotgraph new: "${target}" is not empty; name a new folder so nothing is overwritten`);
      return 1;
    }
    const graphPath = path.join(target, TEMPLATE_GRAPH);
    await writeFileAtomic(graphPath, serializeGraph(emptyGraph(path.basename(target))));
    say(graphPath);
    return 0;
  } catch (e) {
    if (e instanceof ProblemError) {
      printProblems(e.problems, dir);
      return 1;
    }
    throw e;
  }
}

export async function saveTemplateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      description: { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
  });
  const [graphPath, name] = positionals;
  if (!graphPath || !name) throw usage('a graph file and a template name are required');
  try {
    const saved = await saveAsTemplate(graphPath, name, {
      ...(values.title ? { title: values.title } : {}),
      ...(values.description ? { description: values.description } : {}),
      replace: values.replace,
    });
    warn(
      `Saved template "${saved.name}" (${saved.inputs.length} inputs): shotgraph new --template ${saved.name} DIR`,
    );
    say(saved.dir);
    return 0;
  } catch (e) {
    if (e instanceof ProblemError) {
      printProblems(e.problems, graphPath);
      return 1;
    }
    throw e;
  }
}
