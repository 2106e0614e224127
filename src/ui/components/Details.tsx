import type { ComponentChildren } from 'preact';

/** A labelled list of facts about one object. */
export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items.map(([label, value]) => (
        <div class="fact" key={label}>
          <dt>{label}</dt>
          <dd>{value ?? <span class="muted">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Json({ value }: { value: unknown }) {
  return <pre class="code">{JSON.stringify(value, null, 2)}</pre>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted loading" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function Tags({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return <span class="muted">—</span>;
  return (
    <span class="tags">
      {tags.map((t) => (
        <span class="tag" key={t}>
          {t}
        </span>
      ))}
    </span>
  );
}
