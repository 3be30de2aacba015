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
};

export const SUGGESTIONS: Record<string, readonly string[]> = {
  model: MODELS,
};
