// Shared set-up for the third-party gateway suites: a real mock gateway on 127.0.0.1, a real journal
// on disk, and the gateway's provider tuned to millisecond intervals (no fake timers).
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { openJournal, type Journal } from '../../electron/engine/journal';
import { apiframeAdapter } from '../../electron/providers/apiframe';
import {
  GatewayProvider,
  type GatewayAdapter,
  type GatewayOptions,
} from '../../electron/providers/gateways/runner';
import { inferenceAdapter, type InferenceOptions } from '../../electron/providers/inference';
import type { RetryInfo } from '../../electron/providers/remote/http';
import { seed2Adapter } from '../../electron/providers/seed2';
import type { ShotContext, ShotRequest } from '../../electron/providers/types';
import { xingchaoAdapter } from '../../electron/providers/xingchao';
import type { GatewayName } from '../../shared/seedance/capabilities';
import type { MockGateway } from '../mocks/gateway';
import { shot, tempDir } from './helpers';

export type ThirdParty = Exclude<GatewayName, 'ark'>;
export const THIRD_PARTY: ThirdParty[] = ['seed2', 'apiframe', 'xingchao', 'inference'];

/**
 * Keys shaped like each gateway's, made fresh each run: unique enough that any echo of them is
 * unmistakable, and never a key-shaped literal in the repository.
 */
const fresh = () => randomBytes(16).toString('hex');
export const GATEWAY_KEYS: Record<ThirdParty, string> = {
  seed2: `sk-s2-${fresh()}`,
  apiframe: `afk_${fresh()}`,
  xingchao: `xc-live-${fresh()}`,
  inference: `inf_${fresh()}`,
};
/** An Apiframe key the mock knows but treats as disabled ("API key is inactive"). */
export const INACTIVE_APIFRAME_KEY = `afk_${fresh()}`;

export function adapterFor(name: ThirdParty, inference: InferenceOptions = {}): GatewayAdapter<unknown> {
  const a = { seed2: seed2Adapter, apiframe: apiframeAdapter, xingchao: xingchaoAdapter }[name as 'seed2'];
  return (name === 'inference' ? inferenceAdapter(inference) : a) as GatewayAdapter<unknown>;
}

/** A shot every gateway renders: 720p where the resolution is fixed, short, text only. */
export function gatewayShot(name: ThirdParty, overrides: Partial<ShotRequest> = {}): ShotRequest {
  return shot({
    resolution: name === 'seed2' || name === 'xingchao' ? '720p' : '480p',
    duration: 4,
    prompt: 'A lighthouse at dawn, slow push in',
    ...overrides,
  });
}

export interface GatewayHarness {
  dir: string;
  journal: Journal;
  retries: RetryInfo[];
  provider(extra?: Partial<GatewayOptions> & { inference?: InferenceOptions }): GatewayProvider<unknown>;
  ctx(
    req: ShotRequest,
    signal?: AbortSignal,
  ): Promise<ShotContext & { messages: string[]; taskIds: string[] }>;
  close(): Promise<void>;
}

export async function gatewayHarness(gw: MockGateway, name: ThirdParty): Promise<GatewayHarness> {
  const dir = await tempDir(`shotgraph-${name}-`);
  const journal = await openJournal(path.join(dir, 'state'));
  const retries: RetryInfo[] = [];
  let n = 0;
  return {
    dir,
    journal,
    retries,
    provider: ({ inference, ...extra } = {}) =>
      new GatewayProvider(adapterFor(name, inference), {
        apiKey: GATEWAY_KEYS[name],
        baseUrl: gw.url,
        poll: { initialMs: 20, maxMs: 80, factor: 1.5 },
        retry: { attempts: 5, backoff: { initialMs: 10, maxMs: 80, factor: 2 }, maxRetryAfterMs: 5000 },
        download: { attempts: 4, backoff: { initialMs: 10, maxMs: 80, factor: 2 } },
        onRetry: (r) => retries.push(r),
        ...extra,
      }),
    async ctx(req, signal) {
      const outDir = path.join(dir, 'out', `${req.nodeId}-${++n}`);
      await mkdir(outDir, { recursive: true });
      const messages: string[] = [];
      const taskIds: string[] = [];
      return {
        signal: signal ?? new AbortController().signal,
        outDir,
        progress: (_f, m) => {
          if (m) messages.push(m);
        },
        submitted: (id) => taskIds.push(id),
        journal: journal.forShot(req.key, req.nodeId, name),
        messages,
        taskIds,
      };
    },
    async close() {
      await journal.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The create bodies the mock received, oldest first. */
export function createBodies(gw: MockGateway): Record<string, unknown>[] {
  return gw
    .stats()
    .log.filter((e) => e.route === 'create' && e.status !== 404)
    .map((e) => e.body as Record<string, unknown>);
}
