// The editor's run store folds the engine's run events: once every node is done, a `run-phase`
// says what the run is still doing (measuring continuity), and the run's end clears it.
import { beforeEach, describe, expect, it } from 'vitest';
import { applyRunEvent, useRun } from '../../renderer/stores/run';

beforeEach(() => useRun.getState().reset());

describe('run phase in the editor', () => {
  it('a run still busy after its last node shows why, until it ends', () => {
    useRun.setState({ phase: 'running', runId: 'r1' });
    applyRunEvent({ type: 'run-start', at: 1, runId: 'r1', graphName: 'f', nodes: ['a', 'b'] });
    applyRunEvent({ type: 'node-succeeded', at: 2, nodeId: 'a', outputs: { video: '/a.mp4' } });
    applyRunEvent({ type: 'node-succeeded', at: 3, nodeId: 'b', outputs: { video: '/b.mp4' } });
    expect(useRun.getState().step).toBeNull();
    applyRunEvent({
      type: 'run-phase',
      at: 4,
      phase: 'measuring-continuity',
      message: 'Measuring continuity (1 seam)…',
    });
    expect(useRun.getState().step).toBe('measuring continuity');
    applyRunEvent({ type: 'run-end', at: 5, status: 'succeeded' });
    expect(useRun.getState().step).toBeNull();
  });

  it("a new run starts without the last one's phase", () => {
    useRun.setState({ phase: 'running', step: 'measuring continuity' });
    applyRunEvent({ type: 'run-start', at: 1, runId: 'r2', graphName: 'f', nodes: ['a'] });
    expect(useRun.getState().step).toBeNull();
  });
});
