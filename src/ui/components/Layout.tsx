import type { ComponentChildren } from 'preact';
import { useLiveStatus } from '../hooks/useLive';
import { Link } from '../router/Link';

const NAV = [
  { href: '/runs', label: 'Runs', match: (p: string) => p === '/' || p.startsWith('/runs') },
  { href: '/flows', label: 'Flows', match: (p: string) => p.startsWith('/flows') },
  { href: '/deployments', label: 'Deployments', match: (p: string) => p.startsWith('/deployments') },
  { href: '/work-pools', label: 'Work pools', match: (p: string) => p.startsWith('/work-pools') },
];

function LiveIndicator() {
  const status = useLiveStatus();
  const label = status === 'live' ? 'Live' : status === 'polling' ? 'Polling every 2 s' : 'Connecting…';
  const title =
    status === 'live'
      ? 'Changes appear as they happen (server-sent events).'
      : status === 'polling'
        ? 'The live stream is unavailable; refreshing every 2 seconds.'
        : 'Opening the live stream.';
  return (
    <span class={`live live-${status}`} title={title} data-live={status}>
      <span class="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  return (
    <div class="layout">
      <header class="topbar">
        <Link href="/runs" class="brand" aria-label="baton home">
          <span class="brand-mark" aria-hidden="true" />
          baton
        </Link>
        <nav class="nav" aria-label="Main">
          {NAV.map((n) => (
            <Link key={n.href} href={n.href} class={`nav-link${n.match(path) ? ' nav-active' : ''}`} aria-current={n.match(path) ? 'page' : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <span class="topbar-end">
          <LiveIndicator />
          <a class="nav-link hide-sm" href="/docs">
            API docs
          </a>
        </span>
      </header>
      <main class="main">{children}</main>
    </div>
  );
}

/** A page's title row with its actions on the right. */
export function PageHeader({ title, subtitle, children }: { title: ComponentChildren; subtitle?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <div class="page-title">
        <h1>{title}</h1>
        {subtitle && <div class="page-subtitle">{subtitle}</div>}
      </div>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}
