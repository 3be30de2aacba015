import { describe, expect, it } from 'vitest';
import { arkTokens, estimateCost } from '../../shared/seedance/pricing';

describe('price tables', () => {
  it('Ark tokens match the observed exact values (§3.6)', () => {
    expect(arkTokens(1280, 720, 4)).toBe(87300);
    expect(arkTokens(1280, 720, 5)).toBe(108900);
    expect(arkTokens(1280, 720, 15)).toBe(324900);
    expect(arkTokens(864, 496, 5)).toBe(50638);
    expect(arkTokens(1920, 1080, 5)).toBe(245025);
  });

  it('three 5 s 720p 16:9 shots on BytePlus seedance-2.0 cost $2.29', () => {
    const one = estimateCost({
      provider: 'ark',
      model: 'seedance-2.0',
      resolution: '720p',
      ratio: '16:9',
      duration: 5,
      hasVideoInput: false,
    });
    expect(one.tokens).toBe(108900);
    expect(Math.round(3 * one.usd * 100) / 100).toBe(2.29);
  });

  it('video input is billed at the lower token rate; auto is budgeted at 15 s', () => {
    const withVideo = estimateCost({
      provider: 'ark',
      model: 'seedance-2.0',
      resolution: '720p',
      ratio: '16:9',
      duration: 5,
      hasVideoInput: true,
    });
    expect(withVideo.usd).toBeCloseTo((108900 * 4.3) / 1e6, 6);
    const auto = estimateCost({
      provider: 'ark',
      model: 'seedance-2.0',
      resolution: '720p',
      ratio: '16:9',
      duration: 'auto',
      hasVideoInput: false,
    });
    expect(auto.tokens).toBe(324900);
  });

  it('seed2.io bills credits per second: 5 s on fast is 2,900 credits ($0.29)', () => {
    const e = estimateCost({
      provider: 'seed2',
      model: 'seedance-2.0-fast',
      resolution: '720p',
      ratio: '16:9',
      duration: 5,
      hasVideoInput: false,
    });
    expect(e.credits).toBe(2900);
    expect(e.usd).toBeCloseTo(0.29, 6);
  });
});
