// Problems the editor shows. Live structural checks run on every edit but stay a quiet hint until
// the user presses Run; from then on (and for what the host found: media, failures) they are
// listed in red on the node they belong to. Indexed by node so each node re-renders for its own.
import { create } from 'zustand';
import type { Problem } from '../../shared/problems';

export interface ProblemsState {
  live: Problem[];
  host: Problem[];
  /** What the shots' gateways cannot do: shown on the shot at once, not only after Run. */
  gateway: Problem[];
  revealed: boolean;
  byNode: Record<string, Problem[]>;
  hints: Record<string, number>;
}

export const useProblems = create<ProblemsState>(() => ({
  live: [],
  host: [],
  gateway: [],
  revealed: false,
  byNode: {},
  hints: {},
}));

function index(live: Problem[], host: Problem[], revealed: boolean, gateway = s().gateway) {
  const byNode: Record<string, Problem[]> = {};
  const hints: Record<string, number> = {};
  const seen = new Set<string>();
  for (const p of [...host, ...gateway, ...(revealed ? live : [])]) {
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

export function setGatewayProblems(gateway: Problem[]): void {
  const st = s();
  if (JSON.stringify(gateway) === JSON.stringify(st.gateway)) return;
  useProblems.setState({ gateway, ...index(st.live, st.host, st.revealed, gateway) });
}

export function revealProblems(revealed: boolean): void {
  useProblems.setState({ revealed, ...index(s().live, s().host, revealed) });
}

const s = () => useProblems.getState();

/** Everything to list in the problems panel, host findings first. */
export function allProblems(st: ProblemsState): Problem[] {
  const seen = new Set<string>();
  return [...st.host, ...st.gateway, ...st.live].filter((p) => {
    const key = `${p.nodeId}|${p.field}|${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
