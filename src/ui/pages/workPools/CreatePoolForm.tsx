import { useState } from 'preact/hooks';
import { api, ApiError, enc } from '../../api/client';
import type { WorkPool } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { navigate } from '../../router/history';

const FIELDS = ['name', 'type', 'concurrency_limit', 'is_paused'] as const;

/** `POST /api/work_pools/`; the server's refusals (409 duplicate, 422 invalid) appear in the form. */
export function CreatePoolForm({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [limit, setLimit] = useState('');
  const [paused, setPaused] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const concurrency = limit.trim() === '' ? null : Number(limit);
    try {
      const pool = await api.post<WorkPool>('/work_pools/', {
        name,
        type: 'process',
        is_paused: paused,
        // A value that is not a number is sent as typed: the server says what is wrong with it.
        concurrency_limit: concurrency === null || Number.isFinite(concurrency) ? concurrency : limit,
      });
      navigate(`/work-pools/${enc(pool.name)}`);
    } catch (err) {
      const byField: Record<string, string> = {};
      if (err instanceof ApiError && err.status === 422) {
        for (const d of err.details) {
          const field = d.loc[1];
          if (d.loc[0] === 'body' && typeof field === 'string' && (FIELDS as readonly string[]).includes(field)) byField[field] = d.msg;
        }
      }
      if (err instanceof ApiError && err.status === 409) byField.name = err.message;
      setFieldErrors(byField);
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: string) =>
    fieldErrors[field] ? (
      <div class="field-error" role="alert" data-field-error={field}>
        {fieldErrors[field]}
      </div>
    ) : null;

  return (
    <form class="card create-pool" onSubmit={submit} noValidate aria-label="Create work pool">
      <h2>Create a work pool</h2>
      <ErrorBanner error={error} prefix="The server refused" />
      <div class={`field${fieldErrors.name ? ' field-invalid' : ''}`}>
        <label for="pool-name" class="field-label">
          Name<span class="required">*</span>
        </label>
        <input id="pool-name" class="input" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="my-process-pool" autoFocus />
        {fieldError('name')}
      </div>
      <div class="field">
        <label for="pool-type" class="field-label">
          Type
        </label>
        <select id="pool-type" class="input" value="process" disabled>
          <option value="process">process: runs each flow run as a local subprocess</option>
        </select>
        {fieldError('type')}
      </div>
      <div class={`field${fieldErrors.concurrency_limit ? ' field-invalid' : ''}`}>
        <label for="pool-limit" class="field-label">
          Concurrency limit <span class="field-type">optional</span>
        </label>
        <input id="pool-limit" class="input" inputMode="numeric" value={limit} onInput={(e) => setLimit(e.currentTarget.value)} placeholder="Unlimited" />
        {fieldError('concurrency_limit')}
      </div>
      <label class="check">
        <input type="checkbox" checked={paused} onChange={(e) => setPaused(e.currentTarget.checked)} />
        Start paused (workers will not pick up runs until it is resumed)
      </label>
      <div class="button-row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create'}
        </button>
        <button type="button" class="btn" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
