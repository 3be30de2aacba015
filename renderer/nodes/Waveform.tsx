// Peak bars of an audio file, decoded in the browser; falls back to a player if decoding fails.
import { useEffect, useState } from 'react';

const BARS = 72;

export function Waveform({ url }: { url: string }) {
  const [peaks, setPeaks] = useState<number[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    const ctx = new AudioContext();
    fetch(url)
      .then((r) => r.arrayBuffer())
      .then((buf) => ctx.decodeAudioData(buf))
      .then((audio) => {
        const data = audio.getChannelData(0);
        const step = Math.max(1, Math.floor(data.length / BARS));
        const out: number[] = [];
        for (let i = 0; i < BARS; i++) {
          let max = 0;
          for (let j = i * step; j < Math.min(data.length, (i + 1) * step); j++)
            max = Math.max(max, Math.abs(data[j]!));
          out.push(max);
        }
        const top = Math.max(...out, 1e-6);
        if (live) setPeaks(out.map((p) => p / top));
      })
      .catch(() => live && setFailed(true))
      .finally(() => void ctx.close());
    return () => {
      live = false;
    };
  }, [url]);
  return (
    <div className="waveform">
      {peaks && (
        <svg viewBox={`0 0 ${BARS * 3} 40`} preserveAspectRatio="none" aria-label="waveform">
          {peaks.map((p, i) => (
            <rect
              key={i}
              x={i * 3}
              y={20 - Math.max(1, p * 19)}
              width={2}
              height={Math.max(2, p * 38)}
              rx={1}
            />
          ))}
        </svg>
      )}
      {(failed || peaks) && <audio src={url} controls preload="none" />}
    </div>
  );
}
