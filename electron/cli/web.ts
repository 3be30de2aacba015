// `shotgraph web`: the editor in a browser, served on 127.0.0.1 behind a random token.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { say } from './terminal';

export async function webCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, root: { type: 'string' } },
  });
  const { startWebServer } = await import('../web');
  const root = path.resolve(values.root ?? process.cwd());
  const server = await startWebServer({ root, ...(values.port ? { port: Number(values.port) } : {}) });
  say(`Shotgraph editor (web mode) for ${root}\nOpen: ${server.url}\nPress Ctrl+C to stop.`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await server.close();
  return 0;
}
