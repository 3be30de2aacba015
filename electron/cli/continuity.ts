// The continuity report as the CLI prints it after a run (stderr, beside the progress): one line per
// seam and per chain, then the warnings.
import type { ContinuityReport } from '../../shared/continuity';

export function continuityLines(report: ContinuityReport | undefined): string[] {
  if (!report || (!report.seams.length && !report.chains.length)) return [];
  const lines = ['Continuity:'];
  for (const s of report.seams)
    lines.push(`  seam ${s.from} → ${s.to}  SSIM ${s.ssim.toFixed(3)}${s.warning ? '  !' : ''}`);
  for (const c of report.chains) {
    const ratios = c.shots.map((s) => `${s.nodeId} ${(s.ratio * 100).toFixed(0)}%`).join(', ');
    lines.push(
      `  chain ${c.shots[0]!.nodeId}…${c.shots.at(-1)!.nodeId}  sharpness ${ratios}${c.warning ? '  !' : ''}` +
        (c.standIn ? '  (animatic stand-ins: not judged)' : ''),
    );
  }
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
