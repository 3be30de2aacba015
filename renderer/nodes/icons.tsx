// Small line icons per node kind, drawn inline so the app needs no icon font.
const PATHS: Record<string, string> = {
  prompt: 'M4 6h16M4 10h16M4 14h10M4 18h7',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15.5 9.5h.01',
  video: 'M3 6h13v12H3zM16 10l5-3v10l-5-3',
  audio: 'M3 12h2M7 8v8M11 5v14M15 9v6M19 11v2',
  shot: 'M4 8h16v11H4zM4 8l3-4h3L7 8M10 8l3-4h3l-3 4M16 8l3-4',
  keyframe: 'M3 6h13v10H3zM6 19h13V9M3 13l4-4 3 3 2-2 4 4',
  final_cut: 'M4 4h16v16H4zM4 8h16M4 16h16M8 4v4M12 4v4M16 4v4M8 16v4M12 16v4M16 16v4',
  unknown: 'M9 9a3 3 0 1 1 4 2.8c-.6.3-1 .9-1 1.6V15M12 18h.01',
};

export function KindIcon({ kind, size = 15 }: { kind: string; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[kind] ?? PATHS.unknown} />
    </svg>
  );
}
