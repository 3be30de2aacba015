// The continuity report (docs/architecture.md §5): how well each chained cut joins and whether a chain
// goes soft. Pure: which seams and chains a graph has, and the verdict on measured figures; the
// engine measures (electron/engine/continuity.ts) and the CLI, run report and storyboard show it.
import type { Graph } from './graph/schema';

/** A seam whose SSIM is below this jumps visibly. */
export const SEAM_MIN_SSIM = 0.8;
/** A chain whose first frames lose more than this share of the first shot's sharpness has drifted. */
export const CHAIN_MAX_LOSS = 0.15;

export interface SeamFigure {
  /** The shot whose last frame the next one starts on. */
  from: string;
  to: string;
  /** SSIM (luma, 0–1) of `from`'s last frame against `to`'s first frame. */
  ssim: number;
  warning?: string;
}

export interface ChainShotFigure {
  nodeId: string;
  /** Variance of the Laplacian of the shot's first frame. */
  sharpness: number;
  /** Against the chain's first shot (1 = as sharp). */
  ratio: number;
  /** This shot has lost more than the chain may (its card is flagged). */
  soft?: boolean;
}

export interface ChainFigure {
  shots: ChainShotFigure[];
  /** Largest loss against the first shot, in percent (0 when none is softer). */
  lostPercent: number;
  warning?: string;
  /**
   * A shot of the chain was made by the offline animatic, whose camera push resamples every chained
   * start by design (docs/architecture.md §5 step 6): its figures are shown, never judged.
   */
  standIn?: true;
}

export interface ContinuityReport {
  seams: SeamFigure[];
  chains: ChainFigure[];
  /** Every warning, one line each. */
  warnings: string[];
}

/** Shot → shot links where the second starts on the first's last frame, in graph order. */
export function chainLinks(graph: Graph): { from: string; to: string }[] {
  const shots = new Set(graph.nodes.filter((n) => n.type === 'shot').map((n) => n.id));
  return graph.edges
    .filter(
      (e) =>
        e.targetPort === 'first_frame' &&
        e.sourcePort === 'last_frame' &&
        shots.has(e.source) &&
        shots.has(e.target),
    )
    .map((e) => ({ from: e.source, to: e.target }));
}

/** Chains of two or more shots, each from its head along its links (a fork starts a chain per branch). */
export function chains(graph: Graph): string[][] {
  const links = chainLinks(graph);
  const next = new Map<string, string[]>();
  const hasPrev = new Set<string>();
  for (const l of links) {
    (next.get(l.from) ?? next.set(l.from, []).get(l.from)!).push(l.to);
    hasPrev.add(l.to);
  }
  const out: string[][] = [];
  const walk = (path: string[]) => {
    const after = next.get(path.at(-1)!) ?? [];
    if (!after.length) {
      if (path.length > 1) out.push(path);
      return;
    }
    // A cycle is refused by validation; guard anyway so a hostile graph cannot loop here.
    for (const id of after) if (!path.includes(id)) walk([...path, id]);
  };
  for (const head of next.keys()) if (!hasPrev.has(head)) walk([head]);
  return out;
}

export function judgeSeam(from: string, to: string, ssim: number): SeamFigure {
  const figure: SeamFigure = { from, to, ssim };
  if (ssim < SEAM_MIN_SSIM)
    figure.warning = `the cut from "${from}" to "${to}" jumps: SSIM ${ssim.toFixed(3)} is below ${SEAM_MIN_SSIM}`;
  return figure;
}

/** Loss against the first shot in percent, to 0.1 (the figure compared, so 85 % sharp is not a loss over 15 %). */
function lostPercentOf(ratio: number): number {
  return Math.round(Math.max(0, 1 - ratio) * 1000) / 10;
}

export function judgeChain(
  shots: { nodeId: string; sharpness: number }[],
  o: { standIn?: boolean } = {},
): ChainFigure {
  const base = shots[0]?.sharpness ?? 0;
  const judged = !o.standIn;
  const figures: ChainShotFigure[] = shots.map((s) => {
    const ratio = base > 0 ? Math.round((s.sharpness / base) * 10000) / 10000 : 1;
    const soft = judged && lostPercentOf(ratio) > CHAIN_MAX_LOSS * 100;
    return { ...s, ratio, ...(soft ? { soft: true } : {}) };
  });
  const worst = figures.reduce((w, s) => (s.ratio < w.ratio ? s : w), figures[0]!);
  const chain: ChainFigure = { shots: figures, lostPercent: lostPercentOf(worst.ratio) };
  if (!judged) chain.standIn = true;
  else if (chain.lostPercent > CHAIN_MAX_LOSS * 100)
    chain.warning = `the chain from "${shots[0]!.nodeId}" goes soft: "${worst.nodeId}" starts ${chain.lostPercent}% less sharp than "${shots[0]!.nodeId}" (more than ${CHAIN_MAX_LOSS * 100}%)`;
  return chain;
}

/** Per shot, what a storyboard card shows: the seam into it and its place in its chain. */
export function continuityOfShot(
  report: ContinuityReport | undefined,
  nodeId: string,
): { seam?: SeamFigure; chain?: ChainShotFigure; chainWarning?: string; standIn?: true } {
  if (!report) return {};
  const seam = report.seams.find((s) => s.to === nodeId);
  const chain = report.chains.find((c) => c.shots.some((s) => s.nodeId === nodeId));
  const mine = chain?.shots.find((s) => s.nodeId === nodeId);
  return {
    ...(seam ? { seam } : {}),
    ...(mine ? { chain: mine } : {}),
    ...(chain?.warning ? { chainWarning: chain.warning } : {}),
    ...(chain?.standIn ? { standIn: true as const } : {}),
  };
}
