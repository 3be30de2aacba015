// Node palette: click to add at the centre of the view, or drag onto the canvas.
import { NODE_KINDS } from '../../shared/nodes';
import { addNode } from '../actions/nodes';
import { portColour } from '../model/ports';
import { KindIcon } from '../nodes/icons';
import { KIND_BLURBS } from './blurbs';

export const KIND_MIME = 'application/x-shotgraph-kind';

const GROUPS: { title: string; category: string }[] = [
  { title: 'Inputs', category: 'input' },
  { title: 'Generate', category: 'generate' },
  { title: 'Output', category: 'output' },
];

export function Palette() {
  return (
    <aside className="palette" aria-label="Node palette">
      {GROUPS.map((g) => (
        <section key={g.category}>
          <h3>{g.title}</h3>
          {Object.values(NODE_KINDS)
            .filter((k) => k.category === g.category)
            .map((k) => {
              const type = k.outputs[0]?.type;
              return (
                <button
                  key={k.kind}
                  className={`palette-item kind-${k.kind}`}
                  draggable
                  onDragStart={(e) => {
                    e.dataTransfer.setData(KIND_MIME, k.kind);
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={() => addNode(k.kind)}
                  title={`${KIND_BLURBS[k.kind]} (click to add, or drag onto the canvas)`}
                  data-testid={`palette-${k.kind}`}
                >
                  <span
                    className="palette-icon"
                    style={{ color: k.kind === 'shot' ? '#ff7a59' : portColour(type) }}
                  >
                    <KindIcon kind={k.kind} size={16} />
                  </span>
                  <span className="palette-text">
                    <span className="palette-name">{k.label}</span>
                    <span className="palette-blurb">{KIND_BLURBS[k.kind]}</span>
                  </span>
                </button>
              );
            })}
        </section>
      ))}
      <p className="palette-tip">
        Double-click the canvas or press <kbd>Space</kbd> to search. Drop image, video or audio files
        anywhere.
      </p>
    </aside>
  );
}
