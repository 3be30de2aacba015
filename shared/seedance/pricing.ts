// Price tables per gateway (docs/gateways.md §3.6, §2). Estimates are shown before a run and a
// budget refuses a run that would exceed it, so every figure here must match what is billed.
import { outputSize, DURATION, type Ratio, type Resolution } from './limits';

export interface CostInput {
  provider: string;
  model: string;
  resolution: Resolution;
  ratio: Ratio;
  duration: number | 'auto';
  /** Reference video or audio wired in (cheaper per token on Ark, dearer per second on seed2.io). */
  hasVideoInput: boolean;
  hasAudioInput?: boolean;
  firstFrameAspect?: number;
}

export interface CostEstimate {
  usd: number;
  tokens?: number;
  credits?: number;
  /** How the figure was reached, for the estimate table. */
  basis: string;
  /** The duration used (auto is priced at the longest a gateway may choose). */
  seconds: number;
  /** False when the gateway publishes no price we can apply. */
  known: boolean;
}

/** Ark/ModelArk bill completion tokens: floor(W × H × (24·d + 1) / 1024) (§3.6, observed exact). */
export function arkTokens(width: number, height: number, seconds: number): number {
  return Math.floor((width * height * (24 * seconds + 1)) / 1024);
}

/** BytePlus USD per million tokens (§3.6), without / with video input. */
const BYTEPLUS_USD_PER_M: Record<
  'seedance-2.0' | 'seedance-2.0-fast',
  { base: number; withVideo: number; hd?: number }
> = {
  'seedance-2.0': { base: 7.0, withVideo: 4.3, hd: 7.7 },
  'seedance-2.0-fast': { base: 5.6, withVideo: 3.3 },
};

/** seed2.io credits per second (§2.1); 10,000 credits = 1 USD. */
const SEED2_CREDITS_PER_S: Record<'seedance-2.0' | 'seedance-2.0-fast', { base: number; withMedia: number }> =
  {
    'seedance-2.0': { base: 1160, withMedia: 2320 },
    'seedance-2.0-fast': { base: 580, withMedia: 1160 },
  };

function familyOf(model: string): 'seedance-2.0' | 'seedance-2.0-fast' {
  return /fast/.test(model) ? 'seedance-2.0-fast' : 'seedance-2.0';
}

export function estimateCost(input: CostInput): CostEstimate {
  // `auto` lets the gateway choose up to the maximum: budget for the worst case.
  const seconds = input.duration === 'auto' ? DURATION.max : input.duration;
  const family = familyOf(input.model);
  switch (input.provider) {
    case 'animatic':
      return { usd: 0, seconds, basis: 'offline animatic: free', known: true };
    case 'ark':
    case 'inference': {
      const [w, h] = outputSize(input.ratio, input.resolution, input.firstFrameAspect);
      const tokens = arkTokens(w, h, seconds);
      const table = BYTEPLUS_USD_PER_M[family];
      const rate = input.hasVideoInput
        ? table.withVideo
        : input.resolution === '1080p' && table.hd
          ? table.hd
          : table.base;
      return {
        usd: (tokens * rate) / 1e6,
        tokens,
        seconds,
        basis: `${tokens.toLocaleString('en-US')} tokens × $${rate.toFixed(2)}/M`,
        known: true,
      };
    }
    case 'seed2': {
      const table = SEED2_CREDITS_PER_S[family];
      const perS = input.hasVideoInput || input.hasAudioInput ? table.withMedia : table.base;
      const credits = perS * seconds;
      return {
        usd: credits / 10000,
        credits,
        seconds,
        basis: `${credits.toLocaleString('en-US')} credits (${perS}/s)`,
        known: true,
      };
    }
    // Neither publishes a Seedance price (§2.2, §2.3): say so rather than guess.
    case 'apiframe':
      return {
        usd: 0,
        seconds,
        basis: 'Apiframe: no published price (billed in Apiframe credits)',
        known: false,
      };
    case 'xingchao':
      return { usd: 0, seconds, basis: 'xingchaoyiqing: no published price', known: false };
    default:
      return {
        usd: 0,
        seconds,
        basis: `${input.provider} publishes no per-shot price; billed by the gateway`,
        known: false,
      };
  }
}
