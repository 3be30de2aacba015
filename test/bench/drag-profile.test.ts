// The drag profile's arithmetic: self time is an event's time minus its children's, on the
// renderer main thread only, scaled to the thread's own CPU share.
import { describe, expect, it } from 'vitest';
import { mainThreadSelfTimes } from './drag-profile';

const meta = (pid: number, tid: number, name: string) => ({
  name: 'thread_name',
  ph: 'M',
  pid,
  tid,
  ts: 0,
  args: { name },
});
const span = (name: string, ts: number, dur: number, tdur = dur, tid = 1) => ({
  name,
  ph: 'X',
  pid: 7,
  tid,
  ts,
  dur,
  tdur,
});

describe('mainThreadSelfTimes', () => {
  it('subtracts nested events, counts each, and ignores other threads', () => {
    const trace = {
      traceEvents: [
        meta(7, 1, 'CrRendererMain'),
        meta(7, 2, 'Compositor'),
        // A 10 ms task: 4 ms of script holding 1 ms of layout, then 3 ms of compositing update.
        span('RunTask', 0, 10_000),
        span('FunctionCall', 1_000, 4_000),
        span('Layout', 2_000, 1_000),
        span('PaintArtifactCompositor::Update', 6_000, 3_000),
        span('RunTask', 20_000, 2_000),
        span('PaintArtifactCompositor::Update', 20_000, 2_000, 1_000), // half of it on the CPU
        span('FunctionCall', 0, 50_000, 50_000, 2), // another thread
      ],
    };
    const rows = mainThreadSelfTimes(Buffer.from(JSON.stringify(trace)));
    const by = new Map(rows.map((r) => [r.name, r]));
    expect(by.get('PaintArtifactCompositor::Update')).toEqual({
      name: 'PaintArtifactCompositor::Update',
      ms: 4,
      count: 2,
    });
    expect(by.get('FunctionCall')).toEqual({ name: 'FunctionCall', ms: 3, count: 1 });
    expect(by.get('Layout')).toEqual({ name: 'Layout', ms: 1, count: 1 });
    expect(by.get('RunTask')).toEqual({ name: 'RunTask', ms: 3, count: 2 });
    expect(rows[0]!.name).toBe('PaintArtifactCompositor::Update');
  });
});
