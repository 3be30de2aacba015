// Measures the continuity report (shared/continuity.ts) on the clips a run has: every chained seam and
// every chain whose shots all have a clip. One ffmpeg at a time (on machines that may be busy with
// other work), started as soon as a figure's clips exist (ContinuityAhead: the gateway's waits leave
// the machine idle) and below the run's priority, and each figure is kept in
// `.shotgraph/continuity.json` by the files' identity (path, size, mtime of the immutable cache
// entries), so an unchanged re-render measures nothing again.
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { NodeOutput } from '../../shared/events';
import {
  chainLinks,
  chains,
  judgeChain,
  judgeSeam,
  type ContinuityReport,
  type SeamFigure,
} from '../../shared/continuity';
import type { Graph } from '../../shared/graph/schema';
import {
  prepareFirstFrame,
  seamSsim,
  sharpness,
  type FirstFrameFigures,
  type PreparedFirstFrame,
} from '../media/continuity';
import { FirstFrameQueue } from './continuity-queue';
import { writeFileAtomic } from './atomic';

/** Between two figures' ffmpeg starts in the last round: about half of one start's time here. */
const STAGGER_MS = 50;

/** Figures by what was measured: `sharp|<file id>` and `ssim|<last frame id>|<clip id>`. */
export type ContinuityMemo = Map<string, number>;

const MEMO_FILE = 'continuity.json';
/** A memo file is a cache: anything larger or odder than this is ignored, never trusted. */
const MEMO_MAX_BYTES = 4 * 1024 * 1024;

async function fileId(file: string): Promise<string> {
  const st = await fs.stat(file);
  return `${file}|${st.size}|${Math.round(st.mtimeMs)}`;
}

/**
 * The figures of a run measured while its shots are still being made: each node that finishes queues
 * the figures it completes (its clip's sharpness, its seams), measured in the order the clips arrived
 * (FirstFrameQueue: one ffmpeg at a time, below the run's priority), so the report after the last
 * shot finds them ready. A figure that fails here is measured again by the report, which words the
 * error.
 */
export class ContinuityAhead {
  /** By `sharp|<clip>` and `ssim|<last frame>|<clip>`: the cache's files never change in a run. */
  private readonly figures = new Map<string, Promise<number>>();
  private readonly queue: FirstFrameQueue;
  private readonly links: { from: string; to: string }[];
  private readonly chained: Set<string>;
  /** Measures started while a clip was on its way, by shot, with the last frame they compare. */
  private readonly prepared = new Map<string, { last?: string; measure: PreparedFirstFrame }>();
  /** Every shot has started: a figure measured after its clip lands is on the run's tail. */
  private lastRound = false;
  /** Chained shots started whose create is not yet answered. */
  private readonly submitting = new Set<string>();
  /** Chained shots at their gateway whose figures' ffmpeg has not started, in order of submission. */
  private readonly atGateway: string[] = [];
  private staggering = false;

  constructor(
    graph: Graph,
    private readonly outputs: ReadonlyMap<string, NodeOutput>,
    private readonly memo: ContinuityMemo,
    private readonly signal?: AbortSignal,
    private readonly prepareMeasure: typeof prepareFirstFrame = prepareFirstFrame,
  ) {
    this.links = chainLinks(graph);
    this.chained = new Set(this.links.flatMap((l) => [l.from, l.to]));
    this.queue = new FirstFrameQueue(signal);
  }

  /**
   * `nodeId` has its outputs: queue what they complete. A shot that starts on another's last frame
   * gets its seam and its own sharpness from one decode of its first frame.
   */
  nodeDone(nodeId: string): void {
    if (!this.chained.has(nodeId) || this.signal?.aborted) return;
    for (const { from, to } of this.links) {
      if (from !== nodeId && to !== nodeId) continue;
      const last = this.outputs.get(from)?.last_frame;
      const next = this.outputs.get(to)?.video;
      if (!last || !next) continue;
      const seam = `ssim|${last}|${next}`;
      if (this.figures.has(seam)) continue;
      const both = this.firstFrame(next, last, this.takePrepared(to, last));
      this.keep(
        seam,
        both.then((b) => b.ssim!),
      );
      if (!this.figures.has(`sharp|${next}`))
        this.keep(
          `sharp|${next}`,
          both.then((b) => b.sharpness),
        );
    }
    const file = this.outputs.get(nodeId)?.video;
    if (file && !this.figures.has(`sharp|${file}`))
      this.keep(
        `sharp|${file}`,
        this.firstFrame(file, undefined, this.takePrepared(nodeId, undefined)).then((b) => b.sharpness),
      );
  }

  /**
   * `nodeId`'s clip is on its way (the gateway is done with it). In the last round the run's end
   * waits on its figures, so their ffmpeg starts now, while the clip downloads.
   */
  clipComing(nodeId: string): void {
    this.leaveGateway(nodeId);
    if (this.lastRound && this.chained.has(nodeId)) this.prepare(nodeId);
  }

  /** A shot has its place at the gateway and is about to ask for its task. */
  shotStarted(nodeId: string): void {
    if (this.chained.has(nodeId)) this.submitting.add(nodeId);
  }

  /** `nodeId`'s task is at its gateway. */
  shotSubmitted(nodeId: string): void {
    if (!this.submitting.delete(nodeId)) return;
    this.atGateway.push(nodeId);
    this.prepareWhileWaiting();
  }

  /** `nodeId` is over, made or not. */
  shotSettled(nodeId: string): void {
    this.leaveGateway(nodeId);
    if (this.submitting.delete(nodeId)) this.prepareWhileWaiting();
  }

  private leaveGateway(nodeId: string): void {
    const i = this.atGateway.indexOf(nodeId);
    if (i >= 0) this.atGateway.splice(i, 1);
  }

  /**
   * Once every shot of the last round is at its gateway (no create left to answer), their figures'
   * ffmpegs start one after another while the gateways work (docs/architecture.md §5.2): a start
   * costs ~0.1 s of CPU and holds the event loop while it forks, so none lands on a create, nor on
   * the last clips landing together.
   */
  private prepareWhileWaiting(): void {
    if (!this.lastRound || this.submitting.size || this.staggering || this.signal?.aborted) return;
    const next = this.atGateway.shift();
    if (next === undefined) return;
    this.prepare(next);
    this.staggering = true;
    setTimeout(() => {
      this.staggering = false;
      this.prepareWhileWaiting();
    }, STAGGER_MS).unref();
  }

  /**
   * In the last round the run's end waits on the figures of the shots still being made, so their
   * ffmpegs start now and read each clip as it lands (prepareFirstFrame): no process start after
   * the last clip. At most one per shot in flight, so the gateways' concurrency bounds them.
   */
  private prepare(nodeId: string): void {
    if (this.prepared.has(nodeId) || this.outputs.has(nodeId) || this.signal?.aborted) return;
    const into = this.links.find((l) => l.to === nodeId);
    const last = into ? this.outputs.get(into.from)?.last_frame : undefined;
    if (into && !last) return;
    const measure = this.prepareMeasure(last, this.signal ? { signal: this.signal } : {});
    this.prepared.set(nodeId, { ...(last ? { last } : {}), measure });
  }

  /** The measure prepared for `nodeId`'s clip, if it compares the same last frame. */
  private takePrepared(nodeId: string, last: string | undefined): PreparedFirstFrame | undefined {
    const p = this.prepared.get(nodeId);
    this.prepared.delete(nodeId);
    if (p?.last === last) return p?.measure;
    p?.measure.cancel();
    return undefined;
  }

  /** A figure measured (or being measured) ahead, by its files' paths. */
  get(key: string): Promise<number> | undefined {
    return this.figures.get(key);
  }

  /** Every shot has started: nothing waits for a gateway slot any more, so measure at the run's priority. */
  shotsStarted(): void {
    this.lastRound = true;
    this.queue.hurry(1);
    this.prepareWhileWaiting();
  }

  /** No shot is left to make: the run waits only for these, so what is left may use every core. */
  shotsDone(): void {
    this.queue.hurryBeside(Math.max(1, availableParallelism()));
  }

  /** Waits for every queued measure, so none outlives the run. */
  async drain(): Promise<void> {
    // Clips that never came (a failed download, a cancelled run): their waiting ffmpegs stop.
    for (const p of this.prepared.values()) p.measure.cancel();
    this.prepared.clear();
    await Promise.allSettled(this.figures.values());
  }

  /** A failure stays in the figure for the report to see; it is never an unhandled rejection. */
  private keep(key: string, figure: Promise<number>): void {
    figure.catch(() => undefined);
    this.figures.set(key, figure);
  }

  /** The clip's first-frame figures (and the seam's, given a last frame): the memo's, else measured. */
  private async firstFrame(
    clip: string,
    lastFrame?: string,
    prepared?: PreparedFirstFrame,
  ): Promise<FirstFrameFigures> {
    // An empty memo (a new project) knows nothing: the measure is queued at once, in the same turn
    // as the shot that completed it, instead of after a look at the files.
    const known = this.memo.size
      ? {
          sharpness: await this.remembered('sharp', [clip]),
          ssim: lastFrame ? await this.remembered('ssim', [lastFrame, clip]) : undefined,
        }
      : { sharpness: undefined, ssim: undefined };
    if (known.sharpness !== undefined && (!lastFrame || known.ssim !== undefined)) {
      prepared?.cancel();
      return { sharpness: known.sharpness, ...(known.ssim !== undefined ? { ssim: known.ssim } : {}) };
    }
    const measured = await (prepared?.from(clip) ??
      this.queue.add({ clip, ...(lastFrame ? { lastFrame } : {}) }));
    return {
      sharpness: known.sharpness ?? round(measured.sharpness),
      ...(lastFrame ? { ssim: known.ssim ?? round(measured.ssim!) } : {}),
    };
  }

  private async remembered(kind: string, files: string[]): Promise<number | undefined> {
    const ids = await Promise.all(files.map(fileId));
    return this.memo.get(`${kind}|${ids.join('|')}`);
  }
}

export async function measureContinuity(
  graph: Graph,
  outputs: ReadonlyMap<string, NodeOutput>,
  signal?: AbortSignal,
  memo: ContinuityMemo = new Map(),
  ahead?: ContinuityAhead,
  /** Shots made by the offline animatic: their chains are measured, not judged (shared/continuity.ts). */
  standIn: (nodeId: string) => boolean = () => false,
): Promise<ContinuityReport> {
  const used = new Map<string, number>();
  // Look-ups run together; what must still be measured here runs one ffmpeg at a time, as ever.
  // After a failure nothing more is started: the report fails with it, as it did in series.
  let turn: Promise<unknown> = Promise.resolve();
  let failed: unknown;
  const inTurn = (measure: () => Promise<number>): Promise<number> => {
    const mine = turn.then(() => {
      if (failed !== undefined) throw failed;
      return measure();
    });
    turn = mine.catch((e: unknown) => (failed ??= e));
    return mine;
  };
  const remember = async (key: string, aheadKey: string, measure: () => Promise<number>): Promise<number> => {
    const value =
      used.get(key) ??
      memo.get(key) ??
      (await ahead?.get(aheadKey)?.catch(() => undefined)) ??
      round(await inTurn(measure));
    used.set(key, value);
    return value;
  };
  const clip = (id: string) => outputs.get(id)?.video;
  const sharpOf = async (id: string) => {
    const file = clip(id)!;
    return remember(`sharp|${await fileId(file)}`, `sharp|${file}`, () => sharpness(file, signal));
  };
  // Every figure at once, each looked up (or measured) on its own: most are ready ahead, so the
  // report costs the slowest look-up, not the sum of them (docs/architecture.md §5.2).
  const figures = Promise.all(
    chainLinks(graph).map(async ({ from, to }): Promise<SeamFigure | undefined> => {
      const last = outputs.get(from)?.last_frame;
      const next = clip(to);
      if (!last || !next) return undefined;
      const key = `ssim|${(await Promise.all([fileId(last), fileId(next)])).join('|')}`;
      const figure = await remember(key, `ssim|${last}|${next}`, () => seamSsim(last, next, signal));
      return judgeSeam(from, to, figure);
    }),
  );
  const sharpnesses = Promise.all(
    chains(graph)
      .filter((chain) => chain.every((id) => clip(id)))
      .map(async (chain) =>
        judgeChain(
          await Promise.all(chain.map(async (nodeId) => ({ nodeId, sharpness: await sharpOf(nodeId) }))),
          { standIn: chain.some(standIn) },
        ),
      ),
  );
  let both: [(SeamFigure | undefined)[], ReturnType<typeof judgeChain>[]];
  try {
    both = await Promise.all([figures, sharpnesses]);
  } finally {
    await turn; // no ffmpeg of this report outlives it
  }
  const seams = both[0].filter((s): s is SeamFigure => s !== undefined);
  const measured = both[1];
  // The memo keeps what this film uses now, so it never grows past one film's figures.
  memo.clear();
  for (const [k, v] of used) memo.set(k, v);
  const warnings = [...seams, ...measured].flatMap((x) => (x.warning ? [x.warning] : []));
  return { seams, chains: measured, warnings };
}

/** The project's kept figures; a missing, damaged or hostile file is an empty memo. */
export async function loadContinuityMemo(stateDir: string): Promise<ContinuityMemo> {
  try {
    const file = path.join(stateDir, MEMO_FILE);
    if ((await fs.stat(file)).size > MEMO_MAX_BYTES) return new Map();
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return new Map();
    return new Map(
      Object.entries(raw as Record<string, unknown>).filter(
        (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]),
      ),
    );
  } catch {
    return new Map();
  }
}

export async function saveContinuityMemo(stateDir: string, memo: ContinuityMemo): Promise<void> {
  await writeFileAtomic(path.join(stateDir, MEMO_FILE), JSON.stringify(Object.fromEntries(memo)) + '\n');
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
