/**
 * Client-side routing on the History API: the server answers every page path with index.html, and
 * this module decides what to show. URLs carry the state worth sharing (filters, page, tab).
 */
type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const l of listeners) l();
}
window.addEventListener('popstate', notify);

export function subscribeLocation(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const samePath = new URL(to, location.href).pathname === location.pathname;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  // A new page starts at its top; a filter change on the same page keeps the scroll position.
  if (!samePath) window.scrollTo(0, 0);
  notify();
}

/** The query string with some keys changed (null or '' removes a key). */
export function withSearch(changes: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}
