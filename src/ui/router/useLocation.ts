import { useEffect, useState } from 'preact/hooks';
import { subscribeLocation } from './history';

export interface Loc {
  path: string;
  search: URLSearchParams;
  /** path + query: changes whenever either does. */
  href: string;
}

function current(): Loc {
  return { path: location.pathname, search: new URLSearchParams(location.search), href: location.pathname + location.search };
}

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => subscribeLocation(() => setLoc(current())), []);
  return loc;
}
