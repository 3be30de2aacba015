// Measures the continuity report (shared/continuity.ts) on the clips a run has: every chained seam and
// every chain whose shots all have a clip. One ffmpeg at a time (it runs after the shots, on machines
// that may be busy with other work), and each figure is kept in `.shotgraph/continuity.json` by the
// files' identity (path, size, mtime of the immutable cache entries), so an unchanged re-render
// measures nothing again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { NodeOutput } from '../../shared/events';
import {
  chainLinks,
  chains,
  judgeChain,
  judgeSeam,
  type ContinuityReport,
  type SeamFigure,
} from '../../shared/continuity';
import type { Graph } from '../../shared/graph/schema';
import { seamSsim, sharpness } from '../media/continuity';
import { writeFileAtomic } from './atomic';

/** Figures by what was measured: `sharp|<file id>` and `ssim|<last frame id>|<clip id>`. */
export type ContinuityMemo = Map<string, number>;

const MEMO_FILE = 'continuity.json';
/** A memo file is a cache: anything larger or odder than this is ignored, never trusted. */
const MEMO_MAX_BYTES = 4 * 1024 * 1024;

async function fileId(file: string): Promise<string> {
  const st = await fs.stat(file);
  return `${file}|${st.size}|${Math.round(st.mtimeMs)}`;
}

export async function measureContinuity(
  graph: Graph,
  outputs: ReadonlyMap<string, NodeOutput>,
  signal?: AbortSignal,
  memo: ContinuityMemo = new Map(),
): Promise<ContinuityReport> {
  const used = new Map<string, number>();
  const remember = async (key: string, measure: () => Promise<number>): Promise<number> => {
    const value = used.get(key) ?? memo.get(key) ?? round(await measure());
    used.set(key, value);
    return value;
  };
  const clip = (id: string) => outputs.get(id)?.video;
  const sharpOf = async (id: string) => {
    const file = clip(id)!;
    return remember(`sharp|${await fileId(file)}`, () => sharpness(file, signal));
  };
  const seams: SeamFigure[] = [];
  for (const { from, to } of chainLinks(graph)) {
    const last = outputs.get(from)?.last_frame;
    const next = clip(to);
    if (!last || !next) continue;
    const key = `ssim|${await fileId(last)}|${await fileId(next)}`;
    seams.push(judgeSeam(from, to, await remember(key, () => seamSsim(last, next, signal))));
  }
  const measured = [];
  for (const chain of chains(graph)) {
    if (!chain.every((id) => clip(id))) continue;
    const shots = [];
    for (const nodeId of chain) shots.push({ nodeId, sharpness: await sharpOf(nodeId) });
    measured.push(judgeChain(shots));
  }
  // The memo keeps what this film uses now, so it never grows past one film's figures.
  memo.clear();
  for (const [k, v] of used) memo.set(k, v);
  const warnings = [...seams, ...measured].flatMap((x) => (x.warning ? [x.warning] : []));
  return { seams, chains: measured, warnings };
}

/** The project's kept figures; a missing, damaged or hostile file is an empty memo. */
export async function loadContinuityMemo(stateDir: string): Promise<ContinuityMemo> {
  try {
    const file = path.join(stateDir, MEMO_FILE);
    if ((await fs.stat(file)).size > MEMO_MAX_BYTES) return new Map();
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return new Map();
    return new Map(
      Object.entries(raw as Record<string, unknown>).filter(
        (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]),
      ),
    );
  } catch {
    return new Map();
  }
}

export async function saveContinuityMemo(stateDir: string, memo: ContinuityMemo): Promise<void> {
  await writeFileAtomic(path.join(stateDir, MEMO_FILE), JSON.stringify(Object.fromEntries(memo)) + '\n');
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
