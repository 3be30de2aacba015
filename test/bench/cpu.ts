// CPU time of this process and of the children it has waited for (ffmpeg runs), so a bench can report
// CPU-seconds besides wall time: on a loaded machine wall time grows with the load, CPU time much less.
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
