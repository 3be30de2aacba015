// Where ffmpeg and ffprobe come from, in one order for both: the environment variable, then the
// binary package installed beside Shotgraph (ffmpeg-static, @ffprobe-installer/ffprobe), then PATH.
// An environment variable that names no usable file is an error, not a hint: silently running a
// different binary than the one the user chose would hide their mistake.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type MediaTool = 'ffmpeg' | 'ffprobe';

const ENV_VAR: Record<MediaTool, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const PACKAGE: Record<MediaTool, string> = { ffmpeg: 'ffmpeg-static', ffprobe: '@ffprobe-installer/ffprobe' };
/** Required at run time by the packaged app, so electron-builder.yml must unpack them. */
export const BINARY_PACKAGES: readonly string[] = Object.values(PACKAGE);

export class FfmpegNotFoundError extends Error {
  constructor(
    public readonly tool: MediaTool,
    detail?: string,
  ) {
    super(
      detail ??
        `${tool} was not found: ${ENV_VAR[tool]} is not set, the ${PACKAGE[tool]} package has no binary for ` +
          `this platform, and there is no "${tool}" on PATH. Set ${ENV_VAR[tool]} to its full path, or install ` +
          `ffmpeg (Debian/Ubuntu: "sudo apt-get install ffmpeg"; macOS: "brew install ffmpeg"; ` +
          `Windows: "winget install ffmpeg").`,
    );
    this.name = 'FfmpegNotFoundError';
  }
}

export interface ToolLookup {
  env?: NodeJS.ProcessEnv;
  /** A file whose node_modules are searched for the binary package (default: this module). */
  from?: string;
  platform?: NodeJS.Platform;
}

/** FFMPEG_PATH → ffmpeg-static → `ffmpeg` on PATH; likewise FFPROBE_PATH → @ffprobe-installer → PATH. */
export function findTool(tool: MediaTool, lookup: ToolLookup = {}): string {
  const env = lookup.env ?? process.env;
  const platform = lookup.platform ?? process.platform;
  const chosen = env[ENV_VAR[tool]];
  if (chosen) {
    if (runnable(chosen, platform)) return chosen;
    throw new FfmpegNotFoundError(
      tool,
      `${ENV_VAR[tool]} is set to "${chosen}", which is not an executable file. Point it at the ${tool} ` +
        `binary, or unset it to use the ${PACKAGE[tool]} package or "${tool}" on PATH.`,
    );
  }
  const found =
    fromPackage(tool, lookup.from ?? fileURLToPath(import.meta.url), platform) ?? onPath(tool, env, platform);
  if (!found) throw new FfmpegNotFoundError(tool);
  return found;
}

/** The package's binary, or undefined where the optional package or its download is missing. */
function fromPackage(tool: MediaTool, from: string, platform: NodeJS.Platform): string | undefined {
  let reported: string | null | undefined;
  try {
    const exported = createRequire(from)(PACKAGE[tool]) as unknown;
    // ffmpeg-static exports the path (null on an unsupported platform); @ffprobe-installer { path }.
    reported =
      typeof exported === 'string' || exported === null
        ? exported
        : (exported as { path?: string } | undefined)?.path;
  } catch {
    return undefined; // not installed, or it threw for an unsupported platform
  }
  if (!reported) return undefined;
  const file = unpacked(reported);
  return runnable(file, platform) ? file : undefined;
}

/**
 * Inside a packaged app the package resolves to a path in app.asar, which cannot be executed;
 * electron-builder's asarUnpack puts the real file at the same place under app.asar.unpacked.
 */
export function unpacked(file: string): string {
  return file.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}

function onPath(tool: MediaTool, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const delimiter = platform === 'win32' ? ';' : ':';
  const name = platform === 'win32' ? `${tool}.exe` : tool;
  // Windows spells it Path; Node's process.env ignores case there, a plain object does not.
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter);
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (runnable(candidate, platform)) return candidate;
  }
  return undefined;
}

function runnable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
