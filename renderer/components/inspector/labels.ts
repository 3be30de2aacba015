// Field names and one-line help in the user's words.
import { MODELS } from '../../../shared/seedance/limits';

export function humanise(key: string): string {
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const HINTS: Record<string, string> = {
  duration: 'seconds, 4–15, or auto (the model picks)',
  seed: '-1 picks a new random seed each time',
  provider: 'empty: the run’s provider',
  model: 'seedance-2.0, seedance-2.0-fast, or a gateway model id',
  generate_audio: 'Seedance writes sound for the clip',
  watermark: 'adds the provider’s watermark',
  output: 'film file, relative to the graph; empty: <graph name>.mp4',
  file: 'relative to the graph file',
  size: 'keyframe: 1K, 2K, 4K or WIDTHxHEIGHT (match the shot’s aspect, e.g. 2560x1440)',
  count: 'keyframe: frames in one consistent set, 1–15',
  response_format: 'how Seedream hands the images back; either way they are saved at once',
  seam: 'last-frame: continue from the shot before; keyframe: start on a wired keyframe; free: start on nothing',
};

export const SUGGESTIONS: Record<string, readonly string[]> = {
  model: MODELS,
};
