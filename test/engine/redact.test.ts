// One redactor, one rule (electron/providers/remote/redact.ts): the run report hides the secrets of
// the run's own environment — keys the editor stored, never in process.env — as well as anything
// that looks like a credential.
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import { RunRecorder } from '../../electron/engine/run-report';
import { redactorForEnv, secretsOf } from '../../electron/providers/remote/redact';
import path from 'node:path';

const secret = () => `sk-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

describe('one redactor', () => {
  it('takes its secrets from the environment it is given: keys, tokens, secrets', () => {
    const key = secret();
    const token = secret();
    const env = { SEED2_API_KEY: key, SHOTGRAPH_MEDIA_HOST_TOKEN: token, PATH: '/usr/bin', SHORT_KEY: 'abc' };
    expect(secretsOf(env).sort()).toEqual(['abc', key, token].sort());
    const r = redactorForEnv(env);
    expect(r(`failed with ${key} and ${token} on /usr/bin`)).toBe('failed with *** and *** on /usr/bin');
    expect(r('Authorization: Bearer abc.def.ghi')).toBe('Authorization: Bearer ***');
    expect(r('short abc stays')).toBe('short abc stays'); // too short to be a key: not masked
  });

  it('the run report redacts with the run’s environment, not process.env', async () => {
    const key = secret();
    expect(JSON.stringify(process.env)).not.toContain(key);
    const recorder = new RunRecorder('r', undefined, redactorForEnv({ ARK_API_KEY: key }));
    recorder.failed('shot-1', new Error(`gateway said: invalid key ${key}`));
    const report = recorder.invalid([{ code: 'x', message: `key ${key} refused` }]);
    expect(JSON.stringify(report)).not.toContain(key);
    expect(report.problems[0]!.message).toBe('key *** refused');
    expect(JSON.stringify(report.events)).toContain('invalid key ***');
  });

  it('runGraph hands its env to the report: a stored key never shows in its problems', async () => {
    const key = secret();
    const graph = path.resolve(import.meta.dirname, '../../graphs/three-shot-chain.json');
    // A problem whose message echoes the key (the run target), with the key only in the run's env.
    const report = await runGraph({
      graphPath: graph,
      until: key,
      env: { ...process.env, SEED2_API_KEY: key },
    });
    expect(report.status).toBe('invalid');
    expect(report.problems.some((p) => p.field === 'until')).toBe(true);
    expect(JSON.stringify(report)).not.toContain(key);
  });
});
