// seed2.io as docs/gateways.md §2.1 describes it: POST /v1/video/generate, GET /v1/tasks/{id}; every
// answer in a `{code, message, data}` envelope, errors by default inside an HTTP 200 (§2.1's 🔶
// advice for the mock; `httpErrors: 'mirror'` sends the status too); integer task ids; credits per
// second, refunded on failure. Media must be URLs.
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

export interface Seed2MockOptions extends TaskEngineOptions {
  apiKey?: string;
  /** 'ok' (default): errors ride in an HTTP 200 envelope; 'mirror': the HTTP status matches `code`. */
  httpErrors?: 'ok' | 'mirror';
  /** Credits on the account (default plenty). */
  balance?: number;
  /** Reject fields §2.1 does not document (whether the server does is unknown, §5.5). */
  strict?: boolean;
}

const MODELS = ['seedance_2.0_fast', 'seedance_2.0'];
const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'];
const FIELDS = ['prompt', 'model', 'duration', 'ratio', 'image_files', 'video_files', 'audio_files'];
/** Credits per second: [text/image inputs, with video or audio input] (§2.1). */
const RATES: Record<string, [number, number]> = {
  'seedance_2.0_fast': [580, 1160],
  'seedance_2.0': [1160, 2320],
};

type Body = Record<string, unknown> & { points: number };

export function createSeed2Protocol(all: MockGatewayOptions, media: MediaStore): MockProtocol {
  const o = all as MockGatewayOptions & Seed2MockOptions;
  const engine = createTaskEngine<Body>(o, media);
  let nextId = 456;
  let balance = o.balance ?? 100_000_000;

  const envelope = (
    status: number,
    code: number,
    message: string,
    data: unknown = null,
  ): ProtocolResponse => ({
    status: o.httpErrors === 'mirror' ? status : 200,
    json: { code, message, data },
  });
  const fail = (status: number, message: string) => envelope(status, status, message);

  function validate(raw: unknown): { body: Record<string, unknown>; model: string; duration: number } {
    const b = check.object(raw);
    if (o.strict !== false) check.onlyKnown(b, FIELDS);
    if (typeof b.prompt !== 'string' || !b.prompt.trim())
      throw new BadRequest('prompt is required', 'prompt');
    check.oneOf(b, 'model', MODELS);
    check.int(b, 'duration', 4, 15);
    check.oneOf(b, 'ratio', RATIOS);
    check.urls(b, 'image_files', 9, (v) => isMediaUrl(v));
    check.urls(b, 'video_files', 3, (v) => isMediaUrl(v));
    check.urls(b, 'audio_files', 3, (v) => isMediaUrl(v));
    return {
      body: b,
      model: (b.model as string | undefined) ?? 'seedance_2.0_fast',
      duration: (b.duration as number | undefined) ?? 5,
    };
  }

  function create(req: ProtocolRequest): ProtocolResponse {
    let v: ReturnType<typeof validate>;
    try {
      v = validate(jsonBody(req));
    } catch (e) {
      if (e instanceof BadRequest) return fail(e.status, e.message);
      throw e;
    }
    const b = v.body;
    const withMedia = Array.isArray(b.video_files) || Array.isArray(b.audio_files);
    const points = RATES[v.model]![withMedia ? 1 : 0] * v.duration;
    if (points > balance)
      return fail(402, `insufficient points: this task costs ${points}, the balance is ${balance}`);
    balance -= points;
    const kind = req.fault?.kind;
    const images = (b.image_files as string[] | undefined) ?? [];
    const t = engine.create({
      id: String(nextId++),
      model: v.model,
      body: { ...b, points },
      spec: {
        prompt: b.prompt as string,
        // No roles: like the real gateway, the prompt decides; the mock opens on image 1 when told so.
        ...(images[0] && /@image_file_1 is the first frame/.test(b.prompt as string)
          ? { firstFrame: images[0] }
          : {}),
        referenceImages: images,
        referenceAudios: (b.audio_files as string[] | undefined) ?? [],
        duration: v.duration,
        ratio: ((b.ratio as Ratio | undefined) ?? '16:9') as Ratio,
        resolution: '720p' as Resolution,
        generateAudio: true,
        seed: -1,
      },
      ...(kind === 'fail_task' || kind === 'expire_task'
        ? {
            failMessage:
              req.fault?.message ??
              'content policy violation: the output video may contain sensitive information',
          }
        : {}),
    });
    const data = { task_id: Number(t.id), status: 'pending', points_cost: points, balance };
    if (kind === 'reset_after_create') return { status: 0, reset: true };
    if (kind === 'malformed')
      return { status: 200, raw: `{"code":0,"message":"ok","data":{"task_id":${t.id}` };
    if (kind === 'garbage') return { status: 200, json: { code: 0, message: 'ok', data: { job: t.id } } };
    return { status: 200, json: { code: 0, message: 'ok', data } };
  }

  function view(t: EngineTask<Body>): Record<string, unknown> {
    const status = {
      queued: 'pending',
      running: 'processing',
      succeeded: 'completed',
      failed: 'failed',
      cancelled: 'failed',
    }[t.phase];
    const out: Record<string, unknown> = { id: Number(t.id), status, points_cost: t.body.points };
    if (t.phase === 'succeeded' && t.media)
      out.result = { video_url: t.media.videoUrl, duration: t.media.duration };
    if (t.phase === 'failed') {
      out.result = { error: t.failMessage ?? 'Task failed' };
    }
    return out;
  }

  return {
    kind: 'seed2',
    basePath: '',
    route(method, pathname) {
      if (pathname === '/v1/video/generate') return method === 'POST' ? 'create' : undefined;
      if (/^\/v1\/tasks\/[^/]+$/.test(pathname)) return method === 'GET' ? 'get' : undefined;
      return undefined;
    },
    authorize(headers: http.IncomingHttpHeaders) {
      const m = /^Bearer\s+(\S+)$/.exec(headers.authorization ?? '');
      if (m && (o.apiKey === undefined || m[1] === o.apiKey)) return undefined;
      return fail(401, 'invalid api key');
    },
    async handle(req) {
      if (req.route === 'create') return create(req);
      if (req.route === 'get') {
        const t = engine.get(idFrom(req.path));
        if (!t) return fail(404, 'task not found');
        // Credits come back when a task fails (§2.1).
        if (t.phase === 'failed' && !t.body.refunded) {
          t.body.refunded = true;
          balance += t.body.points;
        }
        return { status: 200, json: { code: 0, message: 'ok', data: view(t) } };
      }
      return fail(404, 'not found');
    },
    hold: (phases) => engine.hold(phases),
    error: (status, _code, message) => fail(status, message),
    garbage: (route: Route) =>
      route === 'get'
        ? { code: 0, message: 'ok', data: { id: 'seven', status: 'dancing' } }
        : { code: 0, message: 'ok', data: { job: null } },
    ownsFault: (route: Route, kind: FaultKind) =>
      route === 'create' &&
      ['malformed', 'garbage', 'reset_after_create', 'fail_task', 'expire_task'].includes(kind),
    stats() {
      return {
        creates: engine.creates,
        balance,
        tasks: engine.all().map((t) => ({
          id: t.id,
          model: t.model,
          status: view(t).status,
          phase: t.phase,
          createdAt: t.createdAt,
          points: t.body.points,
        })),
      };
    },
    close: () => engine.close(),
  };
}
