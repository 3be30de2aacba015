// The final cut's own inspector: clip order, sound (loudness, music bed) and the output preset.
// Trims, per-clip gain and transitions are shaped in the timeline, where they can be seen.
import {
  LUFS,
  PRESET_CODECS,
  PRESET_FPS,
  PRESET_QUALITIES,
  PRESET_RESOLUTIONS,
} from '../../../shared/nodes/final-cut';
import { setCutSetting } from '../../actions/cut';
import { loudnessOf, presetOf } from '../../model/cut-params';
import { useDocument, type DocumentState } from '../../stores/document';
import { toggleTimeline } from '../../actions/view';
import { useUi } from '../../stores/ui';
import { ClipOrder } from './ClipOrder';
import { MusicBed } from './MusicBed';
import { CutField, numberField } from './CutField';

const select = (options: readonly (string | number)[]) => ({
  widget: 'select' as const,
  options: options.map(String),
});

const selectParams = (id: string) => (s: DocumentState) => s.nodes.find((n) => n.id === id)?.data.params;

const CODEC_NAMES: Record<string, string> = { h264: 'H.264', h265: 'H.265 (smaller, slower)' };

export function FinalCutSettings({ id }: { id: string }) {
  const params = useDocument(selectParams(id));
  if (!params) return null;
  const loudness = loudnessOf(params);
  const preset = presetOf(params);
  const setLoud = (key: string) => (v: unknown) => setCutSetting(id, 'loudness', key, v);
  const setPreset =
    (key: string, number = false) =>
    (v: unknown) =>
      setCutSetting(id, 'preset', key, number ? Number(v) : v);
  return (
    <>
      <h3>Clips</h3>
      <ClipOrder id={id} />
      <button
        className="btn"
        onClick={() => {
          useUi.setState({ cut: id });
          toggleTimeline(true);
        }}
        title="Trims, per-clip gain and transitions (T)"
      >
        Open the timeline
      </button>

      <h3>Sound</h3>
      <CutField
        cut={id}
        group="loudness"
        name="enabled"
        label="Normalise loudness (EBU R128)"
        field={{ widget: 'toggle' }}
        value={loudness.enabled}
        hint="the whole film to one level, as streaming sites do"
        onChange={setLoud('enabled')}
      />
      {loudness.enabled !== false && (
        <CutField
          cut={id}
          group="loudness"
          name="target_lufs"
          label="Target (LUFS)"
          field={numberField(LUFS.min, LUFS.max)}
          value={loudness.target_lufs}
          hint={`${LUFS.min} to ${LUFS.max}; ${LUFS.default} suits the web`}
          onChange={setLoud('target_lufs')}
        />
      )}
      <h3>Music bed</h3>
      <MusicBed cut={id} params={params} />

      <h3>Output</h3>
      <div className="field-pair">
        <CutField
          cut={id}
          group="preset"
          name="resolution"
          label="Resolution"
          field={select(PRESET_RESOLUTIONS)}
          value={preset.resolution}
          hint="source: the first clip’s size"
          onChange={setPreset('resolution')}
        />
        <CutField
          cut={id}
          group="preset"
          name="fps"
          label="Frame rate"
          field={select(PRESET_FPS)}
          value={preset.fps}
          hint=""
          onChange={setPreset('fps', true)}
        />
      </div>
      <div className="field-pair">
        <CutField
          cut={id}
          group="preset"
          name="codec"
          label="Codec"
          field={select(PRESET_CODECS)}
          value={preset.codec}
          hint={CODEC_NAMES[String(preset.codec)] ?? ''}
          onChange={setPreset('codec')}
        />
        <CutField
          cut={id}
          group="preset"
          name="quality"
          label="Quality"
          field={select(PRESET_QUALITIES)}
          value={preset.quality}
          hint=""
          onChange={setPreset('quality')}
        />
      </div>
    </>
  );
}
