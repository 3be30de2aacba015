// The mock Ark gateway in a process of its own (npm run mock), as a real gateway is: its request
// handling, renders and downloads then never share the engine's event loop or count as its CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');

export interface MockProcess {
  url: string;
  child: ChildProcess;
  /** Creates the gateway has taken so far (from its /__mock/stats). */
  creates(): Promise<number>;
  close(): void;
}

export function startMockProcess(
  key: string,
  timing: { queuedMs: number; runningMs: number },
): Promise<MockProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...[path.join(REPO, 'bin/mock.js'), 'ark', '--port', '0', '--api-key', key],
        ...['--queued-ms', String(timing.queuedMs), '--running-ms', String(timing.runningMs)],
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /on (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(out)?.[1];
      if (!url) return;
      const origin = new URL(url).origin;
      resolve({
        url,
        child,
        creates: async () => {
          const stats = (await (await fetch(`${origin}/__mock/stats`)).json()) as { creates: number };
          return stats.creates;
        },
        close: () => child.kill('SIGINT'),
      });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the mock gateway exited (${code}): ${out}`)));
  });
}
