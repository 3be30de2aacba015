// xingchaoyiqing as docs/gateways.md §2.3 describes it: base /kyyReactApiServer, POST
// /v1/kyyvideo2/videos, GET /v1/result/{id}; mixed field naming kept verbatim; seedance_2_0 and
// seedance_2_0_fast demand a reference video; frames and references exclude each other. Errors in
// OpenAI's shape `{"error":{"message",…}}` or, with `errorShape: 'string'`, `{"error":"…"}` (§5.7).
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
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

export interface XingchaoMockOptions extends TaskEngineOptions {
  apiKey?: string;
  errorShape?: 'object' | 'string';
}

const BASE = '/kyyReactApiServer';
const MODELS = ['seedance_2_0', 'seedance_2_0_fast', 'seedance_2_0_pro', 'seedance_2_0_fast_pro'];
const NEED_VIDEO = ['seedance_2_0', 'seedance_2_0_fast'];
const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'];
const FIELDS = [
  'model',
  'prompt',
  'duration',
  'aspect_ratio',
  'generateAudio',
  'first_image',
  'last_image',
  'referenceImages',
  'referenceVideos',
  'referenceAudios',
];

type Body = Record<string, unknown>;

export function createXingchaoProtocol(all: MockGatewayOptions, media: MediaStore): MockProtocol {
  const o = all as MockGatewayOptions & XingchaoMockOptions;
  const engine = createTaskEngine<Body>(o, media);
  const fail = (status: number, message: string, type = 'invalid_request_error'): ProtocolResponse => ({
    status,
    json: { error: o.errorShape === 'string' ? message : { message, type, code: status } },
  });

  function validate(raw: unknown) {
    const b = check.object(raw);
    // No resolution field is documented (§2.3); rejecting unknown fields proves the client sends none.
    check.onlyKnown(b, FIELDS);
    if (typeof b.model !== 'string' || !MODELS.includes(b.model))
      throw new BadRequest(`model must be one of ${MODELS.join(', ')}`, 'model');
    if (typeof b.prompt !== 'string' || !b.prompt.trim())
      throw new BadRequest('prompt is required', 'prompt');
    check.int(b, 'duration', 4, 15);
    check.oneOf(b, 'aspect_ratio', RATIOS);
    check.bool(b, 'generateAudio');
    for (const k of ['first_image', 'last_image'])
      if (b[k] !== undefined && !isMediaUrl(b[k], true))
        throw new BadRequest(`${k} must be a URL or asset://ASSET_ID`, k);
    if (b.last_image !== undefined && b.first_image === undefined)
      throw new BadRequest('last_image requires first_image', 'last_image');
    const images = check.urls(b, 'referenceImages', 9, (v) => isMediaUrl(v, true));
    const videos = check.urls(b, 'referenceVideos', 3, (v) => isMediaUrl(v, true));
    const audios = check.urls(b, 'referenceAudios', 3, (v) => isMediaUrl(v, true));
    if (
      (b.first_image !== undefined || b.last_image !== undefined) &&
      images.length + videos.length + audios.length
    )
      throw new BadRequest('first_image/last_image and reference* cannot be used together', 'first_image');
    // Sound needs a picture in the 2.0 family (§1.5, §3.1): the gateway passes media on to that model.
    if (audios.length && !images.length && !videos.length)
      throw new BadRequest('referenceAudios needs a reference image or video beside it', 'referenceAudios');
    if (NEED_VIDEO.includes(b.model) && !videos.length)
      throw new BadRequest(`${b.model} requires at least one entry in referenceVideos`, 'referenceVideos');
    return { b, model: b.model, images, audios };
  }

  function create(req: ProtocolRequest): ProtocolResponse {
    let v: ReturnType<typeof validate>;
    try {
      v = validate(jsonBody(req));
    } catch (e) {
      if (e instanceof BadRequest) return fail(e.status, e.message);
      throw e;
    }
    const { b } = v;
    const kind = req.fault?.kind;
    const t = engine.create({
      id: `video_${randomUUID()}`,
      model: v.model,
      body: b,
      spec: {
        prompt: b.prompt as string,
        ...(b.first_image ? { firstFrame: b.first_image as string } : {}),
        ...(b.last_image ? { lastFrame: b.last_image as string } : {}),
        referenceImages: v.images,
        referenceAudios: v.audios,
        duration: (b.duration as number | undefined) ?? 5,
        ratio: ((b.aspect_ratio as Ratio | undefined) ?? '16:9') as Ratio,
        resolution: '720p' as Resolution,
        generateAudio: b.generateAudio !== false,
        seed: -1,
      },
      ...(kind === 'fail_task' || kind === 'expire_task'
        ? { failMessage: req.fault?.message ?? 'The output video may contain sensitive content' }
        : {}),
    });
    if (kind === 'reset_after_create') return { status: 0, reset: true };
    if (kind === 'malformed') return { status: 200, raw: `{"id": "${t.id}", "object": "vid` };
    if (kind === 'garbage') return { status: 200, json: { object: 'video', data: [t.id] } };
    return { status: 200, json: view(t) };
  }

  function view(t: EngineTask<Body>): Record<string, unknown> {
    const status = {
      queued: 'queued',
      running: 'processing',
      succeeded: 'completed',
      failed: 'failed',
      cancelled: 'failed',
    }[t.phase];
    const m = t.media;
    return {
      id: t.id,
      object: 'video',
      created: Math.floor(t.createdAt / 1000),
      model: t.model,
      status,
      video_url: t.phase === 'succeeded' && m ? m.videoUrl : null,
      ...(t.phase === 'succeeded' && m
        ? {
            actualDuration: m.duration,
            totalTokens: Math.floor((m.width * m.height * (24 * m.duration + 1)) / 1024),
          }
        : {}),
      ...(t.phase === 'failed' ? { error: t.failMessage ?? 'generation failed' } : { error: null }),
    };
  }

  return {
    kind: 'xingchao',
    basePath: BASE,
    route(method, pathname) {
      if (pathname === `${BASE}/v1/kyyvideo2/videos`) return method === 'POST' ? 'create' : undefined;
      if (pathname.startsWith(`${BASE}/v1/result/`) && !pathname.slice(BASE.length + 11).includes('/'))
        return method === 'GET' ? 'get' : undefined;
      return undefined;
    },
    authorize(headers: http.IncomingHttpHeaders) {
      const m = /^Bearer\s+(\S+)$/.exec(headers.authorization ?? '');
      if (m && (o.apiKey === undefined || m[1] === o.apiKey)) return undefined;
      return fail(401, 'Invalid API key', 'authentication_error');
    },
    async handle(req) {
      if (req.route === 'create') return create(req);
      if (req.route === 'get') {
        const t = engine.get(idFrom(req.path));
        return t ? { status: 200, json: view(t) } : fail(404, 'task not found', 'not_found');
      }
      return fail(404, 'not found', 'not_found');
    },
    hold: (phases) => engine.hold(phases),
    error: (status, _code, message) =>
      fail(status, message, status === 429 ? 'rate_limit_error' : 'server_error'),
    garbage: (route: Route) => (route === 'get' ? { id: ['x'], status: 42 } : { object: 'list', data: [] }),
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
