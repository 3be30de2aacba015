// One line per node kind, in the user's words, for the palette and the search box.
export const KIND_BLURBS: Record<string, string> = {
  prompt: 'Words describing a shot',
  image: 'A still: first or last frame, or reference',
  video: 'A reference clip',
  audio: 'Reference sound or music',
  shot: 'One Seedance 2.0 generation, 4–15 s',
  keyframe: 'Seedream stills to start, end or guide shots',
  sequence: 'A reusable group of nodes with its own inputs',
  final_cut: 'Joins the clips, in order, into the film',
};
