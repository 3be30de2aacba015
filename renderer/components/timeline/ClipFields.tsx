// The selected clip's in and out points and audio gain as numbers, for exact values.
import { GAIN_DB } from '../../../shared/nodes/final-cut';
import type { TimelineClip } from '../../../shared/timeline';
import { setClipSetting } from '../../actions/cut';
import { clipOf } from '../../model/cut-params';
import { useShallow } from 'zustand/react/shallow';
import { useDocument, type DocumentState } from '../../stores/document';
import { CutField, numberField } from '../inspector/CutField';

const selectSettings = (cut: string, clip: string) => (s: DocumentState) => {
  const c = clipOf(s.nodes.find((n) => n.id === cut)?.data.params ?? {}, clip);
  return { trim_in: c.trim_in, trim_out: c.trim_out, gain_db: c.gain_db };
};

export function ClipFields({ cut, clip }: { cut: string; clip: TimelineClip }) {
  const stored = useDocument(useShallow(selectSettings(cut, clip.nodeId)));
  const end = clip.sourceSec ?? 3600;
  const set = (key: string) => (v: unknown) => setClipSetting(cut, clip.nodeId, key, v);
  return (
    <div className="tl-fields" data-testid="clip-fields">
      <span className="tl-fields-name">
        <b>{clip.label ?? clip.nodeId}</b>
        <span className="mono muted">{clip.nodeId}</span>
      </span>
      <CutField
        cut={cut}
        group="clip"
        name="trim_in"
        label="In (s)"
        field={{ ...numberField(0, end), default: 0 } as never}
        value={stored.trim_in}
        hint="from the clip’s start"
        onChange={set('trim_in')}
      />
      <CutField
        cut={cut}
        group="clip"
        name="trim_out"
        label="Out (s)"
        field={
          {
            ...numberField(0, end),
            ...(clip.sourceSec !== undefined ? { default: clip.sourceSec } : {}),
          } as never
        }
        value={stored.trim_out}
        hint={
          clip.sourceSec !== undefined
            ? `a time in the clip; it ends at ${clip.sourceSec.toFixed(2)} s`
            : 'a time in the clip'
        }
        onChange={set('trim_out')}
      />
      <CutField
        cut={cut}
        group="clip"
        name="gain_db"
        label="Gain (dB)"
        field={{ ...numberField(GAIN_DB.min, GAIN_DB.max), default: 0 } as never}
        value={stored.gain_db}
        hint="this clip’s own sound"
        onChange={set('gain_db')}
      />
      {(stored.trim_in !== undefined || stored.trim_out !== undefined) && (
        <button
          className="link"
          onClick={() => {
            set('trim_in')(undefined);
            set('trim_out')(undefined);
          }}
        >
          Untrim
        </button>
      )}
    </div>
  );
}
