import { withSearch } from '../router/history';
import { Link } from '../router/Link';

/** Tabs whose choice lives in the URL (`?tab=`), so a tab can be linked to and survives reloads. */
export function Tabs({ tabs, current }: { tabs: { id: string; label: string }[]; current: string }) {
  return (
    <div class="tabs" role="tablist">
      {tabs.map((t) => (
        <Link
          key={t.id}
          href={withSearch({ tab: t.id })}
          role="tab"
          aria-selected={t.id === current}
          class={`tab${t.id === current ? ' tab-active' : ''}`}
        >
          {t.label}
        </Link>
      ))}
    </div>
  );
}
