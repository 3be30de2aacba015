// The continuity figures measured during a run wait here for their turn: one ffmpeg at a time, at a
// lower priority than the run, each run taking every first frame that has arrived meanwhile (up to a
// batch). Shots of a round finish together, so a round's figures cost one process start, not ten.
// Once every shot has started, nothing waits for a gateway slot: the figures are measured at the
// run's own priority from then on, two at a time (a nicer or longer ffmpeg still running when the
// last clip arrives would hold the run's end); once no shot is left to make, what still waits is
// split over more lanes (one per core; more than four figures get lanes of their own beside any
// measure still running).
import { measureFirstFrames, type FirstFrameFigures, type FirstFrameMeasure } from '../media/continuity';

/** Inputs per ffmpeg run: two per seam, so at most 16 files open at once. */
const BATCH = 8;
/**
 * Figures per run once the last shots are in flight: their clips arrive one by one and the run ends
 * with the last figure, so a small batch (never long busy when the last clip comes) beats fewer starts.
 */
const LAST_ROUND_BATCH = 2;

interface Waiting {
  item: FirstFrameMeasure;
  resolve: (f: FirstFrameFigures) => void;
  reject: (e: unknown) => void;
}

export class FirstFrameQueue {
  private waiting: Waiting[] = [];
  private workers = 0;
  /** Workers inside an ffmpeg run; the others share out what waits. */
  private measuring = 0;
  private lanes = 1;
  private background = true;

  constructor(
    private readonly signal?: AbortSignal,
    private readonly measure: typeof measureFirstFrames = measureFirstFrames,
  ) {}

  add(item: FirstFrameMeasure): Promise<FirstFrameFigures> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.start();
    });
  }

  /** No shot waits for a gateway any more: measure at the run's priority, on up to `lanes` ffmpegs. */
  hurry(lanes: number): void {
    this.lanes = Math.max(this.lanes, lanes);
    this.background = false;
    this.start();
  }

  /**
   * Nothing but these figures is left to wait for: what waits gets `lanes` of its own beside the
   * measures still running, split evenly, instead of one lane taking it all (docs/architecture.md
   * §5.2). Only for more than two pairs: an ffmpeg start costs about two figures' work, so a few
   * figures are measured sooner by one process than split over more processes than cores.
   */
  hurryBeside(lanes: number): void {
    this.hurry(this.waiting.length > 2 * LAST_ROUND_BATCH ? this.measuring + lanes : lanes);
  }

  private start(): void {
    while (this.workers < Math.min(this.lanes, this.waiting.length)) {
      this.workers++;
      // After the current turn of the event loop: a finished shot's dependants start first.
      setImmediate(() => void this.work());
    }
  }

  private async work(): Promise<void> {
    while (this.waiting.length) {
      // Below the run's priority while it keeps up; a machine busy with other work would starve it
      // there, and the run would end late by the whole backlog: past one batch it runs at ours.
      const backlog = this.waiting.length > BATCH;
      const background = this.background && !backlog;
      const share = Math.ceil(this.waiting.length / Math.max(1, this.workers - this.measuring));
      // A backlog drains in full batches; clips that trickle in during the last round go in pairs.
      const cap = this.background || this.lanes > 1 || backlog ? BATCH : LAST_ROUND_BATCH;
      const batch = this.waiting.splice(0, Math.min(cap, share));
      const opts = { background, ...(this.signal ? { signal: this.signal } : {}) };
      this.measuring++;
      try {
        const figures = await this.measure(
          batch.map((w) => w.item),
          opts,
        );
        batch.forEach((w, i) => w.resolve(figures[i]!));
      } catch (e) {
        if (batch.length === 1 || this.signal?.aborted) {
          for (const w of batch) w.reject(e);
          continue;
        }
        // One unreadable clip must not cost the others their figures: each is measured alone.
        for (const w of batch) await this.measure([w.item], opts).then(([f]) => w.resolve(f!), w.reject);
      } finally {
        this.measuring--;
      }
    }
    this.workers--;
  }
}
