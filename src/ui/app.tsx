import type { VNode } from 'preact';
import { useEffect } from 'preact/hooks';
import { EmptyState } from './components/EmptyState';
import { Layout } from './components/Layout';
import { DeploymentDetailPage } from './pages/deployments/DeploymentDetailPage';
import { DeploymentsPage } from './pages/deployments/DeploymentsPage';
import { FlowsPage } from './pages/flows/FlowsPage';
import { RunDetailPage } from './pages/runs/RunDetailPage';
import { RunsPage } from './pages/runs/RunsPage';
import { WorkPoolDetailPage } from './pages/workPools/WorkPoolDetailPage';
import { WorkPoolsPage } from './pages/workPools/WorkPoolsPage';
import { Link } from './router/Link';
import { useLocation, type Loc } from './router/useLocation';

type Route = [RegExp, (m: string[], loc: Loc) => VNode, string];

const param = (m: string[], i: number) => decodeURIComponent(m[i] ?? '');

const ROUTES: Route[] = [
  [/^\/(?:runs\/?)?$/, (_m, loc) => <RunsPage search={loc.search} />, 'Runs'],
  [/^\/runs\/([^/]+)\/?$/, (m) => <RunDetailPage key={m[1]} id={param(m, 1)} />, 'Run'],
  [/^\/deployments\/?$/, (_m, loc) => <DeploymentsPage search={loc.search} />, 'Deployments'],
  [/^\/deployments\/([^/]+)\/?$/, (m, loc) => <DeploymentDetailPage key={m[1]} id={param(m, 1)} search={loc.search} />, 'Deployment'],
  [/^\/work-pools\/?$/, (_m, loc) => <WorkPoolsPage search={loc.search} />, 'Work pools'],
  [/^\/work-pools\/([^/]+)\/?$/, (m, loc) => <WorkPoolDetailPage key={m[1]} name={param(m, 1)} search={loc.search} />, 'Work pool'],
  [/^\/flows\/?$/, (_m, loc) => <FlowsPage search={loc.search} />, 'Flows'],
];

function NotFound({ path }: { path: string }) {
  return (
    <EmptyState title={`Nothing lives at ${path}.`}>
      Go to the <Link href="/runs">runs</Link>, <Link href="/deployments">deployments</Link> or <Link href="/work-pools">work pools</Link>.
    </EmptyState>
  );
}

export function App() {
  const loc = useLocation();
  let page: VNode = <NotFound path={loc.path} />;
  let title = 'Not found';
  for (const [re, render, name] of ROUTES) {
    const m = re.exec(loc.path);
    if (m) {
      page = render([...m], loc);
      title = name;
      break;
    }
  }
  useEffect(() => {
    document.title = `${title} · baton`;
  }, [title]);
  return <Layout path={loc.path}>{page}</Layout>;
}
