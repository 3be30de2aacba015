// How a shot begins at its cut (docs/architecture.md §4): continue from the previous shot's last
// frame (the default, and what every older graph does), start on a wired keyframe, or start free.
export const SEAMS = ['last-frame', 'keyframe', 'free'] as const;
export type Seam = (typeof SEAMS)[number];
