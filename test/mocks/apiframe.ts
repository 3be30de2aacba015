// Apiframe as docs/gateways.md §2.2 describes it: `X-API-Key`, POST /v2/videos/generate → 202
// {jobId, status: "QUEUED"}, GET /v2/jobs/{jobId} with uppercase states, `result.videoUrl`, a string
// `error` and creditCost 0 on failure. Errors are `{"error": "…"}` (undocumented, §5.6).
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { CAPABILITIES } from '../../shared/seedance/capabilities';
import type { Ratio, Resolution } from '../../shared/seedance/limits';
import type { FaultKind, Route } from './faults';
import type {
  MediaStore,
  MockGatewayOptions,
  MockProtocol,
  ProtocolRequest,
  ProtocolResponse,
} from './gateway';
import {
  BadRequest,
  check,
  createTaskEngine,
  idFrom,
  isMediaUrl,
  jsonBody,
  type EngineTask,
  type TaskEngineOptions,
} from './tasks';

export interface ApiframeMockOptions extends TaskEngineOptions {
  apiKey?: string;
  /** Keys that exist but were disabled: 403 "API key is inactive". */
  inactiveKeys?: string[];
  /** Durations taken; default: the capability table's (the model page's 4, 6, 8, 10, 12, 15, §5.9). */
  durations?: number[];
  /** Where the finished job's link sits (the shape is not fixed, §2.5); default `result.videoUrl`. */
  resultShape?: 'videoUrl' | 'video_url' | 'url' | 'videos' | 'string';
}

// The models, their resolutions and durations come from the one capability table the client and the
// validation read (shared/seedance/capabilities.ts), so the mock cannot drift from them.
const MODELS = CAPABILITIES.apiframe.models;
const RESOLUTIONS: Record<string, readonly Resolution[]> = Object.fromEntries(
  Object.values(MODELS).map((m) => [m.id, m.resolutions]),
);
const RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', 'adaptive'];
const PARAMS = [
  'resolution',
  'aspect_ratio',
  'duration',
  'start_image',
  'end_image',
  'reference_image_urls',
  'reference_video_urls',
  'reference_audio_urls',
  'generate_audio',
  'return_last_frame',
  'web_search',
  'camera_fixed',
  'seed',
];

type Body = Record<string, unknown> & { credits: number };

export function createApiframeProtocol(all: MockGatewayOptions, media: MediaStore): MockProtocol {
  const o = all as MockGatewayOptions & ApiframeMockOptions;
  const engine = createTaskEngine<Body>(o, media);
  const fail = (status: number, message: string): ProtocolResponse => ({ status, json: { error: message } });

  function validate(raw: unknown) {
    const b = check.object(raw);
    check.onlyKnown(b, ['prompt', 'model', 'seedanceParams', 'webhookUrl', 'webhook_url']);
    if (typeof b.prompt !== 'string' || !b.prompt.trim())
      throw new BadRequest('prompt is required', 'prompt');
    const model = b.model;
    if (typeof model !== 'string' || !RESOLUTIONS[model])
      throw new BadRequest(`model must be one of ${Object.keys(RESOLUTIONS).join(', ')}`, 'model');
    const p = check.object(b.seedanceParams ?? {}, 'seedanceParams');
    const at = 'seedanceParams.';
    check.onlyKnown(p, PARAMS, at);
    check.oneOf(p, 'resolution', RESOLUTIONS[model]!, at);
    check.oneOf(p, 'aspect_ratio', RATIOS, at);
    check.oneOf(p, 'duration', o.durations ?? MODELS[model]!.durations.values ?? [], at);
    for (const k of ['start_image', 'end_image'])
      if (p[k] !== undefined && !isMediaUrl(p[k], true))
        throw new BadRequest(`${at}${k} must be a URL`, `${at}${k}`);
    if (p.end_image !== undefined && p.start_image === undefined)
      throw new BadRequest(`${at}end_image needs ${at}start_image`, `${at}end_image`);
    check.urls(p, 'reference_image_urls', 9, (v) => isMediaUrl(v, true), at);
    check.urls(p, 'reference_video_urls', 3, (v) => isMediaUrl(v, true), at);
    check.urls(p, 'reference_audio_urls', 3, (v) => isMediaUrl(v, true), at);
    for (const k of ['generate_audio', 'return_last_frame', 'web_search', 'camera_fixed'])
      check.bool(p, k, at);
    check.int(p, 'seed', -1, 4294967295, [], at);
    // Upstream's modes exclude each other and sound needs a picture (§1.5), whatever the README says.
    const refs = ['reference_image_urls', 'reference_video_urls', 'reference_audio_urls'].filter(
      (k) => Array.isArray(p[k]) && (p[k] as unknown[]).length,
    );
    if ((p.start_image !== undefined || p.end_image !== undefined) && refs.length)
      throw new BadRequest(
        `${at}start_image/end_image cannot be combined with ${at}${refs[0]}`,
        `${at}${refs[0]}`,
      );
    if (refs.length === 1 && refs[0] === 'reference_audio_urls')
      throw new BadRequest(
        `${at}reference_audio_urls needs a reference image or video beside it`,
        `${at}reference_audio_urls`,
      );
    return { prompt: b.prompt, model, p };
  }

  function create(req: ProtocolRequest): ProtocolResponse {
    let v: ReturnType<typeof validate>;
    try {
      v = validate(jsonBody(req));
    } catch (e) {
      if (e instanceof BadRequest) return fail(e.status, e.message);
      throw e;
    }
    const { p } = v;
    const duration = (p.duration as number | undefined) ?? 8;
    const kind = req.fault?.kind;
    const t = engine.create({
      id: randomUUID(),
      model: v.model,
      body: { prompt: v.prompt, model: v.model, seedanceParams: p, credits: duration * 100 },
      spec: {
        prompt: v.prompt,
        ...(p.start_image ? { firstFrame: p.start_image as string } : {}),
        ...(p.end_image ? { lastFrame: p.end_image as string } : {}),
        referenceImages: (p.reference_image_urls as string[] | undefined) ?? [],
        referenceAudios: (p.reference_audio_urls as string[] | undefined) ?? [],
        duration,
        ratio: ((p.aspect_ratio as Ratio | undefined) ?? '16:9') as Ratio,
        resolution: ((p.resolution as Resolution | undefined) ?? '720p') as Resolution,
        // Its docs disagree on the default (§2.2): the mock takes docs-v2's true.
        generateAudio: p.generate_audio !== false,
        seed: typeof p.seed === 'number' ? p.seed : -1,
      },
      ...(kind === 'fail_task' || kind === 'expire_task'
        ? { failMessage: req.fault?.message ?? 'Provider returned an error: content policy violation' }
        : {}),
    });
    if (kind === 'reset_after_create') return { status: 0, reset: true };
    if (kind === 'malformed') return { status: 202, raw: `{"jobId": "${t.id}"` };
    if (kind === 'garbage') return { status: 202, json: { job: { id: t.id } } };
    return { status: 202, json: { jobId: t.id, status: 'QUEUED' } };
  }

  function resultOf(url: string): unknown {
    switch (o.resultShape) {
      case 'video_url':
        return { video_url: url };
      case 'url':
        return { url };
      case 'videos':
        return { videos: [{ url, format: 'mp4' }] };
      case 'string':
        return url;
      default:
        return { videoUrl: url };
    }
  }

  function view(t: EngineTask<Body>): Record<string, unknown> {
    const status = {
      queued: 'QUEUED',
      running: 'PROCESSING',
      succeeded: 'COMPLETED',
      failed: 'FAILED',
      cancelled: 'FAILED',
    }[t.phase];
    const done = t.phase === 'succeeded' || t.phase === 'failed';
    const elapsed = Date.now() - t.createdAt;
    return {
      id: t.id,
      status,
      model: t.model,
      progress:
        t.phase === 'succeeded' ? 100 : t.phase === 'running' ? Math.min(95, Math.round(elapsed / 50)) : 0,
      result: t.phase === 'succeeded' && t.media ? resultOf(t.media.videoUrl) : null,
      error: t.phase === 'failed' ? (t.failMessage ?? 'Provider returned an error') : null,
      // Refunded on failure (§2.2).
      creditCost: t.phase === 'failed' ? 0 : t.body.credits,
      webhookStatus: null,
      createdAt: new Date(t.createdAt).toISOString(),
      completedAt: done ? new Date(t.updatedAt).toISOString() : null,
    };
  }

  return {
    kind: 'apiframe',
    basePath: '',
    route(method, pathname) {
      if (pathname === '/v2/videos/generate') return method === 'POST' ? 'create' : undefined;
      if (/^\/v2\/jobs\/[^/]+$/.test(pathname)) return method === 'GET' ? 'get' : undefined;
      return undefined;
    },
    authorize(headers: http.IncomingHttpHeaders) {
      const key = headers['x-api-key'];
      if (typeof key !== 'string' || !key) return fail(401, 'API key is required');
      if (o.inactiveKeys?.includes(key)) return fail(403, 'API key is inactive');
      if (o.apiKey !== undefined && key !== o.apiKey) return fail(401, 'Invalid API key');
      return undefined;
    },
    async handle(req) {
      if (req.route === 'create') return create(req);
      if (req.route === 'get') {
        const t = engine.get(idFrom(req.path));
        return t ? { status: 200, json: view(t) } : fail(404, 'Job not found');
      }
      return fail(404, 'Not found');
    },
    hold: (phases) => engine.hold(phases),
    error: (status, _code, message) => fail(status, message),
    garbage: (route: Route) => (route === 'get' ? { id: 7, status: 'Done!' } : { job: null }),
    ownsFault: (route: Route, kind: FaultKind) =>
      route === 'create' &&
      ['malformed', 'garbage', 'reset_after_create', 'fail_task', 'expire_task'].includes(kind),
    stats() {
      return {
        creates: engine.creates,
        tasks: engine.all().map((t) => ({
          id: t.id,
          model: t.model,
          status: view(t).status,
          phase: t.phase,
          createdAt: t.createdAt,
        })),
      };
    },
    close: () => engine.close(),
  };
}
