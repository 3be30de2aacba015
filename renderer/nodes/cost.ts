// A shot's cost line: the price on the provider it will run on, and what Ark would charge when
// that provider is the free animatic (so a film can be budgeted before paying for a second).
import { estimateCost } from '../../shared/seedance/pricing';
import type { Ratio, Resolution } from '../../shared/seedance/limits';
import { gatewayLabel } from '../model/gateway';

export function costLine(
  p: Record<string, unknown>,
  provider: string,
  hasVideoInput: boolean,
): { text: string; title: string } {
  const base = {
    model: String(p.model ?? 'seedance-2.0'),
    resolution: (p.resolution ?? '720p') as Resolution,
    ratio: (p.ratio ?? '16:9') as Ratio,
    duration: (typeof p.duration === 'number' || p.duration === 'auto' ? p.duration : 5) as number | 'auto',
    hasVideoInput,
  };
  const here = estimateCost({ ...base, provider });
  const ark = estimateCost({ ...base, provider: 'ark' });
  const usd = (n: number) => `$${n.toFixed(2)}`;
  if (provider === 'animatic') return { text: `free animatic · ≈ ${usd(ark.usd)} on Ark`, title: ark.basis };
  if (!here.known) return { text: `price set by ${gatewayLabel(provider)}`, title: here.basis };
  return { text: `≈ ${usd(here.usd)} on ${gatewayLabel(provider)}`, title: here.basis };
}
