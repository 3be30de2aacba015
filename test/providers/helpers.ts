// Shared set-up for the provider suites: a real mock gateway on 127.0.0.1, a real journal on disk,
// and an Ark provider tuned to millisecond intervals so the suites stay fast without fake timers.
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openJournal, type Journal } from '../../electron/engine/journal';
import { ArkProvider, type ArkOptions } from '../../electron/providers/ark';
import type { RetryInfo } from '../../electron/providers/remote/http';
import type { ShotContext, ShotRequest } from '../../electron/providers/types';
import type { LogEntry, MockGateway } from '../mocks/gateway';

/** A key shaped like a real one, unique enough that any echo of it is unmistakable. */
export const TEST_KEY = 'ark-test-5f1c9e2b7d4a4e8f9c3b1a0d6e2f8c47';

export function tempDir(prefix = 'shotgraph-ark-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export function shot(overrides: Partial<ShotRequest> = {}): ShotRequest {
  return {
    nodeId: 'shot1',
    key: `key-${Math.random().toString(36).slice(2)}`,
    prompt: 'A lighthouse at dawn, slow push in',
    referenceImages: [],
    referenceVideos: [],
    referenceAudios: [],
    model: 'seedance-2.0',
    duration: 4,
    ratio: '16:9',
    resolution: '480p',
    generateAudio: true,
    seed: -1,
    watermark: false,
    ...overrides,
  };
}

export interface Harness {
  dir: string;
  journal: Journal;
  retries: RetryInfo[];
  provider(extra?: Partial<ArkOptions>): ArkProvider;
  ctx(
    req: ShotRequest,
    signal?: AbortSignal,
    journal?: Journal,
  ): Promise<ShotContext & { messages: string[]; taskIds: string[] }>;
  close(): Promise<void>;
}

export async function harness(gw: MockGateway): Promise<Harness> {
  const dir = await tempDir();
  const journal = await openJournal(path.join(dir, 'state'));
  const retries: RetryInfo[] = [];
  let n = 0;
  return {
    dir,
    journal,
    retries,
    provider: (extra = {}) =>
      new ArkProvider({
        apiKey: TEST_KEY,
        baseUrl: gw.url,
        poll: { initialMs: 20, maxMs: 80, factor: 1.5 },
        retry: { attempts: 5, backoff: { initialMs: 10, maxMs: 80, factor: 2 }, maxRetryAfterMs: 5000 },
        download: { attempts: 4, backoff: { initialMs: 10, maxMs: 80, factor: 2 } },
        onRetry: (r) => retries.push(r),
        ...extra,
        // A lost create is looked for a moment, not minutes; the mock has no list rate limit.
        limits: { reconcileMs: 300, listIntervalMs: 0, ...extra.limits },
      }),
    async ctx(req, signal, other) {
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
        journal: (other ?? journal).forShot(req.key, req.nodeId, 'ark'),
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

/** Requests the mock logged on one route since `fromSeq`. */
export function logged(gw: MockGateway, route: LogEntry['route'], fromSeq = 0): LogEntry[] {
  return gw.stats().log.filter((e) => e.route === route && e.seq > fromSeq);
}

export function lastSeq(gw: MockGateway): number {
  return gw.stats().log.at(-1)?.seq ?? 0;
}

/** Every file under `dir` whose bytes contain `needle` (binary-safe). */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if ((await stat(p)).isFile() && (await readFile(p)).includes(Buffer.from(needle))) hits.push(p);
    }
  };
  await walk(dir);
  return hits;
}
