// Where a run's makespan goes, along the chain of shots that ended it: each shot of that chain took
// the gateway slot the one before it gave back, so the makespan is the sum of, per shot, the wait
// from that slot coming free to the shot starting, its start to the create's answer, the gateway's
// time (with polling), and after the last of them the run's tail. Set beside one shot alone, the
// same phases say which one the 60-shot run pays more for than the ideal does.
export type Step = 'queued' | 'started' | 'submitted' | 'gatewayDone' | 'done';
export type Steps = Map<string, Partial<Record<Step, number>>>;

export interface ChainPhases {
  shots: number;
  /** Slot free (the previous shot done at the gateway; the run's start for the first) → started. */
  slotToStart: number;
  startToSubmitted: number;
  submittedToGateway: number;
  /** The last shot of the chain done at the gateway → the run's end. */
  tail: number;
}

/** The chain ending at the shot done last; slots are handed on first come, first served. */
export function criticalChain(steps: Steps, runEndMs: number): ChainPhases {
  const shots = [...steps].filter(([, s]) => s.started !== undefined && s.gatewayDone !== undefined);
  const releases = shots.map(([id, s]) => ({ id, at: s.gatewayDone! })).sort((a, b) => a.at - b.at);
  const byStart = [...shots].sort((a, b) => a[1].started! - b[1].started!);
  const took = new Map<string, string>();
  const used = new Set<string>();
  for (const [id, s] of byStart) {
    const slot = releases.find((r) => r.at <= s.started! && !used.has(r.id) && r.id !== id);
    // Shots that started before any slot came free took one of the run's first slots.
    if (!slot) continue;
    used.add(slot.id);
    took.set(id, slot.id);
  }
  const last = shots.reduce((a, b) => ((a[1].done ?? 0) >= (b[1].done ?? 0) ? a : b));
  const out: ChainPhases = { shots: 0, slotToStart: 0, startToSubmitted: 0, submittedToGateway: 0, tail: 0 };
  out.tail = runEndMs - last[1].gatewayDone!;
  for (let id: string | undefined = last[0]; id !== undefined; id = took.get(id)) {
    const s = steps.get(id)!;
    const before = took.get(id);
    out.shots++;
    out.slotToStart += s.started! - (before ? steps.get(before)!.gatewayDone! : 0);
    out.startToSubmitted += s.submitted! - s.started!;
    out.submittedToGateway += s.gatewayDone! - s.submitted!;
  }
  return out;
}
