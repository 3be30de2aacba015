// inference.sh as docs/gateways.md §2.4 describes it, both wire versions: with `X-API-Version: 2`
// bare DTOs and problem+json errors, without it the v1 `{success, data}` envelope. POST /apps/run
// and /run (each can be switched off), GET /tasks/{id}, POST /tasks/{id}/cancel. Integer statuses
// in the current or the older numbering, `status_text` optional, output.video as a URL string or a
// file object — every variant the client must survive.
import { randomBytes } from 'node:crypto';
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
  type Phase,
  type TaskEngineOptions,
} from './tasks';

export interface InferenceMockOptions extends TaskEngineOptions {
  apiKey?: string;
  /** Run endpoints that exist (default both). */
  runPaths?: ('/apps/run' | '/run')[];
  numbering?: 'current' | 'legacy';
  /** Send `status_text` beside the integer (TaskResultDTO has it; TaskDTO does not). */
  statusText?: boolean;
  /** output.video as a URL string, a file object with `uri`, or one with `url`. */
  output?: 'string' | 'uri' | 'url';
  /** Credits on the account; a run that costs more gets 402. */
  credits?: number;
}

const APPS: Record<string, Resolution[]> = {
  'bytedance/seedance-2-0': ['480p', '720p', '1080p'],
  'bytedance/seedance-2-0-fast': ['480p', '720p'],
};
const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'];
const INPUTS = [
  'prompt',
  'image',
  'end_image',
  'reference_image',
  'reference_image_2',
  'reference_image_3',
  'reference_video',
  'reference_audio',
  'resolution',
  'ratio',
  'duration',
  'generate_audio',
  'seed',
  'watermark',
];
const RUN_FIELDS = [
  'app',
  'app_id',
  'version_id',
  'input',
  'webhook',
  'wait',
  'stream',
  'infra',
  'setup',
  'session',
  'metadata',
  'workers',
  'function',
  'session_timeout',
  'run_at',
];
const NUMBERS: Record<'current' | 'legacy', Record<Phase, number>> = {
  current: { queued: 2, running: 7, succeeded: 10, failed: 11, cancelled: 12 },
  legacy: { queued: 2, running: 7, succeeded: 9, failed: 10, cancelled: 11 },
};

type Body = Record<string, unknown>;

const isV2 = (headers: http.IncomingHttpHeaders | undefined) => headers?.['x-api-version'] === '2';

export function createInferenceProtocol(all: MockGatewayOptions, media: MediaStore): MockProtocol {
  const o = all as MockGatewayOptions & InferenceMockOptions;
  const engine = createTaskEngine<Body>(o, media);
  const runPaths: string[] = o.runPaths ?? ['/apps/run', '/run'];
  const numbering = o.numbering ?? 'current';
  let credits = o.credits ?? Infinity;

  const ok = (headers: http.IncomingHttpHeaders, dto: unknown, status = 200): ProtocolResponse =>
    isV2(headers) ? { status, json: dto } : { status, json: { success: true, data: dto } };
  const fail = (
    headers: http.IncomingHttpHeaders | undefined,
    status: number,
    detail: string,
    extra: object = {},
  ): ProtocolResponse =>
    isV2(headers)
      ? {
          status,
          json: { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra },
          headers: { 'Content-Type': 'application/problem+json' },
        }
      : { status, json: { success: false, error: { message: detail } } };

  const fileOk = (v: unknown, kind: 'image' | 'audio') =>
    isMediaUrl(v) || (typeof v === 'string' && new RegExp(`^data:${kind}/[a-z0-9.+-]+;base64,`).test(v));

  function validate(raw: unknown) {
    const b = check.object(raw);
    check.onlyKnown(b, RUN_FIELDS);
    const app = typeof b.app === 'string' ? b.app.replace(/@.*$/, '') : '';
    if (!APPS[app]) throw new BadRequest(`app ${String(b.app)} not found`, 'app', 404);
    const i = check.object(b.input, 'input');
    const at = 'input.';
    check.onlyKnown(i, INPUTS, at);
    if (typeof i.prompt !== 'string') throw new BadRequest('input.prompt is required', 'input.prompt', 422);
    check.oneOf(i, 'resolution', APPS[app]!, at);
    check.oneOf(i, 'ratio', RATIOS, at);
    check.int(i, 'duration', 4, 15, [-1], at);
    check.int(i, 'seed', -1, 2147483647, [], at);
    check.bool(i, 'generate_audio', at);
    check.bool(i, 'watermark', at);
    for (const k of ['image', 'end_image', 'reference_image', 'reference_image_2', 'reference_image_3'])
      if (i[k] !== undefined && !fileOk(i[k], 'image'))
        throw new BadRequest(`${at}${k} must be a URL or a data URI`, `${at}${k}`, 422);
    if (i.reference_audio !== undefined && !fileOk(i.reference_audio, 'audio'))
      throw new BadRequest(`${at}reference_audio must be a URL or a data URI`, `${at}reference_audio`, 422);
    // Upstream takes video only by URL (§3.1).
    if (i.reference_video !== undefined && !isMediaUrl(i.reference_video))
      throw new BadRequest(`${at}reference_video must be provided as a web url`, `${at}reference_video`, 422);
    if (i.end_image !== undefined && i.image === undefined)
      throw new BadRequest(`${at}end_image requires ${at}image`, `${at}end_image`, 422);
    const refs = [
      'reference_image',
      'reference_image_2',
      'reference_image_3',
      'reference_video',
      'reference_audio',
    ].filter((k) => i[k] !== undefined);
    if (i.image !== undefined && refs.length)
      throw new BadRequest(`${at}image cannot be combined with reference_* inputs`, `${at}image`, 422);
    const images = ['reference_image', 'reference_image_2', 'reference_image_3'].filter(
      (k) => i[k] !== undefined,
    );
    if (i.reference_audio !== undefined && !images.length && i.reference_video === undefined)
      throw new BadRequest(`${at}reference_audio needs an image or a video`, `${at}reference_audio`, 422);
    return { app, i, images: images.map((k) => i[k] as string) };
  }

  function create(req: ProtocolRequest): ProtocolResponse {
    let v: ReturnType<typeof validate>;
    try {
      v = validate(jsonBody(req));
    } catch (e) {
      if (e instanceof BadRequest) return fail(req.headers, e.status, e.message);
      throw e;
    }
    const { i } = v;
    const duration = typeof i.duration === 'number' && i.duration > 0 ? i.duration : 5;
    const cost = duration;
    if (cost > credits) return fail(req.headers, 402, 'insufficient credits');
    credits -= cost;
    const kind = req.fault?.kind;
    const id = `task_${randomBytes(8).toString('hex')}`;
    const t = engine.create({
      id,
      model: v.app,
      body: { app: v.app, input: i },
      spec: {
        prompt: i.prompt as string,
        ...(i.image ? { firstFrame: i.image as string } : {}),
        ...(i.end_image ? { lastFrame: i.end_image as string } : {}),
        referenceImages: v.images,
        referenceAudios: i.reference_audio ? [i.reference_audio as string] : [],
        duration,
        ratio: ((i.ratio as Ratio | undefined) ?? 'adaptive') as Ratio,
        resolution: ((i.resolution as Resolution | undefined) ?? '720p') as Resolution,
        generateAudio: i.generate_audio === true,
        seed: typeof i.seed === 'number' ? i.seed : -1,
      },
      ...(kind === 'fail_task' || kind === 'expire_task'
        ? { failMessage: req.fault?.message ?? 'output video flagged by content moderation' }
        : {}),
    });
    if (kind === 'reset_after_create') return { status: 0, reset: true };
    if (kind === 'malformed') return { status: 200, raw: `{"id": "${t.id}", "status": ` };
    if (kind === 'garbage') return { status: 200, json: { success: true, data: { task: t.id } } };
    return ok(req.headers, dto(t));
  }

  function dto(t: EngineTask<Body>): Record<string, unknown> {
    const status = NUMBERS[numbering][t.phase];
    const m = t.media;
    const video =
      t.phase === 'succeeded' && m
        ? o.output === 'uri'
          ? { uri: m.videoUrl, content_type: 'video/mp4', filename: 'output.mp4' }
          : o.output === 'url'
            ? { url: m.videoUrl, content_type: 'video/mp4' }
            : m.videoUrl
        : undefined;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: t.id,
      short_id: t.id.slice(5, 13),
      created_at: iso(t.createdAt),
      updated_at: iso(t.updatedAt),
      status,
      ...(o.statusText ? { status_text: TEXT[t.phase] } : {}),
      app_id: t.model,
      app_version_id: 'v-1',
      input: t.body.input,
      output: video ? { video } : null,
      error: t.phase === 'failed' ? (t.failMessage ?? 'task failed') : '',
      webhook: null,
      session_id: null,
      events: [],
      logs: [],
      usage_events: [],
    };
  }

  return {
    kind: 'inference',
    basePath: '',
    route(method, pathname) {
      if (runPaths.includes(pathname)) return method === 'POST' ? 'create' : undefined;
      if (/^\/tasks\/[^/]+$/.test(pathname)) return method === 'GET' ? 'get' : undefined;
      if (/^\/tasks\/[^/]+\/cancel$/.test(pathname)) return method === 'POST' ? 'delete' : undefined;
      return undefined;
    },
    authorize(headers: http.IncomingHttpHeaders) {
      const m = /^Bearer\s+(\S+)$/.exec(headers.authorization ?? '');
      if (m && (o.apiKey === undefined || m[1] === o.apiKey)) return undefined;
      return fail(headers, 401, 'invalid or missing API key');
    },
    async handle(req) {
      if (req.route === 'create') return create(req);
      if (req.route === 'get') {
        const t = engine.get(idFrom(req.path));
        return t ? ok(req.headers, dto(t)) : fail(req.headers, 404, 'task not found');
      }
      if (req.route === 'delete') {
        const id = idFrom(req.path, 1);
        const t = engine.get(id);
        if (!t) return fail(req.headers, 404, 'task not found');
        if (!engine.cancel(id)) return fail(req.headers, 409, `task ${id} can no longer be cancelled`);
        return { status: 204 };
      }
      return fail(req.headers, 404, 'not found');
    },
    hold: (phases) => engine.hold(phases),
    error: (status, _code, message, _requestId, _param, headers) => fail(headers, status, message),
    garbage: () => ({ success: true, data: { id: 42 } }),
    ownsFault: (route: Route, kind: FaultKind) =>
      route === 'create' &&
      ['malformed', 'garbage', 'reset_after_create', 'fail_task', 'expire_task'].includes(kind),
    stats() {
      return {
        creates: engine.creates,
        tasks: engine.all().map((t) => ({
          id: t.id,
          model: t.model,
          status: NUMBERS[numbering][t.phase],
          phase: t.phase,
          createdAt: t.createdAt,
        })),
      };
    },
    close: () => engine.close(),
  };
}

const TEXT: Record<Phase, string> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};
