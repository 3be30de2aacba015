// One param of a node, drawn from its schema-derived field; shows the validator's message inline.
import { useEffect, useRef, useState } from 'react';
import type { Field } from '../../model/fields';
import { humanise, HINTS, SUGGESTIONS } from './labels';

interface Props {
  nodeId: string;
  field: Field;
  value: unknown;
  error: string | undefined;
  onChange(value: unknown): void;
  suggestions?: readonly string[];
  /** Defaults: the key in words, and the key's standard hint. */
  label?: string;
  hint?: string;
}

export function ParamField({ nodeId, field, value, error, onChange, suggestions, label, hint: own }: Props) {
  const id = `f-${nodeId}-${field.key.replace(/\./g, '-')}`;
  const hint = own ?? HINTS[field.key] ?? limitHint(field);
  return (
    <div className={`field ${error ? 'has-error' : ''}`} data-field={field.key}>
      <label htmlFor={id}>{label ?? humanise(field.key)}</label>
      <Control
        id={id}
        field={field}
        value={value}
        onChange={onChange}
        suggestions={suggestions ?? SUGGESTIONS[field.key]}
      />
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : (
        hint && <div className="field-hint">{hint}</div>
      )}
    </div>
  );
}

function limitHint(f: Field): string | undefined {
  if (f.widget !== 'number') return undefined;
  const range = f.min !== undefined && f.max !== undefined ? `${f.min}–${f.max}` : undefined;
  return range ? `${range}${f.orAuto ? ', or auto' : ''}` : undefined;
}

function Control({
  id,
  field,
  value,
  onChange,
  suggestions,
}: {
  id: string;
  field: Field;
  value: unknown;
  onChange(v: unknown): void;
  suggestions: readonly string[] | undefined;
}) {
  switch (field.widget) {
    case 'select':
      return (
        <select
          id={id}
          value={String(value ?? field.default ?? '')}
          onChange={(e) => onChange(e.target.value)}
        >
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'toggle':
      return (
        <label className="toggle">
          <input
            id={id}
            type="checkbox"
            checked={Boolean(value ?? field.default)}
            onChange={(e) => onChange(e.target.checked)}
          />
          <span className="toggle-track" />
          <span>{(value ?? field.default) ? 'on' : 'off'}</span>
        </label>
      );
    case 'number':
      return <NumberControl id={id} field={field} value={value} onChange={onChange} />;
    case 'textarea':
      return (
        <textarea
          id={id}
          rows={6}
          value={String(value ?? '')}
          maxLength={field.maxLength}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'group':
      return null; // nested settings have their own panel; an object is never a text box
    case 'hash':
      return (
        <code className="hash" id={id} title={String(value ?? '')}>
          {value ? `${String(value).slice(0, 16)}…` : '—'}
        </code>
      );
    default: {
      const list = suggestions?.length ? `${id}-list` : undefined;
      return (
        <>
          <input
            id={id}
            type="text"
            value={String(value ?? '')}
            placeholder={field.default ?? ''}
            list={list}
            maxLength={field.maxLength}
            onChange={(e) => onChange(e.target.value || undefined)}
          />
          {list && (
            <datalist id={list}>
              {suggestions!.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          )}
        </>
      );
    }
  }
}

function NumberControl({
  id,
  field,
  value,
  onChange,
}: {
  id: string;
  field: Extract<Field, { widget: 'number' }>;
  value: unknown;
  onChange(v: unknown): void;
}) {
  const isAuto = value === 'auto';
  const shown = isAuto ? '' : String(value ?? field.default ?? '');
  const [draft, setDraft] = useState(shown);
  const editing = useRef(false);
  // While the user types, their draft wins (an empty box must not snap back to the default).
  useEffect(() => {
    if (!editing.current) setDraft(shown);
  }, [shown]);
  return (
    <div className="number-row">
      <input
        id={id}
        type="number"
        inputMode="numeric"
        value={draft}
        disabled={isAuto}
        min={field.min}
        max={field.max}
        step={field.integer ? 1 : 'any'}
        onFocus={() => (editing.current = true)}
        onBlur={() => {
          editing.current = false;
          setDraft(shown);
        }}
        onChange={(e) => {
          setDraft(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value === '') onChange(undefined);
          else if (Number.isFinite(n)) onChange(n);
        }}
      />
      {field.orAuto && (
        <label className="auto-toggle">
          <input
            type="checkbox"
            checked={isAuto}
            onChange={(e) => onChange(e.target.checked ? 'auto' : (field.default ?? field.min))}
          />
          auto
        </label>
      )}
    </div>
  );
}
