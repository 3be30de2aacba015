// Seconds along the top of the timeline, spaced so labels never crowd.
const STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60];

export function Ruler({ total, pps }: { total: number; pps: number }) {
  const step = STEPS.find((s) => s * pps >= 48) ?? 60;
  const ticks: number[] = [];
  for (let t = 0; t <= total + 1e-6; t += step) ticks.push(Number(t.toFixed(3)));
  return (
    <div className="tl-ruler" style={{ width: Math.max(total * pps, 1) }} aria-hidden="true">
      {ticks.map((t) => (
        <span key={t} style={{ left: t * pps }}>
          {clock(t)}
        </span>
      ))}
    </div>
  );
}

export function clock(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s.toFixed(s % 1 ? 1 : 0).padStart(s % 1 ? 4 : 2, '0')}`;
}
