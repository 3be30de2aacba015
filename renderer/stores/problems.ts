// Problems the editor shows. Live structural checks run on every edit but stay a quiet hint until
// the user presses Run; from then on they are listed in red on the node they belong to, as are
// what the engine's film status finds (media, gateways and what they can do: at once) and a run's
// failures. Indexed by node so each node re-renders for its own.
import { create } from 'zustand';
import type { Problem } from '../../shared/problems';

export interface ProblemsState {
  live: Problem[];
  host: Problem[];
  /** The engine's film status (media, gateways, capabilities): shown at once, not only after Run. */
  engine: Problem[];
  revealed: boolean;
  byNode: Record<string, Problem[]>;
  hints: Record<string, number>;
}

export const useProblems = create<ProblemsState>(() => ({
  live: [],
  host: [],
  engine: [],
  revealed: false,
  byNode: {},
  hints: {},
}));

function index(live: Problem[], host: Problem[], revealed: boolean, engine = s().engine) {
  const byNode: Record<string, Problem[]> = {};
  const hints: Record<string, number> = {};
  const seen = new Set<string>();
  for (const p of [...host, ...engine, ...(revealed ? live : [])]) {
    const key = `${p.nodeId}|${p.field}|${p.message}`;
    if (!p.nodeId || seen.has(key)) continue;
    seen.add(key);
    (byNode[p.nodeId] ??= []).push(p);
  }
  if (!revealed) for (const p of live) if (p.nodeId) hints[p.nodeId] = (hints[p.nodeId] ?? 0) + 1;
  return { byNode, hints };
}

export function setLive(live: Problem[]): void {
  const s = useProblems.getState();
  useProblems.setState({ live, ...index(live, s.host, s.revealed) });
}

export function setHostProblems(host: Problem[], reveal = s().revealed): void {
  useProblems.setState({ host, revealed: reveal, ...index(s().live, host, reveal) });
}

export function setEngineProblems(engine: Problem[]): void {
  const st = s();
  if (JSON.stringify(engine) === JSON.stringify(st.engine)) return;
  useProblems.setState({ engine, ...index(st.live, st.host, st.revealed, engine) });
}

export function revealProblems(revealed: boolean): void {
  useProblems.setState({ revealed, ...index(s().live, s().host, revealed) });
}

const s = () => useProblems.getState();

/** Everything to list in the problems panel, host findings first. */
export function allProblems(st: ProblemsState): Problem[] {
  const seen = new Set<string>();
  return [...st.host, ...st.engine, ...st.live].filter((p) => {
    const key = `${p.nodeId}|${p.field}|${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
