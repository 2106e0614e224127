import { absolute, parseTime, relative } from '../format/time';
import { useNow } from '../hooks/useNow';

/** A relative time ("3 s ago") with the absolute time on hover. */
export function Time({ iso, empty = '—' }: { iso: string | null | undefined; empty?: string }) {
  const now = useNow();
  const ms = parseTime(iso);
  if (ms === null) return <span class="muted">{empty}</span>;
  return (
    <time dateTime={iso ?? undefined} title={absolute(ms)}>
      {relative(ms, now)}
    </time>
  );
}
