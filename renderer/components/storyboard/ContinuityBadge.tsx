// A card's continuity figures from the engine's last report (shared/continuity.ts): the SSIM of the
// seam into this shot and its first frame's sharpness against its chain's first shot. The engine
// measured and judged them; this only shows them, flagged when the engine warned.
import { continuityOfShot } from '../../../shared/continuity';
import { useRun } from '../../stores/run';

export function ContinuityBadge({ id }: { id: string }) {
  const report = useRun((s) => s.continuity);
  const { seam, chain, chainWarning, standIn } = continuityOfShot(report ?? undefined, id);
  if (!seam && !chain) return null;
  const parts = [
    ...(seam ? [`seam ${seam.ssim.toFixed(2)}`] : []),
    ...(chain && chain.ratio !== 1 ? [`${Math.round(chain.ratio * 100)}% sharp`] : []),
  ];
  if (!parts.length) return null;
  const warnings = [
    ...(seam?.warning ? [seam.warning] : []),
    ...(chain?.soft && chainWarning ? [chainWarning] : []),
  ];
  return (
    <span
      className={`story-continuity ${warnings.length ? 'is-warning' : ''}`}
      data-testid={`continuity-${id}`}
      title={
        warnings.join('\n') ||
        'Continuity: SSIM of the cut into this shot, and its first frame’s sharpness against its chain’s first shot' +
          (standIn
            ? ' (animatic stand-ins: their camera push softens each chained start, so this is not judged)'
            : '')
      }
    >
      {warnings.length ? '⚠ ' : ''}
      {parts.join(' · ')}
    </span>
  );
}
