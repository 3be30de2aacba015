// What can go wrong talking to a gateway, as one error type the runner's retry policy and each
// provider's advice table can reason about.

export type GatewayErrorKind = 'http' | 'network' | 'timeout' | 'malformed';

export interface GatewayErrorInit {
  kind: GatewayErrorKind;
  /** What we were doing, in the user's words: "create the task", "check task cgt-…". */
  what: string;
  status?: number;
  code?: string;
  param?: string;
  type?: string;
  /** The server's request id when it sent one, else the id we sent (X-Client-Request-Id). */
  requestId?: string;
  /** The request may have reached the server: a non-idempotent call may have taken effect. */
  maybeProcessed: boolean;
  /** The server's x-should-retry verdict, when it gave one. */
  shouldRetry?: boolean;
  retryAfterMs?: number;
}

export class GatewayError extends Error {
  readonly kind: GatewayErrorKind;
  readonly what: string;
  readonly status?: number;
  readonly code?: string;
  readonly param?: string;
  readonly type?: string;
  readonly requestId?: string;
  readonly maybeProcessed: boolean;
  readonly shouldRetry?: boolean;
  readonly retryAfterMs?: number;

  constructor(message: string, init: GatewayErrorInit) {
    super(message);
    this.name = 'GatewayError';
    this.kind = init.kind;
    this.what = init.what;
    this.maybeProcessed = init.maybeProcessed;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.param !== undefined) this.param = init.param;
    if (init.type !== undefined) this.type = init.type;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.shouldRetry !== undefined) this.shouldRetry = init.shouldRetry;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

export function isGatewayError(e: unknown): e is GatewayError {
  return e instanceof GatewayError;
}

/**
 * Whether a failed call may be repeated as is. A 400 never is (the same body fails the same way);
 * the server's x-should-retry wins otherwise. A non-idempotent call (create) is only repeated when
 * the server certainly did not act on it — everything else is for the caller to reconcile.
 */
export function isRetryable(e: GatewayError, idempotent: boolean): boolean {
  if (e.status === 400) return false;
  if (e.shouldRetry !== undefined) return e.shouldRetry;
  const s = e.status;
  if (!idempotent) {
    if (s === 429) return true;
    return (e.kind === 'network' || e.kind === 'timeout') && !e.maybeProcessed;
  }
  if (e.kind !== 'http') return true;
  return s === 408 || s === 409 || s === 429 || (s !== undefined && s >= 500);
}

/** Failures after which a create call's outcome is unknown: a task may or may not exist. */
export function isAmbiguousCreateFailure(e: GatewayError): boolean {
  if (e.kind === 'http') {
    const s = e.status ?? 0;
    return s === 408 || s === 409 || s >= 500;
  }
  return e.maybeProcessed;
}
