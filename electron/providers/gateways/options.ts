// A gateway's options from the environment: its key and base URL, the user's media host, the
// network deadlines (gateways/limits.ts), and the test knobs SHOTGRAPH_POLL_MS / SHOTGRAPH_RETRY_MS
// ("initial[,max]" ms) that let suites run the same code with millisecond intervals.
import { CAPABILITIES, usesMediaHost, type GatewayName } from '../../../shared/seedance/capabilities';
import { DEFAULT_RETRY } from '../remote/http';
import { mediaHostFromEnv } from '../remote/media-host';
import { parseMsPair } from '../remote/timing';
import type { GatewayOptions } from './adapter';
import { limitsFromEnv } from './limits';

export function optionsFromEnv(gateway: GatewayName, env: NodeJS.ProcessEnv): GatewayOptions {
  const caps = CAPABILITIES[gateway];
  const poll = parseMsPair(env.SHOTGRAPH_POLL_MS);
  const retry = parseMsPair(env.SHOTGRAPH_RETRY_MS);
  const backoff = retry && {
    initialMs: retry.initialMs,
    maxMs: retry.maxMs ?? retry.initialMs * 16,
    factor: 2,
  };
  const limits = limitsFromEnv(env);
  // A malformed host was reported by the plan; a caller that skipped it gets the error here.
  const mediaHost = usesMediaHost(gateway) ? mediaHostFromEnv(env) : undefined;
  return {
    apiKey: (env[caps.keyEnv] ?? '').trim(), // a pasted key often carries a newline
    ...(mediaHost ? { mediaHost } : {}),
    ...(env[caps.baseUrlEnv] ? { baseUrl: env[caps.baseUrlEnv] } : {}),
    ...(poll
      ? { poll: { initialMs: poll.initialMs, maxMs: poll.maxMs ?? poll.initialMs * 6, factor: 1.5 } }
      : {}),
    ...(backoff ? { retry: { ...DEFAULT_RETRY, backoff }, download: { backoff } } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}
