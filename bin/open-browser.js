// Opens a URL in the system browser, best effort: where no opener exists (a server, a container)
// the printed URL is enough, so every failure is silent.
import { spawn } from 'node:child_process';

export function openBrowser(url) {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // `start` is built into cmd; its first quoted argument is a window title, hence the "".
          ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, {
      stdio: 'ignore',
      detached: true,
      windowsHide: true,
      windowsVerbatimArguments: process.platform === 'win32',
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no opener: the URL is printed already
  }
}
