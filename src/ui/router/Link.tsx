import type { ComponentChildren } from 'preact';
import { navigate } from './history';

interface Props {
  href: string;
  class?: string | undefined;
  role?: 'tab' | undefined;
  'aria-label'?: string | undefined;
  'aria-current'?: 'page' | undefined;
  'aria-selected'?: boolean | undefined;
  children?: ComponentChildren;
}

/** An ordinary link that navigates without a page load (modified clicks still open a new tab). */
export function Link({ href, children, ...rest }: Props) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
