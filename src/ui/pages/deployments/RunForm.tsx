import { useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { Deployment, FlowRun } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { navigate } from '../../router/history';
import { ParamField } from './ParamField';
import { fieldsOf, initialValues, parametersFrom, type Values } from './schemaFields';

/** Splits a 422 answer into errors of known fields and the rest. */
function sortErrors(error: ApiError, names: Set<string>): { byField: Record<string, string[]>; other: string[] } {
  const byField: Record<string, string[]> = {};
  const other: string[] = [];
  for (const d of error.details) {
    const [where, what, field] = d.loc;
    if (where === 'body' && what === 'parameters' && typeof field === 'string' && names.has(field)) (byField[field] ??= []).push(d.msg);
    else other.push(`${d.loc.join('.')}: ${d.msg}`);
  }
  return { byField, other };
}

/**
 * The Run form: fields generated from the flow's parameter schema, posted to `create_flow_run`.
 * A refusal is shown where it belongs: each parameter's error at its field, anything else above.
 */
export function RunForm({ deployment, onClose }: { deployment: Deployment; onClose: () => void }) {
  const fields = useMemo(() => fieldsOf(deployment.parameter_openapi_schema), [deployment.parameter_openapi_schema]);
  const names = useMemo(() => new Set((fields ?? []).map((f) => f.name)), [fields]);
  const [values, setValues] = useState<Values>(() => initialValues(fields ?? [], deployment.parameters));
  const [json, setJson] = useState(() => JSON.stringify(deployment.parameters, null, 2));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    let parameters: Record<string, unknown>;
    if (fields) {
      const built = parametersFrom(fields, values);
      if (Object.keys(built.errors).length > 0) {
        setFieldErrors(Object.fromEntries(Object.entries(built.errors).map(([k, v]) => [k, [v]])));
        return;
      }
      parameters = built.parameters;
    } else {
      try {
        parameters = JSON.parse(json || '{}') as Record<string, unknown>;
      } catch (err) {
        setError(new Error(`The parameters are not valid JSON: ${(err as Error).message}`));
        return;
      }
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const run = await api.post<FlowRun>(`/deployments/${deployment.id}/create_flow_run`, { parameters });
      navigate(`/runs/${run.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.details.length > 0) {
        const sorted = sortErrors(err, names);
        setFieldErrors(sorted.byField);
        // Problems no field shows (an unknown parameter, a job variable) stay in the banner.
        setError(sorted.other.length > 0 ? err : new ApiError('The server refused these parameters: see the fields below.', 422));
      } else {
        setError(err as Error);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card run-form" onSubmit={submit} noValidate aria-label="Run deployment">
      <h2>
        Run {deployment.flow_name}/{deployment.name}
      </h2>
      <ErrorBanner error={error} />
      {fields === null && (
        <div class="field">
          <label for="param-json" class="field-label">
            Parameters <span class="field-type">JSON object</span>
          </label>
          <div class="field-help">This deployment has no parameter schema: give the parameters as JSON.</div>
          <textarea id="param-json" class="input mono" rows={6} value={json} onInput={(e) => setJson(e.currentTarget.value)} />
        </div>
      )}
      {fields?.length === 0 && <p class="muted">This flow takes no parameters.</p>}
      {fields?.map((f) => (
        <ParamField
          key={f.name}
          field={f}
          value={values[f.name] ?? ''}
          errors={fieldErrors[f.name] ?? []}
          onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
        />
      ))}
      <div class="button-row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Starting…' : 'Run'}
        </button>
        <button type="button" class="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
