// `shotgraph` — the headless command: render, validate and serve the editor in a browser.
import { estimateCommand } from './cli/estimate';
import { exportCommand } from './cli/export';
import { renderCommand } from './cli/render';
import { validateCommand } from './cli/validate';
import { webCommand } from './cli/web';
import { say, warn } from './cli/terminal';

const USAGE = `Usage:
  shotgraph render <graph.json> [--out FILE] [--provider NAME] [--concurrency N] [--report FILE]
                                [--until NODE | --only NODE] [--new-take NODE] [--budget USD]
                                [--allow-unpriced] [--no-wait] [--allow-outside]
  shotgraph validate <graph.json> [--allow-outside]
  shotgraph estimate <graph.json> [--provider NAME] [--json]
  shotgraph export <graph.json> [--otio FILE] [--storyboard FILE.png|FILE.pdf] [--node FINAL_CUT]
                                [--provider NAME] [--allow-outside]
  shotgraph web [--port N] [--root DIR]

Without an API key in the environment, shots render with the offline animatic provider.`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  render: renderCommand,
  estimate: estimateCommand,
  export: exportCommand,
  validate: validateCommand,
  web: webCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    say(USAGE);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    warn(`shotgraph: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
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
