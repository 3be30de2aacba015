// `shotgraph` — the headless command: render, validate and serve the editor in a browser.
// Each command is imported only when it runs, so `--help` loads none of the engine.
import { say, warn } from './cli/terminal';

const USAGE = `Usage:
  shotgraph render <graph.json> [--out FILE] [--provider NAME] [--concurrency N] [--report FILE]
                                [--until NODE | --only NODE] [--new-take NODE] [--budget USD]
                                [--allow-unpriced] [--no-wait] [--allow-outside]
                                [--set NAME=VALUE]...
  shotgraph inputs <graph.json> [--json]
  shotgraph templates [--json]
  shotgraph new [--template NAME] <dir>
  shotgraph save-template <graph.json> <name> [--title T] [--description D] [--replace]
  shotgraph batch <graph.json> --inputs ROWS.csv --out-dir DIR [--provider NAME] [--concurrency N]
                               [--budget USD] [--allow-unpriced] [--report FILE] [--allow-outside]
  shotgraph validate <graph.json> [--allow-outside]
  shotgraph estimate <graph.json> [--provider NAME] [--json] [--set NAME=VALUE]...
  shotgraph export <graph.json> [--otio FILE] [--storyboard FILE.png|FILE.pdf] [--node FINAL_CUT]
                                [--provider NAME] [--allow-outside]
  shotgraph approve <graph.json> <node> [--take N]
  shotgraph web [--port N] [--root DIR]

Without an API key in the environment, shots render with the offline animatic provider.

render exits 0 when the film is written, 1 when the graph is invalid or the run refused, 3 when a
shot failed, 4 when another run holds the project (--no-wait), 5 when it stopped at an approval gate
(not an error: it names the gate and the approve command), 130 when cancelled.`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  render: async () => (await import('./cli/render')).renderCommand,
  batch: async () => (await import('./cli/batch')).batchCommand,
  estimate: async () => (await import('./cli/estimate')).estimateCommand,
  inputs: async () => (await import('./cli/inputs')).inputsCommand,
  templates: async () => (await import('./cli/templates')).templatesCommand,
  new: async () => (await import('./cli/templates')).newCommand,
  'save-template': async () => (await import('./cli/templates')).saveTemplateCommand,
  export: async () => (await import('./cli/export')).exportCommand,
  validate: async () => (await import('./cli/validate')).validateCommand,
  web: async () => (await import('./cli/web')).webCommand,
  approve: async () => (await import('./cli/approve')).approveCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    say(USAGE);
    return command ? 0 : 2;
  }
  const load = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!load) {
    warn(`shotgraph: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (
      await load()
    )(rest);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      warn(`shotgraph ${command}: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    warn(`shotgraph: ${(e as Error)?.message ?? String(e)}`);
    process.exitCode = 1;
  },
);
