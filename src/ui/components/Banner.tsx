import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';

/** An error as the server worded it, with each 422 problem listed; never swallowed. */
export function ErrorBanner({ error, prefix }: { error: Error | null | undefined; prefix?: string }) {
  if (!error) return null;
  const details = error instanceof ApiError ? error.details : [];
  const status = error instanceof ApiError && error.status > 0 ? ` (${error.status})` : '';
  return (
    <div class="banner banner-error" role="alert">
      <strong>
        {prefix ? `${prefix}: ` : ''}
        {error.message}
      </strong>
      <span class="muted">{status}</span>
      {details.length > 1 && (
        <ul>
          {details.map((d) => (
            <li key={d.loc.join('.')}>
              <code>{d.loc.join('.')}</code> {d.msg}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Banner({ kind, children }: { kind: 'info' | 'success' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`banner banner-${kind}`} role="status">
      {children}
    </div>
  );
}
