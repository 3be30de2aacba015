// Ark's region (issue 15, item 3; docs/gateways.md §1.1–1.2): ARK_REGION says which region's model
// ids go out; without it the region is read only from an official host, so a proxy in front of the
// CN region needs ARK_REGION=cn. The mock plays one region and refuses the other region's ids, as
// each region does, and 4k, which no model of the capability table renders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arkRegion, createArkProvider, parseArkRegion, resolveArkModel } from '../../electron/providers/ark';
import type { ProviderError } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { harness, logged, shot, TEST_KEY, type Harness } from './helpers';

describe('ARK_REGION', () => {
  it('is explicit when set; otherwise only the official hosts say which region', () => {
    const proxy = 'https://ark-proxy.example.cn/api/v3';
    expect(parseArkRegion('CN')).toBe('cn');
    expect(parseArkRegion(' intl ')).toBe('intl');
    expect(parseArkRegion(undefined)).toBeUndefined();
    expect(() => parseArkRegion('eu')).toThrow(/ARK_REGION must be "cn" .* or "intl"/);
    expect(arkRegion('https://ark.cn-beijing.volces.com/api/v3')).toBe('cn');
    // A look-alike host is not an official one.
    expect(arkRegion('https://volces.com.attacker.example/api/v3')).toBe('intl');
    expect(resolveArkModel('seedance-2.0', proxy, 'cn')).toBe('doubao-seedance-2-0-260128');
    expect(resolveArkModel('seedance-2.0-fast', 'https://ark.cn-beijing.volces.com/api/v3', 'intl')).toBe(
      'dreamina-seedance-2-0-fast-260128',
    );
  });
});

describe('a proxy in front of the CN region', () => {
  let cn: MockGateway;
  let h: Harness;
  beforeAll(async () => {
    cn = await startMockGateway({ kind: 'ark', region: 'cn', queuedMs: 20, runningMs: 40, apiKey: TEST_KEY });
    h = await harness(cn);
  });
  afterAll(async () => {
    await h?.close();
    await cn?.close();
  });

  it('without ARK_REGION gets the BytePlus id refused by the gateway (404), with advice naming ARK_REGION', async () => {
    const req = shot();
    const err = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.message).toContain('dreamina-seedance-2-0-260128 does not exist');
    expect(err.message).toContain('ARK_REGION');
    expect(cn.stats().creates).toBe(0);
  });

  it('with ARK_REGION=cn sends the doubao id and renders', async () => {
    const from = cn.stats().log.at(-1)?.seq ?? 0;
    const provider = createArkProvider({
      ARK_API_KEY: TEST_KEY,
      ARK_BASE_URL: cn.url,
      ARK_REGION: 'cn',
      SHOTGRAPH_POLL_MS: '20,80',
      SHOTGRAPH_RETRY_MS: '10,80',
    });
    const req = shot();
    const r = await provider.generate(req, await h.ctx(req));
    expect(r.video).toMatch(/\.mp4$/);
    const body = logged(cn, 'create', from)[0]!.body as { model: string };
    expect(body.model).toBe('doubao-seedance-2-0-260128');
    expect(cn.stats().creates).toBe(1);
  });

  it('the mock refuses what the table says a model does not render: 4k on 2.0, 1080p on fast', async () => {
    for (const [model, resolution] of [
      ['doubao-seedance-2-0-260128', '4k'],
      ['doubao-seedance-2-0-fast-260128', '1080p'],
    ] as const) {
      const res = await fetch(`${cn.url}/contents/generations/tasks`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model, resolution, content: [{ type: 'text', text: 'x' }] }),
      });
      expect(res.status, `${model} ${resolution}`).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe('resolution');
    }
  });
});
