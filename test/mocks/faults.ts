// Fault injection for the mock gateways, shared by every protocol: a seeded random rate (mixed
// kinds, reproducible) and/or a script ("the 2nd create resets after creating the task").

export const ROUTES = ['create', 'get', 'list', 'delete', 'download'] as const;
export type Route = (typeof ROUTES)[number];

export type FaultKind =
  /** 429 with Retry-After (seconds from `retryAfterSec`, default 1). */
  | 'rate_limit'
  /** 500 InternalServiceError, nothing done. */
  | 'server_error'
  /** Connection destroyed before anything is done. */
  | 'reset'
  /** 200 with a body that is not JSON. On create the task IS made first (the client must reconcile). */
  | 'malformed'
  /** 200 with valid JSON of the wrong shape. On create the task IS made first. */
  | 'garbage'
  /** Create only: the task is made, then the connection is destroyed before the answer. */
  | 'reset_after_create'
  /** Download only: full Content-Length is promised, half the bytes are sent, then the connection dies. */
  | 'truncate'
  /** Download only: the file is served cut short (80 %) with a Content-Length that matches the cut. */
  | 'short'
  /** Download only: the full length is promised, then one byte every `intervalMs` (default 200). */
  | 'trickle'
  /** Download only: the full length, with the first quarter overwritten by garbage. */
  | 'corrupt'
  /** The request is read and never answered (the connection stays open until the client gives up). */
  | 'hang'
  /** Create only: the connection is dropped before the answer, and the task is made `delayMs` later. */
  | 'late_create'
  /** Create only: accepted, and the task later ends `failed` (code from `code`). */
  | 'fail_task'
  /** Create only: accepted, and the task later ends `expired`. */
  | 'expire_task'
  /** An error with the given status/code/param (e.g. 403 AccountOverdueError; on a download, an expired link). */
  | 'error';

export interface ScriptedFault {
  route: Route | 'any';
  kind: FaultKind;
  /** Only calls whose path contains this (e.g. "video.mp4" for a clip's download). */
  match?: string;
  /** Start at the n-th call (1-based) on that route; default: the next matching call. */
  nth?: number;
  /** How many matching calls it hits (default 1; Infinity for all). */
  times?: number;
  retryAfterSec?: number;
  status?: number;
  code?: string;
  message?: string;
  param?: string;
  /** late_create: how long after the dropped answer the task is made. */
  delayMs?: number;
  /** trickle: the pause between bytes. */
  intervalMs?: number;
}

export interface FaultPlan {
  /** Probability that any eligible call is faulted. */
  rate?: number;
  /** Kinds drawn from (only those that apply to the route). Default: every kind that costs no extra create. */
  kinds?: FaultKind[];
  /** Routes the random faults apply to (default all). */
  routes?: Route[];
  /**
   * Kinds per route, overriding `kinds` there (e.g. only 429s on create, for a gateway whose lost
   * create answers cannot be reconciled).
   */
  routeKinds?: Partial<Record<Route, FaultKind[]>>;
  seed?: number;
  script?: ScriptedFault[];
  retryAfterSec?: number;
  /** Error code of `fail_task` tasks. */
  failCode?: string;
}

export interface Fault {
  kind: FaultKind;
  retryAfterSec: number;
  status?: number;
  code?: string;
  message?: string;
  param?: string;
  delayMs?: number;
  intervalMs?: number;
}

const APPLIES: Record<FaultKind, readonly Route[]> = {
  rate_limit: ROUTES,
  server_error: ROUTES,
  reset: ROUTES,
  malformed: ['create', 'get', 'list', 'delete'],
  garbage: ['create', 'get', 'list'],
  reset_after_create: ['create'],
  truncate: ['download'],
  short: ['download'],
  trickle: ['download'],
  corrupt: ['download'],
  hang: ROUTES,
  late_create: ['create'],
  fail_task: ['create'],
  expire_task: ['create'],
  error: ROUTES,
};

/** Mixed kinds for a random plan: none of them legitimately needs another paid create. */
export const DEFAULT_RANDOM_KINDS: FaultKind[] = [
  'rate_limit',
  'server_error',
  'reset',
  'malformed',
  'garbage',
  'reset_after_create',
  'truncate',
];

/** mulberry32: tiny, seedable, good enough to spread faults reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private plan: FaultPlan = {};
  private random: () => number = Math.random;
  private script: (ScriptedFault & { left: number })[] = [];
  private readonly calls: Record<Route, number> = { create: 0, get: 0, list: 0, delete: 0, download: 0 };

  constructor(plan?: FaultPlan) {
    this.set(plan ?? {});
  }

  set(plan: FaultPlan): void {
    this.plan = plan;
    this.random = plan.seed !== undefined ? seededRandom(plan.seed) : Math.random;
    this.script = (plan.script ?? []).map((s) => ({ ...s, left: s.times ?? 1 }));
  }

  get failCode(): string {
    return this.plan.failCode ?? 'OutputVideoSensitiveContentDetected';
  }

  /** Decides the fault (if any) for the next call on `route`; every call counts, faulted or not. */
  next(route: Route, path = ''): Fault | undefined {
    const n = ++this.calls[route];
    for (const s of this.script) {
      if (s.left <= 0 || (s.route !== 'any' && s.route !== route) || (s.nth !== undefined && n < s.nth))
        continue;
      if (s.match !== undefined && !path.includes(s.match)) continue;
      if (!APPLIES[s.kind].includes(route)) continue;
      s.left--;
      return this.fault(s.kind, s);
    }
    const rate = this.plan.rate ?? 0;
    if (rate <= 0 || (this.plan.routes && !this.plan.routes.includes(route))) return undefined;
    if (this.random() >= rate) return undefined;
    const kinds = (this.plan.routeKinds?.[route] ?? this.plan.kinds ?? DEFAULT_RANDOM_KINDS).filter((k) =>
      APPLIES[k].includes(route),
    );
    if (!kinds.length) return undefined;
    return this.fault(kinds[Math.floor(this.random() * kinds.length)] as FaultKind, {});
  }

  private fault(kind: FaultKind, s: Partial<ScriptedFault>): Fault {
    return {
      kind,
      retryAfterSec: s.retryAfterSec ?? this.plan.retryAfterSec ?? 1,
      ...(s.status !== undefined ? { status: s.status } : {}),
      ...(s.code !== undefined ? { code: s.code } : kind === 'fail_task' ? { code: this.failCode } : {}),
      ...(s.message !== undefined ? { message: s.message } : {}),
      ...(s.param !== undefined ? { param: s.param } : {}),
      ...(s.delayMs !== undefined ? { delayMs: s.delayMs } : {}),
      ...(s.intervalMs !== undefined ? { intervalMs: s.intervalMs } : {}),
    };
  }
}
