// One nested final-cut setting drawn with the inspector's usual controls and the validator's message.
import type { Field } from '../../model/fields';
import { nestedError } from '../../model/cut-params';
import { ParamField } from './ParamField';

interface Props {
  cut: string;
  group: 'loudness' | 'preset' | 'music' | 'clip' | 'transition';
  name: string;
  label: string;
  field: Omit<Field, 'key'>;
  value: unknown;
  hint?: string;
  onChange(v: unknown): void;
}

export function CutField({ cut, group, name, label, field, value, hint, onChange }: Props) {
  return (
    <ParamField
      nodeId={cut}
      field={{ ...field, key: `${group}.${name}` } as Field}
      value={value}
      error={nestedError(group, name, value)}
      label={label}
      {...(hint !== undefined ? { hint } : {})}
      onChange={onChange}
    />
  );
}

export const numberField = (min: number, max: number): Omit<Field, 'key'> =>
  ({ widget: 'number', min, max, integer: false, orAuto: false }) as Omit<Field, 'key'>;
