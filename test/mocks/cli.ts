// `npm run mock -- ark|seed2|apiframe|xingchao|inference --port 8787 [--latency MS] [--queued-ms MS]
//   [--running-ms MS] [--fault-rate 0.2] [--fault-seed N] [--fault-kinds a,b] [--api-key KEY] [--region cn|intl]`
// A key is always required: without --api-key the mock makes one up and prints it, so a client that
// forgot its key fails here as it would on the real gateway.
// Runs a mock gateway by hand; point the printed *_BASE_URL at it. Stats: GET /__mock/stats.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CAPABILITIES } from '../../shared/seedance/capabilities';
import { DEFAULT_RANDOM_KINDS, type FaultKind } from './faults';
import { MOCK_KINDS, startMockGateway, type MockKind } from './gateway';

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '8787' },
      latency: { type: 'string' },
      'queued-ms': { type: 'string' },
      'running-ms': { type: 'string' },
      'fault-rate': { type: 'string' },
      'fault-seed': { type: 'string' },
      'fault-kinds': { type: 'string' },
      'api-key': { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const kind = positionals[0];
  if (values.help || !kind || !(MOCK_KINDS as readonly string[]).includes(kind)) {
    process.stdout.write(
      `usage: npm run mock -- ${MOCK_KINDS.join('|')} [--port 8787] [--latency MS] [--queued-ms MS] [--running-ms MS]\n` +
        `       [--fault-rate 0..1] [--fault-seed N] [--fault-kinds ${DEFAULT_RANDOM_KINDS.join(',')}] [--api-key KEY] [--region cn|intl]\n`,
    );
    process.exitCode = values.help ? 0 : 1;
    return;
  }
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const rate = num(values['fault-rate']);
  const apiKey = values['api-key'] ?? `mock-${randomBytes(12).toString('hex')}`;
  const gw = await startMockGateway({
    kind: kind as MockKind,
    port: num(values.port) ?? 8787,
    ...(values.latency ? { latencyMs: num(values.latency) } : {}),
    ...(values['queued-ms'] ? { queuedMs: num(values['queued-ms']) } : {}),
    ...(values['running-ms'] ? { runningMs: num(values['running-ms']) } : {}),
    apiKey,
    ...(values.region ? { region: values.region } : {}),
    ...(rate
      ? {
          faults: {
            rate,
            ...(values['fault-seed'] ? { seed: num(values['fault-seed']) } : {}),
            ...(values['fault-kinds'] ? { kinds: values['fault-kinds'].split(',') as FaultKind[] } : {}),
          },
        }
      : {}),
  });
  const env = CAPABILITIES[kind as MockKind].baseUrlEnv;
  process.stdout.write(
    `mock ${kind} gateway on ${gw.url}\n  ${env}=${gw.url}\n  ${CAPABILITIES[kind as MockKind].keyEnv}=${values['api-key'] ? '(the --api-key you gave)' : apiKey}\n  stats: ${gw.origin}/__mock/stats\n`,
  );
  const stop = () => {
    void gw.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
