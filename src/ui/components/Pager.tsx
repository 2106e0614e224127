/** Server-side pagination: where we are in the whole list and the way to the neighbours. */
export function Pager({ page, pages, count, limit, onPage }: { page: number; pages: number; count: number; limit: number; onPage: (page: number) => void }) {
  if (count === 0) return null;
  const first = (page - 1) * limit + 1;
  const last = Math.min(count, page * limit);
  return (
    <nav class="pager" aria-label="Pages">
      <span class="muted" data-testid="pager-summary">
        {first.toLocaleString()}–{last.toLocaleString()} of {count.toLocaleString()}
      </span>
      <span class="pager-buttons">
        <button type="button" class="btn btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          ← Newer
        </button>
        <span class="muted">
          Page {page.toLocaleString()} of {Math.max(1, pages).toLocaleString()}
        </span>
        <button type="button" class="btn btn-small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          Older →
        </button>
      </span>
    </nav>
  );
}
