import type { Field } from './schemaFields';

interface Props {
  field: Field;
  value: string | boolean;
  errors: string[];
  onChange: (value: string | boolean) => void;
}

/** One parameter: its name, type and required mark, its description, the input, the server's errors. */
export function ParamField({ field, value, errors, onChange }: Props) {
  const id = `param-${field.name}`;
  const describedBy = [field.description ? `${id}-help` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: field.name, 'aria-invalid': errors.length > 0, 'aria-describedby': describedBy };
  const placeholder = field.hasDefault ? `default: ${JSON.stringify(field.default)}` : field.required ? 'required' : 'optional';

  let input;
  if (field.kind === 'boolean') {
    input = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
  } else if (field.kind === 'enum') {
    input = (
      <select {...common} class="input" value={String(value)} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{field.hasDefault ? `(default: ${JSON.stringify(field.default)})` : '(not set)'}</option>
        {field.options.map((o, i) => (
          <option key={i} value={String(i)}>
            {typeof o === 'string' ? o : JSON.stringify(o)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'json') {
    input = <textarea {...common} class="input mono" rows={4} placeholder={placeholder} value={String(value)} onInput={(e) => onChange(e.currentTarget.value)} />;
  } else {
    const numeric = field.kind === 'number' || field.kind === 'integer';
    input = (
      <input
        {...common}
        class="input"
        type="text"
        inputMode={numeric ? (field.kind === 'integer' ? 'numeric' : 'decimal') : undefined}
        placeholder={placeholder}
        value={String(value)}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    );
  }

  return (
    <div class={`field${errors.length ? ' field-invalid' : ''}`} data-field={field.name}>
      <label for={id} class="field-label">
        <span class="mono">{field.name}</span>
        {field.required && (
          <span class="required" title="required">
            *
          </span>
        )}
        <span class="field-type">{field.typeLabel}</span>
      </label>
      {field.description && (
        <div id={`${id}-help`} class="field-help">
          {field.description}
        </div>
      )}
      {input}
      {errors.length > 0 && (
        <div id={`${id}-error`} class="field-error" role="alert" data-field-error={field.name}>
          {errors.map((e) => (
            <div key={e}>{e}</div>
          ))}
        </div>
      )}
    </div>
  );
}
