// Gateways that report errors inside a 200 answer (seed2.io's `code/message/data`, inference.sh v1's
// `{success:false}`): the envelope is opened after the shared HTTP runner has done its part, and an
// error found inside is treated exactly like the HTTP status it stands for — same retry rules, same
// "a create that may have happened is never repeated".
import type { z } from 'zod';
import { GatewayError, isRetryable } from '../remote/errors';
import type { HttpClient, JsonCall, RetryInfo, RetryPolicy } from '../remote/http';
import { backoffDelay, sleep as realSleep, type Sleep } from '../remote/timing';

export type Opened<T> =
  | { ok: true; value: T }
  /** `status` is the HTTP status the error stands for; `malformed` when the inside is garbage. */
  | { ok: false; status?: number; code?: string; message: string; malformed?: boolean };

export interface EnvelopeOptions {
  gateway: string;
  retry: RetryPolicy;
  sleep?: Sleep;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export async function envelopedJson<E, T>(
  http: HttpClient,
  call: JsonCall<E>,
  open: (body: E) => Opened<T>,
  o: EnvelopeOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const r = await http.json(call);
    const opened = open(r.data);
    if (opened.ok) return opened.value;
    const err = new GatewayError(
      http.redact(
        opened.malformed
          ? `${o.gateway} sent an unexpected answer when asked to ${call.what}: ${opened.message} (request id ${r.requestId})`
          : `${o.gateway} could not ${call.what}: ${opened.code ? `${opened.code}: ` : ''}${opened.message} (request id ${r.requestId})`,
      ),
      {
        kind: opened.malformed ? 'malformed' : 'http',
        what: call.what,
        requestId: r.requestId,
        maybeProcessed: true,
        ...(opened.status !== undefined && !opened.malformed ? { status: opened.status } : {}),
        ...(opened.code ? { code: opened.code } : {}),
      },
    );
    if (!isRetryable(err, call.idempotent) || attempt + 1 >= o.retry.attempts) throw err;
    const delayMs = backoffDelay(o.retry.backoff, attempt, o.random);
    o.onRetry?.({
      what: call.what,
      attempt: attempt + 1,
      delayMs,
      reason: err.message,
      ...(err.status !== undefined ? { status: err.status } : {}),
      requestId: r.requestId,
    });
    await (o.sleep ?? realSleep)(delayMs, call.signal);
  }
}

/** An envelope's numeric error code read as the HTTP status it most likely mirrors; else a plain refusal. */
export function statusForCode(code: number): number {
  return code >= 400 && code <= 599 ? code : 400;
}

/** Parses `value` with `schema`, or says which field is wrong (for answers inside an envelope). */
export function parseInner<T>(schema: z.ZodType<T>, value: unknown): Opened<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return {
    ok: false,
    malformed: true,
    message: `${issue?.path.join('.') || 'data'}: ${issue?.message ?? 'invalid'}`,
  };
}
