// A film's exposed inputs as the editor's contract carries them (issue 13): the engine's listInputs
// and applyInputs (shared/graph/inputs.ts), so Run with…, `--set` and a batch row read one rule.
import type { FilmInputView } from '../../shared/contract';
import { inputProblems, listInputs, type FilmInput } from '../../shared/graph/inputs';
import type { SequenceLibrary } from '../../shared/graph/sequence';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';

function view(i: FilmInput): FilmInputView {
  const media = i.type === 'image' || i.type === 'video' || i.type === 'audio';
  // What renders when the form is left alone: the node's own value.
  const shown = i.value ?? i.default;
  return {
    name: i.name,
    ...(i.description ? { description: i.description } : {}),
    node: i.node,
    field: i.field,
    type: media ? 'media' : i.type === 'choice' ? 'enum' : (i.type as 'text' | 'number' | 'boolean'),
    default: shown === undefined ? '' : String(shown),
    ...(i.allowed
      ? { allowed: i.allowed.map(String) }
      : i.type === 'boolean'
        ? { allowed: ['true', 'false'] }
        : {}),
    ...(media ? { media: i.type as 'image' | 'video' | 'audio' } : {}),
    ...(i.min !== undefined ? { min: i.min } : {}),
    ...(i.max !== undefined ? { max: i.max } : {}),
  };
}

export function inputsOf(
  graph: Graph,
  library?: SequenceLibrary,
): { inputs: FilmInputView[]; problems: Problem[] } {
  return { inputs: listInputs(graph, library).map(view), problems: inputProblems(graph, library) };
}
