// CPU time of this process and of the children it has waited for (ffmpeg runs), so a bench can report
// CPU-seconds besides wall time: on a loaded machine wall time grows with the load, CPU time much less.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux reports /proc times in USER_HZ, which is 100 on every mainstream kernel. */
const USER_HZ = 100;

/** Seconds of user + system CPU of the children this process has reaped; undefined off Linux. */
export function childrenCpuSec(pid: number | 'self' = 'self'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [cutime, cstime] = [Number(rest[13]), Number(rest[14])];
    return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds of user + system CPU of this process itself. */
export function ownCpuSec(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export interface Measured {
  wallMs: number;
  /** This process and its reaped children; undefined where children cannot be measured. */
  cpuSec?: number;
}

/** Wall time and CPU time (own + children) of `fn`. */
export async function measure(fn: () => Promise<unknown>): Promise<Measured> {
  const [own0, kids0] = [ownCpuSec(), childrenCpuSec()];
  const start = performance.now();
  await fn();
  const wallMs = performance.now() - start;
  const [own1, kids1] = [ownCpuSec(), childrenCpuSec()];
  return {
    wallMs,
    ...(kids0 !== undefined && kids1 !== undefined ? { cpuSec: own1 - own0 + kids1 - kids0 } : {}),
  };
}

export interface ChildRun extends Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set of the child process itself (VmHWM), in MB; undefined off Linux. */
  peakRssMb?: number;
  /** CPU-seconds of the child process itself (without its own children), from its last sample. */
  ownCpuSec?: number;
}

/**
 * Runs a command as a child and measures it: wall time, CPU-seconds of the child and everything it
 * ran (its reaped descendants), and the child's peak RSS, sampled from /proc while it runs (VmHWM is
 * a high-water mark, so a sample only misses growth in the last `sampleMs`).
 */
export function runMeasured(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; sampleMs?: number } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const kids0 = childrenCpuSec();
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let peakKb: number | undefined;
    let ownTicks: number | undefined;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
        if (hwm) peakKb = Math.max(peakKb ?? 0, Number(hwm));
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ownTicks = Number(rest[11]) + Number(rest[12]);
      } catch {
        // Not Linux, or the child has just exited.
      }
    };
    const timer = setInterval(sample, opts.sampleMs ?? 50);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('exit', () => sample());
    child.on('close', (code) => {
      clearInterval(timer);
      const wallMs = performance.now() - start;
      const kids1 = childrenCpuSec();
      resolve({
        code,
        stdout,
        stderr,
        wallMs,
        ...(kids0 !== undefined && kids1 !== undefined ? { cpuSec: kids1 - kids0 } : {}),
        ...(peakKb !== undefined ? { peakRssMb: peakKb / 1024 } : {}),
        ...(ownTicks !== undefined ? { ownCpuSec: ownTicks / USER_HZ } : {}),
      });
    });
  });
}
