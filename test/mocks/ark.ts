// The Ark / ModelArk Content Generation Tasks API as docs/gateways.md §1.3–1.12 describe it: create,
// get, list, delete; queued → running → succeeded|failed|expired, cancelled by DELETE while queued;
// strict body validation with `param` on 400s; `null` read as "not provided"; callbacks; real MP4s
// and last frames rendered by the animatic renderer and served on loopback.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { probeMedia } from '../../electron/media/probe';
import type { MediaRef, ShotRequest } from '../../electron/providers/types';
import { ARK_MODEL_IDS, ARK_REGION_MODELS, type ArkRegion } from '../../electron/providers/ark';
import {
  isModelName,
  MODEL_RESOLUTIONS,
  PIXEL_SIZES,
  RATIOS,
  RESOLUTIONS,
  type Ratio,
  type Resolution,
} from '../../shared/seedance/limits';
import type { FaultKind, Route } from './faults';
import type {
  MediaStore,
  MockGatewayOptions,
  MockProtocol,
  ProtocolRequest,
  ProtocolResponse,
} from './gateway';
import { cachedMockRender } from './render-cache';
import { createSeedreamImages, type SeedreamMockOptions } from './seedream';

const IMAGES_PATH = '/api/v3/images/generations';

export interface ArkMockOptions extends SeedreamMockOptions {
  /** When set, only this bearer token is accepted; otherwise any non-empty one. */
  apiKey?: string;
  /** Which region this plays (§1.2): only its dated model ids (or `ep-…`) exist; default intl. */
  region?: ArkRegion;
  /** Time spent queued, then running (the task also waits for its render to finish). */
  queuedMs?: number;
  runningMs?: number;
  /** What `duration: -1` becomes. */
  autoDurationSec?: number;
  /** Output resolutions per model id pattern (§3.2); the first matching entry wins. */
  modelResolutions?: [RegExp, Resolution[]][];
  /** Reject unknown top-level body fields (Ark validates body fields strictly). */
  strict?: boolean;
  /** Answer DELETE of a running/cancelled task with this status (undocumented: 400 or 409). */
  deleteConflictStatus?: 400 | 409;
  /** Emit `failure_reason` instead of `error` in list items (the Go SDK's spelling). */
  listErrorField?: 'error' | 'failure_reason';
  /** Omit `last_frame_url` even when asked (tests the client's local extraction). */
  omitLastFrame?: boolean;
  /** Statuses tasks stay in until released with `hold([])` (see MockGateway.hold). */
  hold?: HoldableStatus[];
  /** `execution_expires_after` reported for tasks that did not set one (Ark's default: 172800 s). */
  expiresAfterSec?: number;
}

export type HoldableStatus = 'queued' | 'running';

type Status = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired';

interface Rendered {
  video: string;
  frame: string;
  width: number;
  height: number;
  ratio: string;
  duration: number;
}

interface Task {
  id: string;
  model: string;
  body: Record<string, unknown>;
  status: Status;
  createdAt: number;
  updatedAt: number;
  outcome: 'succeed' | 'fail' | 'expire';
  failCode: string;
  deleted: boolean;
  timers: NodeJS.Timeout[];
  render?: Promise<Rendered>;
  media?: Rendered & { videoUrl: string; frameUrl?: string };
  renderError?: string;
}

const CONTENT_TYPES = ['text', 'image_url', 'video_url', 'audio_url', 'draft_task'] as const;
const KNOWN_FIELDS = new Set([
  'model',
  'content',
  'resolution',
  'ratio',
  'duration',
  'frames',
  'generate_audio',
  'watermark',
  'seed',
  'camera_fixed',
  'return_last_frame',
  'callback_url',
  'execution_expires_after',
  'service_tier',
  'priority',
  'safety_identifier',
  'tools',
  'draft',
  'output_format',
  'omni_reference_task_type',
]);
const LIST_STATUSES = ['queued', 'running', 'cancelled', 'succeeded', 'failed'];
const WEEK_MS = 7 * 24 * 3600 * 1000;

class BadRequest extends Error {
  constructor(
    message: string,
    readonly param: string,
    readonly code = 'InvalidParameter',
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * Output resolutions of a dated id, from the one table the client and the validation read
 * (shared/seedance/limits.ts MODEL_RESOLUTIONS, §3.2): its friendly name's list; mini takes fast's;
 * 2.5 and endpoint ids take 2.0's.
 */
function tableResolutions(model: string): readonly Resolution[] {
  const friendly = Object.entries(ARK_MODEL_IDS).find(
    ([, ids]) => ids.cn === model || ids.intl === model,
  )?.[0];
  if (friendly && isModelName(friendly)) return MODEL_RESOLUTIONS[friendly];
  return /fast|mini/.test(model) ? MODEL_RESOLUTIONS['seedance-2.0-fast'] : MODEL_RESOLUTIONS['seedance-2.0'];
}

export function createArkProtocol(all: MockGatewayOptions, media: MediaStore): MockProtocol {
  const o = all as MockGatewayOptions & ArkMockOptions;
  const queuedMs = o.queuedMs ?? 200;
  const runningMs = o.runningMs ?? 400;
  const region: ArkRegion = o.region ?? 'intl';
  const models = new Set(ARK_REGION_MODELS[region]);
  const tasks = new Map<string, Task>();
  const renderCache = new Map<string, Promise<Rendered>>();
  let creates = 0;
  let closed = false;
  const images = createSeedreamImages(o, media, (status, code, message, requestId, param = '') =>
    envelope(status, code, message, requestId, param),
  );
  // One render at a time: the test machines have two cores shared with everything else.
  let renderChain: Promise<unknown> = Promise.resolve();
  const renderAbort = new AbortController();

  const envelope = (
    status: number,
    code: string,
    message: string,
    requestId: string,
    param = '',
  ): ProtocolResponse => ({
    status,
    json: {
      error: {
        code,
        message: `${message} Request id: ${requestId}`,
        param,
        type: TYPES[status] ?? 'BadRequest',
      },
    },
  });

  function validate(raw: unknown): Record<string, unknown> {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new BadRequest('The request body must be a JSON object.', '');
    // The Python SDK sends every optional field, unset ones as null: null means "not provided".
    const body = Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== null),
    );
    if (o.strict !== false) {
      for (const k of Object.keys(body))
        if (!KNOWN_FIELDS.has(k))
          throw new BadRequest(
            `The parameter \`${k}\` specified in the request is not valid: unknown parameter.`,
            k,
          );
    }
    if (typeof body.model !== 'string' || !body.model)
      throw new BadRequest(
        'The request failed because it is missing one or multiple required parameters.',
        'model',
        'MissingParameter',
      );
    const model = body.model;
    if (!models.has(model) && !/^ep-\d{14}-[a-z0-9]{5}$/.test(model))
      throw new BadRequest(
        `The model or endpoint ${model} does not exist or you do not have access to it.`,
        'model',
        'InvalidEndpointOrModel.NotFound',
        404,
      );
    const is2x = /seedance-2/.test(model) || model.startsWith('ep-');
    if (!Array.isArray(body.content) || body.content.length === 0) {
      throw new BadRequest(
        'The request failed because it is missing one or multiple required parameters.',
        'content',
        'MissingParameter',
      );
    }
    const content = body.content.map((item, i) => checkItem(item, i));
    body.content = content;
    checkMix(content, model);
    const enumField = (k: string, allowed: readonly string[]) => {
      if (body[k] !== undefined && (typeof body[k] !== 'string' || !allowed.includes(body[k] as string))) {
        throw new BadRequest(
          `The parameter \`${k}\` specified in the request is not valid: must be one of ${allowed.join(', ')}.`,
          k,
        );
      }
    };
    const intField = (k: string, min: number, max: number, also: number[] = []) => {
      const v = body[k];
      if (v === undefined) return;
      if (typeof v !== 'number' || !Number.isInteger(v) || ((v < min || v > max) && !also.includes(v))) {
        throw new BadRequest(
          `The parameter \`${k}\` specified in the request is not valid: the specified ${k} ${String(v)} is out of range [${min}, ${max}]${also.length ? ` and not ${also.join(', ')}` : ''}.`,
          k,
        );
      }
    };
    const boolField = (k: string) => {
      if (body[k] !== undefined && typeof body[k] !== 'boolean')
        throw new BadRequest(
          `The parameter \`${k}\` specified in the request is not valid: must be a boolean.`,
          k,
        );
    };
    enumField('ratio', RATIOS);
    enumField('resolution', RESOLUTIONS);
    const allowed = o.modelResolutions?.find(([re]) => re.test(model))?.[1] ?? tableResolutions(model);
    if (typeof body.resolution === 'string' && !allowed.includes(body.resolution as Resolution)) {
      throw new BadRequest(
        `The parameter \`resolution\` specified in the request is not valid: ${body.resolution} is not supported by model ${model}.`,
        'resolution',
      );
    }
    intField('duration', 4, 15, [-1]);
    intField('seed', -1, 4294967295);
    intField('execution_expires_after', 3600, 259200);
    intField('priority', 0, 9);
    for (const k of ['generate_audio', 'watermark', 'return_last_frame', 'camera_fixed', 'draft'])
      boolField(k);
    enumField('service_tier', ['default', 'flex']);
    enumField('output_format', ['mp4', 'mov']);
    enumField('omni_reference_task_type', ['auto', 'reference', 'edit', 'extend']);
    if (is2x) {
      if (body.frames !== undefined)
        throw new BadRequest(
          'The parameter `frames` specified in the request is not valid: frames is not supported by this model.',
          'frames',
        );
      if (body.service_tier === 'flex')
        throw new BadRequest(
          'The parameter `service_tier` specified in the request is not valid: flex is not supported by this model.',
          'service_tier',
        );
      if (body.camera_fixed !== undefined)
        throw new BadRequest(
          'The parameter `camera_fixed` specified in the request is not valid: camera_fixed is not supported by this model.',
          'camera_fixed',
        );
    }
    if (
      body.safety_identifier !== undefined &&
      (typeof body.safety_identifier !== 'string' || body.safety_identifier.length > 64)
    ) {
      throw new BadRequest(
        'The parameter `safety_identifier` specified in the request is not valid: at most 64 characters.',
        'safety_identifier',
      );
    }
    if (
      body.callback_url !== undefined &&
      (typeof body.callback_url !== 'string' || !/^https?:\/\//.test(body.callback_url))
    ) {
      throw new BadRequest(
        'The parameter `callback_url` specified in the request is not valid.',
        'callback_url',
      );
    }
    if (
      body.tools !== undefined &&
      (!Array.isArray(body.tools) || body.tools.some((t) => (t as { type?: unknown })?.type !== 'web_search'))
    ) {
      throw new BadRequest('The parameter `tools` specified in the request is not valid.', 'tools');
    }
    return body;
  }

  function checkItem(raw: unknown, i: number): Record<string, unknown> {
    const p = `content[${i}]`;
    if (!raw || typeof raw !== 'object')
      throw new BadRequest(`The parameter \`${p}\` specified in the request is not valid.`, p);
    const item = Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== null),
    );
    const type = item.type as string;
    if (!CONTENT_TYPES.includes(type as (typeof CONTENT_TYPES)[number]))
      throw new BadRequest(`The parameter \`${p}.type\` specified in the request is not valid.`, `${p}.type`);
    if (type === 'text') {
      if (typeof item.text !== 'string')
        throw new BadRequest(
          `The parameter \`${p}.text\` specified in the request is not valid.`,
          `${p}.text`,
        );
      return item;
    }
    if (type === 'draft_task')
      throw new BadRequest(
        `The parameter \`${p}\` specified in the request is not valid: draft tasks are not supported by this model.`,
        p,
      );
    const inner = item[type] as { url?: unknown } | undefined;
    const up = `${p}.${type}.url`;
    if (!inner || typeof inner.url !== 'string' || !inner.url)
      throw new BadRequest(
        'The request failed because it is missing one or multiple required parameters.',
        up,
        'MissingParameter',
      );
    const url = inner.url;
    const roles: Record<string, (string | undefined)[]> = {
      image_url: ['first_frame', 'last_frame', 'reference_image', undefined],
      video_url: ['reference_video'],
      audio_url: ['reference_audio'],
    };
    if (!roles[type]?.includes(item.role as string | undefined)) {
      throw new BadRequest(
        `The parameter \`${p}.role\` specified in the request is not valid: ${String(item.role)} is not a role for ${type}.`,
        `${p}.role`,
      );
    }
    if (url.startsWith('data:')) {
      if (type === 'video_url')
        throw new BadRequest(
          `The parameter \`${up}\` specified in the request is not valid: reference_video must be provided as a web url.`,
          up,
        );
      const m = /^data:([^;,]+);base64,/.exec(url);
      const kind = type === 'image_url' ? 'image' : 'audio';
      if (!m)
        throw new BadRequest(
          `The parameter \`${up}\` specified in the request is not valid: malformed base64 data URL.`,
          up,
        );
      if (m[1] !== (m[1] ?? '').toLowerCase())
        throw new BadRequest(
          `The parameter \`${up}\` specified in the request is not valid: the media type ${m[1]} must be lowercase.`,
          up,
        );
      if (!m[1]?.startsWith(`${kind}/`))
        throw new BadRequest(
          `The parameter \`${up}\` specified in the request is not valid: expected ${kind} data.`,
          up,
        );
    } else if (!/^(https?:\/\/|asset:\/\/)/.test(url)) {
      throw new BadRequest(
        `The parameter \`${up}\` specified in the request is not valid: must be an http(s) URL, an asset:// id or a base64 data URL.`,
        up,
      );
    }
    return item;
  }

  function checkMix(content: Record<string, unknown>[], model: string): void {
    const images = content.filter((c) => c.type === 'image_url');
    const videos = content.filter((c) => c.type === 'video_url');
    const audios = content.filter((c) => c.type === 'audio_url');
    const frameRoles = images.filter(
      (c) => c.role === 'first_frame' || c.role === 'last_frame' || c.role === undefined,
    );
    const refImages = images.filter((c) => c.role === 'reference_image');
    const bad = (m: string) => {
      throw new BadRequest(
        `The parameter \`content\` specified in the request is not valid: ${m}`,
        'content',
      );
    };
    if (frameRoles.length && (refImages.length || videos.length || audios.length))
      bad('first-frame, first+last-frame and reference modes cannot be mixed.');
    if (frameRoles.length > 2) bad('at most 2 frame images (first and last).');
    if (frameRoles.length === 2) {
      const roles = frameRoles.map((c) => c.role).sort();
      if (roles[0] !== 'first_frame' || roles[1] !== 'last_frame')
        bad('first+last-frame mode needs role first_frame and last_frame on both images.');
    }
    if (frameRoles.length === 1 && frameRoles[0]?.role === 'last_frame')
      bad('a last frame needs a first frame.');
    if (refImages.length > 9) bad('at most 9 reference images.');
    if (videos.length > 3) bad('at most 3 reference videos.');
    if (audios.length > 3) bad('at most 3 reference audios.');
    if (audios.length && !images.length && !videos.length && !/2-5/.test(model))
      bad('reference audio needs at least one image or video.');
  }

  function taskId(): string {
    const d = new Date();
    const p = (n: number) => String(n).padStart(2, '0');
    const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const tail = Array.from(randomBytes(5), (b) => alphabet[b % alphabet.length]).join('');
    return `cgt-${stamp}-${tail}`;
  }

  function setStatus(t: Task, status: Status): void {
    if (t.status === status) return;
    t.status = status;
    t.updatedAt = Date.now();
    void callback(t);
  }

  /** POSTs the GET body to callback_url on every change; succeeded/failed are retried 3 times. */
  async function callback(t: Task): Promise<void> {
    const url = t.body.callback_url;
    if (typeof url !== 'string' || t.status === 'cancelled') return;
    const tries = t.status === 'succeeded' || t.status === 'failed' ? 4 : 1;
    for (let i = 0; i < tries && !closed; i++) {
      try {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(view(t)),
          signal: AbortSignal.timeout(5000),
        });
        if (r.ok) return;
      } catch {
        // Undelivered callbacks are retried, then dropped, like Ark's.
      }
    }
  }

  // A held status is not left when its time is up, only on release: lets a test act "while shot 2
  // is queued" without racing a timer.
  const held = new Set<HoldableStatus>(o.hold ?? []);
  const due = new Map<Task, HoldableStatus>();

  function schedule(t: Task): void {
    t.timers.push(setTimeout(() => leave(t, 'queued'), queuedMs));
  }

  function leave(t: Task, from: HoldableStatus): void {
    if (t.status !== from || closed) return;
    if (held.has(from)) {
      due.set(t, from);
      return;
    }
    due.delete(t);
    if (from === 'queued') {
      setStatus(t, 'running');
      t.timers.push(setTimeout(() => leave(t, 'running'), runningMs));
    } else void finish(t);
  }

  function setHold(states: HoldableStatus[]): void {
    held.clear();
    for (const s of states) held.add(s);
    for (const [t, from] of [...due]) leave(t, from);
  }

  async function finish(t: Task): Promise<void> {
    if (t.status !== 'running' || closed) return;
    if (t.outcome === 'expire') return setStatus(t, 'expired');
    if (t.outcome === 'fail') return setStatus(t, 'failed');
    try {
      const r = await t.render!;
      if (closed) return;
      const videoUrl = media.publish(t.id, 'video.mp4', r.video, 'video/mp4');
      const frameUrl =
        t.body.return_last_frame === true && !o.omitLastFrame
          ? media.publish(t.id, 'last-frame.png', r.frame, 'image/png')
          : undefined;
      t.media = { ...r, videoUrl, ...(frameUrl ? { frameUrl } : {}) };
      setStatus(t, 'succeeded');
    } catch (e) {
      if (closed) return;
      t.renderError = (e as Error).message;
      t.failCode = 'InternalServiceError';
      setStatus(t, 'failed');
    }
  }

  function render(t: Task): Promise<Rendered> {
    const b = t.body;
    const key = createHash('sha256')
      .update(JSON.stringify([b.content, b.ratio, b.resolution, b.duration, b.generate_audio, b.seed]))
      .digest('hex');
    const cached = renderCache.get(key);
    if (cached) return cached;
    const job = renderChain.then(() => renderTask(t, key));
    renderChain = job.catch(() => undefined);
    renderCache.set(key, job);
    job.catch(() => renderCache.delete(key));
    return job;
  }

  async function renderTask(t: Task, key: string): Promise<Rendered> {
    const dir = path.join(media.dir, key.slice(0, 16));
    await fs.mkdir(dir, { recursive: true });
    const content = t.body.content as Record<string, unknown>[];
    const local = async (item: Record<string, unknown>, n: number): Promise<MediaRef | undefined> => {
      const url = (item[item.type as string] as { url: string }).url;
      const m = /^data:([a-z]+)\/([a-z0-9.+-]+);base64,(.*)$/s.exec(url);
      if (!m) return undefined; // remote URLs are not fetched: the mock never leaves loopback
      const file = path.join(dir, `input-${n}.${m[2] === 'jpeg' ? 'jpg' : m[2]}`);
      await fs.writeFile(file, Buffer.from(m[3] ?? '', 'base64'));
      return { path: file };
    };
    const refs = async (role: string) =>
      (
        await Promise.all(
          content.filter((c) => c.role === role).map((c, i) => local(c, content.indexOf(c) * 10 + i)),
        )
      ).filter((r): r is MediaRef => !!r);
    const firstItem = content.find(
      (c) => c.type === 'image_url' && (c.role === 'first_frame' || c.role === undefined),
    );
    const lastItem = content.find((c) => c.role === 'last_frame');
    const firstFrame = firstItem ? await local(firstItem, content.indexOf(firstItem)) : undefined;
    const lastFrame = lastItem ? await local(lastItem, content.indexOf(lastItem)) : undefined;
    const b = t.body;
    // Unset means Ark's default of 5 s; -1 lets the "model" choose.
    const duration =
      b.duration === undefined ? 5 : b.duration === -1 ? (o.autoDurationSec ?? 5) : (b.duration as number);
    const ratio = (b.ratio as Ratio | undefined) ?? 'adaptive';
    const resolution = (b.resolution as Resolution | undefined) ?? '720p';
    const req: ShotRequest = {
      nodeId: t.id,
      key: t.id,
      prompt: content
        .filter((c) => c.type === 'text')
        .map((c) => c.text as string)
        .join('\n'),
      ...(firstFrame ? { firstFrame } : {}),
      ...(lastFrame ? { lastFrame } : {}),
      referenceImages: await refs('reference_image'),
      referenceVideos: [],
      referenceAudios: await refs('reference_audio'),
      model: t.model,
      duration,
      ratio,
      resolution,
      generateAudio: b.generate_audio !== false,
      seed: typeof b.seed === 'number' ? b.seed : -1,
      watermark: b.watermark === true,
    };
    const clip = await cachedMockRender(req, renderAbort.signal);
    const info = await probeMedia(clip.video);
    const width = info.video?.width ?? 0;
    const height = info.video?.height ?? 0;
    const concrete = (Object.keys(PIXEL_SIZES) as Exclude<Ratio, 'adaptive'>[]).find((r) => {
      const [w, h] = PIXEL_SIZES[r][resolution];
      return w === width && h === height;
    });
    return {
      video: clip.video,
      frame: clip.lastFrame,
      width,
      height,
      ratio: concrete ?? (ratio === 'adaptive' ? '16:9' : ratio),
      duration,
    };
  }

  function view(t: Task): Record<string, unknown> {
    const b = t.body;
    const out: Record<string, unknown> = {
      id: t.id,
      model: t.model,
      status: t.status,
      created_at: Math.floor(t.createdAt / 1000),
      updated_at: Math.floor(t.updatedAt / 1000),
      service_tier: (b.service_tier as string | undefined) ?? 'default',
      execution_expires_after:
        (b.execution_expires_after as number | undefined) ?? o.expiresAfterSec ?? 172800,
      priority: (b.priority as number | undefined) ?? 0,
      ...(b.safety_identifier !== undefined ? { safety_identifier: b.safety_identifier } : {}),
      ...(b.tools !== undefined ? { tools: b.tools } : {}),
    };
    if (t.status === 'failed') {
      const message = t.renderError
        ? `The service encountered an unexpected internal error (${t.renderError.split('\n')[0]}).`
        : (FAIL_MESSAGES[t.failCode] ?? 'The request failed.');
      out.error = { code: t.failCode, message: `${message} Request id: ${`0217${t.id}`}` };
    }
    if (t.status === 'succeeded' && t.media) {
      const m = t.media;
      out.content = { video_url: m.videoUrl, ...(m.frameUrl ? { last_frame_url: m.frameUrl } : {}) };
      const tokens = Math.floor((m.width * m.height * (24 * m.duration + 1)) / 1024);
      out.usage = { completion_tokens: tokens, total_tokens: tokens };
      Object.assign(out, {
        seed: typeof b.seed === 'number' && b.seed >= 0 ? b.seed : 10,
        resolution: (b.resolution as string | undefined) ?? '720p',
        ratio: m.ratio,
        duration: m.duration,
        framespersecond: 24,
        generate_audio: b.generate_audio !== false,
        draft: false,
      });
    }
    return out;
  }

  /**
   * Reference videos and audios the mock can reach (on loopback, like every test bucket) are measured:
   * each 2–15 s and 15 s in all per kind, as upstream checks them (§3.1). Others are left alone.
   */
  async function checkReferenceLengths(content: Record<string, unknown>[]): Promise<void> {
    for (const [type, what] of [
      ['video_url', 'reference video'],
      ['audio_url', 'reference audio'],
    ] as const) {
      let total = 0;
      for (const [i, item] of content.entries()) {
        if (item.type !== type) continue;
        const url = (item[type] as { url?: string } | undefined)?.url ?? '';
        let u: URL;
        try {
          u = new URL(url);
        } catch {
          continue;
        }
        if (u.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(u.hostname)) continue;
        const res = await fetch(u, { signal: AbortSignal.timeout(10_000) });
        if (!res.ok) continue; // an unreachable link is the task's failure to report, not the create's
        const file = path.join(media.dir, `ref-${randomBytes(6).toString('hex')}`);
        await fs.writeFile(file, Buffer.from(await res.arrayBuffer()));
        const seconds = (await probeMedia(file).catch(() => undefined))?.durationSec ?? 0;
        await fs.rm(file, { force: true });
        if (seconds < 1.95 || seconds > 15.05)
          throw new BadRequest(
            `The parameter \`content[${i}]\` specified in the request is not valid: each ${what} must last 2–15 s, this one lasts ${seconds.toFixed(1)} s.`,
            `content[${i}]`,
          );
        total += seconds;
        if (total > 15.05)
          throw new BadRequest(
            `The parameter \`content\` specified in the request is not valid: the ${what}s last ${total.toFixed(1)} s in all; at most 15 s.`,
            'content',
          );
      }
    }
  }

  async function create(req: ProtocolRequest): Promise<ProtocolResponse> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body.toString('utf8'));
    } catch {
      return envelope(400, 'InvalidParameter', 'The request body is not valid JSON.', req.requestId);
    }
    let body: Record<string, unknown>;
    try {
      body = validate(parsed);
      await checkReferenceLengths(body.content as Record<string, unknown>[]);
    } catch (e) {
      if (e instanceof BadRequest) return envelope(e.status, e.code, e.message, req.requestId, e.param);
      throw e;
    }
    const kind = req.fault?.kind;
    const now = Date.now();
    const t: Task = {
      id: taskId(),
      model: body.model as string,
      body,
      status: 'queued',
      createdAt: now,
      updatedAt: now,
      outcome: kind === 'fail_task' ? 'fail' : kind === 'expire_task' ? 'expire' : 'succeed',
      failCode: req.fault?.code ?? FAIL_DEFAULT,
      deleted: false,
      timers: [],
    };
    tasks.set(t.id, t);
    creates++;
    if (t.outcome === 'succeed') t.render = render(t);
    t.render?.catch(() => undefined); // a failed render is reported through the task, not here
    schedule(t);
    if (kind === 'reset_after_create') return { status: 0, reset: true };
    if (kind === 'malformed') return { status: 200, raw: `{"id": "${t.id}"` };
    if (kind === 'garbage') return { status: 200, json: { task: t.id } };
    return {
      status: 200,
      json: {
        id: t.id,
        ...(body.safety_identifier !== undefined ? { safety_identifier: body.safety_identifier } : {}),
      },
    };
  }

  function list(req: ProtocolRequest): ProtocolResponse {
    const q = req.query;
    const intParam = (k: string, d: number) => {
      const v = q.get(k);
      if (v === null) return d;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 500)
        throw new BadRequest(
          `The parameter \`${k}\` specified in the request is not valid: must be an integer in [1, 500].`,
          k,
        );
      return n;
    };
    try {
      const pageNum = intParam('page_num', 1);
      const pageSize = intParam('page_size', 20);
      const status = q.get('filter.status');
      if (status !== null && !LIST_STATUSES.includes(status))
        throw new BadRequest(
          'The parameter `filter.status` specified in the request is not valid.',
          'filter.status',
        );
      const tier = q.get('filter.service_tier');
      if (tier !== null && tier !== 'default' && tier !== 'flex')
        throw new BadRequest(
          'The parameter `filter.service_tier` specified in the request is not valid.',
          'filter.service_tier',
        );
      const ids = q.getAll('filter.task_ids');
      const model = q.get('filter.model');
      const since = Date.now() - WEEK_MS;
      const matching = [...tasks.values()]
        .filter((t) => !t.deleted && t.createdAt >= since)
        .filter((t) => (status ? t.status === status : true))
        .filter((t) => (ids.length ? ids.includes(t.id) : true))
        .filter((t) => (model ? t.model === model : true))
        .filter((t) => (t.body.service_tier ?? 'default') === (tier ?? 'default'))
        .sort((a, b) => b.createdAt - a.createdAt);
      const items = matching.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((t) => {
        const v = view(t);
        if (o.listErrorField === 'failure_reason' && v.error) {
          v.failure_reason = v.error;
          delete v.error;
        }
        return v;
      });
      return { status: 200, json: { items, total: matching.length } };
    } catch (e) {
      if (e instanceof BadRequest) return envelope(400, e.code, e.message, req.requestId, e.param);
      throw e;
    }
  }

  function lookup(req: ProtocolRequest): Task | ProtocolResponse {
    const id = decodeURIComponent(req.path.split('/').pop() ?? '');
    const t = tasks.get(id);
    if (!t || t.deleted)
      return envelope(404, 'NotFound', `The specified task ${id} is not found.`, req.requestId, 'id');
    return t;
  }

  function remove(req: ProtocolRequest): ProtocolResponse {
    const t = lookup(req);
    if (!('body' in t)) return t;
    if (t.status === 'queued') {
      for (const timer of t.timers) clearTimeout(timer);
      setStatus(t, 'cancelled');
      return { status: 200, json: {} };
    }
    if (t.status === 'running' || t.status === 'cancelled') {
      const status = o.deleteConflictStatus ?? 400;
      return envelope(
        status,
        status === 409 ? 'Conflict' : 'InvalidParameter',
        `The task ${t.id} is ${t.status} and cannot be ${t.status === 'running' ? 'cancelled' : 'deleted'}.`,
        req.requestId,
        'id',
      );
    }
    t.deleted = true;
    return { status: 200, json: {} };
  }

  return {
    kind: 'ark',
    basePath: '/api/v3',
    route(method, pathname) {
      // Seedream stills: a create too (faults scripted on `create` hit it unless matched by path).
      if (pathname === IMAGES_PATH) return method === 'POST' ? 'create' : undefined;
      if (pathname === '/api/v3/contents/generations/tasks')
        return method === 'POST' ? 'create' : method === 'GET' ? 'list' : undefined;
      if (/^\/api\/v3\/contents\/generations\/tasks\/[^/]+$/.test(pathname))
        return method === 'GET' ? 'get' : method === 'DELETE' ? 'delete' : undefined;
      return undefined;
    },
    authorize(headers: http.IncomingHttpHeaders, requestId) {
      const m = /^Bearer\s+(\S+)$/.exec(headers.authorization ?? '');
      if (m && (o.apiKey === undefined || m[1] === o.apiKey)) return undefined;
      return envelope(
        401,
        'AuthenticationError',
        'the API key or AK/SK in the request is missing or invalid.',
        requestId,
      );
    },
    async handle(req) {
      switch (req.route) {
        case 'create':
          return req.path === IMAGES_PATH ? images.handle(req) : create(req);
        case 'list':
          return list(req);
        case 'get': {
          const t = lookup(req);
          return 'body' in t ? { status: 200, json: view(t) } : t;
        }
        case 'delete':
          return remove(req);
        default:
          return envelope(404, 'NotFound', 'Not found.', req.requestId);
      }
    },
    hold: (states) => setHold(states as HoldableStatus[]),
    age(id, ms) {
      const t = tasks.get(id);
      if (!t) throw new Error(`no task ${id}`);
      t.createdAt -= ms;
      t.updatedAt -= ms;
    },
    error: (status, code, message, requestId, param) => envelope(status, code, message, requestId, param),
    garbage: (route: Route) =>
      route === 'list'
        ? { items: 'none', total: -1 }
        : route === 'get'
          ? { id: 42, status: 'dancing' }
          : { task: null },
    ownsFault: (route: Route, kind: FaultKind) =>
      route === 'create' &&
      ['malformed', 'garbage', 'reset_after_create', 'fail_task', 'expire_task'].includes(kind),
    stats() {
      return {
        creates,
        ...images.stats(),
        tasks: [...tasks.values()].map((t) => ({
          id: t.id,
          model: t.model,
          status: t.status,
          deleted: t.deleted,
          createdAt: t.createdAt,
          safety_identifier: t.body.safety_identifier,
        })),
      };
    },
    async close() {
      closed = true;
      renderAbort.abort();
      for (const t of tasks.values()) for (const timer of t.timers) clearTimeout(timer);
      await renderChain.catch(() => undefined);
    },
  };
}

const FAIL_DEFAULT = 'OutputVideoSensitiveContentDetected';
const FAIL_MESSAGES: Record<string, string> = {
  OutputVideoSensitiveContentDetected:
    'The request failed because the output video may contain sensitive information.',
  InputImageSensitiveContentDetected: 'The request failed because the input image may contain real person.',
  InternalServiceError: 'The service encountered an unexpected internal error.',
};
const TYPES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
};
