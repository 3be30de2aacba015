// The shape every `test/bench/*.bench.ts` module exports as default; kept apart from run.ts so a
// bench can import it without starting the runner.

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** The figure this one is compared with (same unit), e.g. a raw ffmpeg run in the same session. */
  baseline?: number;
  /** value / baseline, or another ratio the bench defines in `note`. */
  ratio?: number;
  note?: string;
}

export interface Bench {
  name: string;
  run(): Promise<BenchRow[]>;
}

/** Median of `n` runs of `fn` in milliseconds; runs are sequential so they never compete for the CPU. */
export async function medianMs(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await timeMs(fn));
  return median(times);
}

export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
