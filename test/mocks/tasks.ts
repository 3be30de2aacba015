// The task life every third-party gateway mock shares: queued → running → succeeded | failed, with
// hold() for deterministic tests, one real render at a time (the animatic renderer, cached by what
// was asked), results published on loopback. Each protocol only translates its wire format to a
// RenderSpec and a task back to its own JSON.
import { createHash } from 'node:crypto';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeMedia } from '../../electron/media/probe';
import type { MediaRef, ShotRequest } from '../../electron/providers/types';
import type { Ratio, Resolution } from '../../shared/seedance/limits';
import type { MediaStore, ProtocolRequest } from './gateway';
import { cachedMockRender } from './render-cache';

export type Phase = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type HoldablePhase = 'queued' | 'running';

/** What the mock renders for a task. Media are URLs or data URIs as the client sent them. */
export interface RenderSpec {
  prompt: string;
  firstFrame?: string;
  lastFrame?: string;
  referenceImages: string[];
  referenceAudios: string[];
  duration: number;
  ratio: Ratio;
  resolution: Resolution;
  generateAudio: boolean;
  seed: number;
}

export interface Rendered {
  video: string;
  width: number;
  height: number;
  duration: number;
}

export interface EngineTask<B = Record<string, unknown>> {
  id: string;
  model: string;
  body: B;
  phase: Phase;
  createdAt: number;
  updatedAt: number;
  /** Set by a `fail_task` fault (or a protocol rule): the task ends failed with this message. */
  failMessage?: string;
  timers: NodeJS.Timeout[];
  render?: Promise<Rendered>;
  media?: Rendered & { videoUrl: string };
}

export interface TaskEngineOptions {
  queuedMs?: number;
  runningMs?: number;
  hold?: HoldablePhase[];
}

export interface TaskEngine<B> {
  create(init: { id: string; model: string; body: B; spec: RenderSpec; failMessage?: string }): EngineTask<B>;
  get(id: string): EngineTask<B> | undefined;
  /** Cancels a queued task; false when it already started or finished. */
  cancel(id: string): boolean;
  hold(phases: string[]): void;
  all(): EngineTask<B>[];
  readonly creates: number;
  close(): Promise<void>;
}

// Renders are shared by every mock in the process (a suite starts many): the same ask is rendered
// once, one render at a time, since the test machines have two cores shared with everything else.
const renders = new Map<string, Promise<Rendered>>();
let renderChain: Promise<unknown> = Promise.resolve();
let renderDir: string | undefined;

function sharedDir(): string {
  if (!renderDir) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-mock-renders-'));
    renderDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return renderDir;
}

export function createTaskEngine<B>(o: TaskEngineOptions, media: MediaStore): TaskEngine<B> {
  const queuedMs = o.queuedMs ?? 200;
  const runningMs = o.runningMs ?? 400;
  const tasks = new Map<string, EngineTask<B>>();
  const held = new Set<HoldablePhase>(o.hold ?? []);
  const due = new Map<EngineTask<B>, HoldablePhase>();
  let creates = 0;
  let closed = false;

  const setPhase = (t: EngineTask<B>, phase: Phase) => {
    t.phase = phase;
    t.updatedAt = Date.now();
  };

  // A held phase is left only on release, not when its time is up: a test can act "while shot 2 is
  // running" without racing a timer.
  function leave(t: EngineTask<B>, from: HoldablePhase): void {
    if (t.phase !== from || closed) return;
    if (held.has(from)) {
      due.set(t, from);
      return;
    }
    due.delete(t);
    if (from === 'queued') {
      setPhase(t, 'running');
      t.timers.push(setTimeout(() => leave(t, 'running'), runningMs));
    } else void finish(t);
  }

  async function finish(t: EngineTask<B>): Promise<void> {
    if (t.phase !== 'running' || closed) return;
    if (t.failMessage !== undefined) return setPhase(t, 'failed');
    try {
      const r = await t.render!;
      if (closed) return;
      t.media = { ...r, videoUrl: media.publish(t.id, 'video.mp4', r.video, 'video/mp4') };
      setPhase(t, 'succeeded');
    } catch (e) {
      if (closed) return;
      t.failMessage = `internal error while rendering (${(e as Error).message.split('\n')[0]})`;
      setPhase(t, 'failed');
    }
  }

  function render(spec: RenderSpec, model: string): Promise<Rendered> {
    const key = createHash('sha256').update(JSON.stringify(spec)).digest('hex');
    const hit = renders.get(key);
    if (hit) return hit;
    const job = renderChain.then(() => renderSpec(spec, model, key));
    renderChain = job.catch(() => undefined);
    renders.set(key, job);
    job.catch(() => renders.delete(key));
    return job;
  }

  async function renderSpec(spec: RenderSpec, model: string, key: string): Promise<Rendered> {
    const dir = path.join(sharedDir(), key.slice(0, 16));
    await fs.mkdir(dir, { recursive: true });
    let n = 0;
    const local = async (src: string | undefined): Promise<MediaRef | undefined> =>
      src ? materialise(src, dir, `input-${n++}`) : undefined;
    const firstFrame = await local(spec.firstFrame);
    const lastFrame = await local(spec.lastFrame);
    const refs = async (list: string[]) =>
      (await Promise.all(list.map((s) => local(s)))).filter((r): r is MediaRef => !!r);
    const req: ShotRequest = {
      nodeId: key,
      key,
      prompt: spec.prompt,
      ...(firstFrame ? { firstFrame } : {}),
      ...(lastFrame ? { lastFrame } : {}),
      referenceImages: await refs(spec.referenceImages),
      referenceVideos: [],
      referenceAudios: await refs(spec.referenceAudios),
      model,
      duration: spec.duration,
      ratio: spec.ratio,
      resolution: spec.resolution,
      generateAudio: spec.generateAudio,
      seed: spec.seed,
      watermark: false,
    };
    const clip = await cachedMockRender(req);
    const info = await probeMedia(clip.video);
    return {
      video: clip.video,
      width: info.video?.width ?? 0,
      height: info.video?.height ?? 0,
      duration: spec.duration,
    };
  }

  return {
    create({ id, model, body, spec, failMessage }) {
      const now = Date.now();
      const t: EngineTask<B> = {
        id,
        model,
        body,
        phase: 'queued',
        createdAt: now,
        updatedAt: now,
        ...(failMessage !== undefined ? { failMessage } : {}),
        timers: [],
      };
      tasks.set(id, t);
      creates++;
      if (failMessage === undefined) {
        t.render = render(spec, model);
        t.render.catch(() => undefined); // reported through the task, not here
      }
      t.timers.push(setTimeout(() => leave(t, 'queued'), queuedMs));
      return t;
    },
    get: (id) => tasks.get(id),
    cancel(id) {
      const t = tasks.get(id);
      if (!t || t.phase !== 'queued') return false;
      for (const timer of t.timers) clearTimeout(timer);
      due.delete(t);
      setPhase(t, 'cancelled');
      return true;
    },
    hold(phases) {
      held.clear();
      for (const p of phases) if (p === 'queued' || p === 'running') held.add(p);
      for (const [t, from] of [...due]) leave(t, from);
    },
    all: () => [...tasks.values()],
    get creates() {
      return creates;
    },
    async close() {
      closed = true;
      for (const t of tasks.values()) for (const timer of t.timers) clearTimeout(timer);
    },
  };
}

/**
 * A sent medium as a file the renderer can read: data URIs are decoded; URLs on loopback (a test's
 * stand-in for the user's storage bucket) are fetched; anything else is left alone, because the
 * mock never leaves 127.0.0.1.
 */
async function materialise(src: string, dir: string, name: string): Promise<MediaRef | undefined> {
  const data = /^data:([a-z]+)\/([a-z0-9.+-]+);base64,(.*)$/s.exec(src);
  if (data) {
    const file = path.join(dir, `${name}.${data[2] === 'jpeg' ? 'jpg' : data[2]}`);
    await fs.writeFile(file, Buffer.from(data[3] ?? '', 'base64'));
    return { path: file };
  }
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return undefined;
  }
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) return undefined;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`could not fetch ${src}: HTTP ${res.status}`);
  const ext = (res.headers.get('content-type') ?? '').split('/')[1]?.split(';')[0] ?? 'bin';
  const file = path.join(dir, `${name}.${ext === 'jpeg' ? 'jpg' : ext === 'mpeg' ? 'mp3' : ext}`);
  await fs.writeFile(file, Buffer.from(await res.arrayBuffer()));
  return { path: file };
}

/** Whether a string is a URL a gateway accepts for media (http(s), or the gateway's asset://). */
export function isMediaUrl(v: unknown, asset = false): v is string {
  return typeof v === 'string' && (/^https?:\/\/\S+$/i.test(v) || (asset && /^asset:\/\/\S+$/.test(v)));
}

/** A protocol's 400: the message says which field and why. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly field = '',
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Body field helpers every protocol validates with. */
export const check = {
  object(v: unknown, field = 'body'): Record<string, unknown> {
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new BadRequest(`${field} must be a JSON object`, field);
    return v as Record<string, unknown>;
  },
  onlyKnown(o: Record<string, unknown>, known: readonly string[], where = ''): void {
    for (const k of Object.keys(o))
      if (!known.includes(k)) throw new BadRequest(`unknown field ${where}${k}`, `${where}${k}`);
  },
  int(
    o: Record<string, unknown>,
    k: string,
    min: number,
    max: number,
    also: number[] = [],
    where = '',
  ): void {
    const v = o[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || ((v < min || v > max) && !also.includes(v)))
      throw new BadRequest(
        `${where}${k} must be an integer from ${min} to ${max}${also.length ? ` or ${also.join(', ')}` : ''}`,
        `${where}${k}`,
      );
  },
  oneOf(o: Record<string, unknown>, k: string, allowed: readonly (string | number)[], where = ''): void {
    const v = o[k];
    if (v !== undefined && !allowed.includes(v as string))
      throw new BadRequest(
        `${where}${k} must be one of ${allowed.join(', ')}; got ${JSON.stringify(v)}`,
        `${where}${k}`,
      );
  },
  bool(o: Record<string, unknown>, k: string, where = ''): void {
    if (o[k] !== undefined && typeof o[k] !== 'boolean')
      throw new BadRequest(`${where}${k} must be a boolean`, `${where}${k}`);
  },
  urls(
    o: Record<string, unknown>,
    k: string,
    max: number,
    ok: (v: unknown) => boolean,
    where = '',
  ): string[] {
    const v = o[k];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new BadRequest(`${where}${k} must be an array`, `${where}${k}`);
    if (v.length > max)
      throw new BadRequest(`${where}${k} takes at most ${max} entries; got ${v.length}`, `${where}${k}`);
    v.forEach((u, i) => {
      if (!ok(u)) throw new BadRequest(`${where}${k}[${i}] must be a URL`, `${where}${k}[${i}]`);
    });
    return v as string[];
  },
};

/** Parses a JSON request body, or throws the protocol's 400. */
export function jsonBody(req: ProtocolRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new BadRequest('the request body is not valid JSON');
  }
}

/** The task id at the end of a path: /v2/jobs/<id>, /tasks/<id>/cancel. */
export function idFrom(pathname: string, segmentFromEnd = 0): string {
  const parts = pathname.split('/');
  return decodeURIComponent(parts[parts.length - 1 - segmentFromEnd] ?? '');
}
