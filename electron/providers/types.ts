// One interface for every Seedance gateway and the offline animatic (docs/architecture.md §6). The executor
// only ever sees this; each provider maps a ShotRequest to its wire format and back.
import type { Ratio, Resolution } from '../../shared/seedance/limits';

/** A media input: a local file (absolute path) or a remote URL. */
export interface MediaRef {
  path?: string;
  url?: string;
}

export interface ShotRequest {
  nodeId: string;
  /** Content key of this shot (kind, params, provider, model, take, upstream content). */
  key: string;
  prompt: string;
  firstFrame?: MediaRef;
  lastFrame?: MediaRef;
  referenceImages: MediaRef[];
  referenceVideos: MediaRef[];
  referenceAudios: MediaRef[];
  model: string;
  duration: number | 'auto';
  ratio: Ratio;
  resolution: Resolution;
  generateAudio: boolean;
  seed: number;
  watermark: boolean;
  /**
   * What the offline animatic's slate shows. Presentation only: no gateway's wire format carries it,
   * and it is deliberately outside the shot's key (`key` above), so renaming a shot, moving it to
   * another scene or re-ordering the final cut never re-renders or re-pays for a clip — the README
   * promises a re-ordered cut regenerates nothing, and a remote gateway would charge for it. The
   * price is that an animatic clip keeps the number it was rendered with until it is rendered again.
   */
  slate?: ShotSlate;
}

export interface ShotSlate {
  /** The storyboard scene (the shot node's `scene`). */
  scene?: string;
  /** 1-based position in the first final cut that uses the shot. */
  shot?: number;
  /** The shot node's label. */
  label?: string;
}

/** Durable record of a paid submission (see engine/journal.ts). */
export interface JournalEntry {
  key: string;
  nodeId: string;
  provider: string;
  state: 'intent' | 'submitted' | 'succeeded' | 'failed' | 'unknown';
  taskId?: string;
  at: number;
  error?: string;
}

/** The journal, narrowed to one shot. Remote providers must call these around a create call. */
export interface ShotJournal {
  /** Latest entry for this shot key and provider, if a submission was ever attempted. */
  current(): JournalEntry | undefined;
  /** Before the create call: fsynced, so a crash leaves evidence that a task may exist. */
  intent(): Promise<void>;
  /** After the create call returned a task id. */
  submitted(taskId: string): Promise<void>;
  /** The create call's outcome is unknown (timeout or reset after the request was sent). */
  unknown(error: string): Promise<void>;
  finished(state: 'succeeded' | 'failed', error?: string): Promise<void>;
}

export interface ShotContext {
  signal: AbortSignal;
  /** Empty folder for this shot's outputs. Write files atomically (temp + rename). */
  outDir: string;
  progress(fraction: number, message?: string): void;
  /** Called once the gateway has accepted the task, so the UI can show the task id. */
  submitted?(taskId: string): void;
  /**
   * Called once the gateway has finished the task and will do nothing more for it: what is left
   * (download, verification, last frame) is local, so the shot's place in the gateway's concurrency
   * may go to the next shot.
   */
  gatewayDone?(): void;
  journal: ShotJournal;
  /**
   * A paid answer kept in the project until its files are cached (keyframes: Seedream answers at
   * once and keeps no record to ask again, so the answer itself is what must not be lost).
   */
  receipt?: Receipt;
}

export interface Receipt {
  load(): Promise<{ at: number; body: unknown } | undefined>;
  /** Written atomically and fsynced before anything else happens. */
  save(body: unknown): Promise<void>;
  drop(): Promise<void>;
  /**
   * Frames of a set already received and paid for, kept until the whole set is cached: frame number →
   * file. A set answered in part keeps what came, so a rerun asks only for the rest.
   */
  keptFrames(): Promise<Map<number, string>>;
  /** Moves a verified frame into the kept ones (atomic rename). */
  keepFrame(frame: number, file: string): Promise<void>;
  /** Forgets the kept frames (once the set is cached, or the keyframe's request changed). */
  dropFrames(): Promise<void>;
}

export interface ShotResult {
  /** Absolute paths inside ctx.outDir. */
  video: string;
  lastFrame: string;
  durationSec: number;
  taskId?: string;
  tokens?: number;
  costUsd?: number;
  /** True when an earlier run's task was polled to completion instead of submitting anew. */
  resumed?: boolean;
}

export interface Provider {
  readonly name: string;
  /** Most shots this provider runs at once (per-provider limit; `--concurrency` overrides). */
  readonly concurrency: number;
  generate(req: ShotRequest, ctx: ShotContext): Promise<ShotResult>;
  /**
   * The shot will run when a place in this provider's concurrency comes free: get its request ready
   * meanwhile (uploads to the media host, the body), for `generate` to take when it is given this
   * same request. Nothing paid, nothing recorded; a failure here is met again, and told, by `generate`.
   */
  standby?(req: ShotRequest, signal: AbortSignal): void;
  /** Keyframe stills (Seedream on Ark, the animatic offline); absent where a gateway makes none. */
  stills?(req: StillRequest, ctx: ShotContext): Promise<StillResult>;
}

/** A keyframe: one still, or a consistent set of up to 15 (docs/gateways.md §7). */
export interface StillRequest {
  nodeId: string;
  /** Content key of the keyframe. */
  key: string;
  prompt: string;
  referenceImages: MediaRef[];
  model: string;
  /** A preset (1K, 2K, 4K) or WIDTHxHEIGHT. */
  size: string;
  /** Frames wanted (1 = a single image; more = a sequential set). */
  count: number;
  responseFormat: 'url' | 'b64_json';
}

export interface StillResult {
  /** Absolute paths inside ctx.outDir, frame 1 first; each verified as a whole image. */
  images: string[];
  /** Images billed (a gateway bills only the ones it made). */
  billedImages: number;
  costUsd?: number;
  tokens?: number;
  /** True when a saved answer of an earlier run was used instead of asking (and paying) again. */
  resumed?: boolean;
}

/** A user-facing error from a provider; `field` names the shot param or port it is about. */
export class ProviderError extends Error {
  constructor(
    message: string,
    public readonly opts: {
      field?: string;
      retryable?: boolean;
      taskId?: string;
      requestId?: string;
      /** What the failed work was billed all the same (a set answered in part), for the run's spend. */
      costUsd?: number;
    } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
