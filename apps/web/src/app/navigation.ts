// In-app navigation for components that are also on the link page (AppHeader): the link
// page's entry has no router (main.tsx), so they must not import react-router. The router
// registers itself here when it is created (router.tsx); without it a link is a plain link.
import type { MouseEvent } from 'react';

let navigate: ((to: string) => void) | null = null;

export function setNavigator(fn: (to: string) => void): void {
  navigate = fn;
}

/** onClick of an <a href={to}>: a plain left click stays in the app when a router is there. */
export function followInApp(e: MouseEvent<HTMLElement>, to: string): void {
  if (!navigate || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(to);
}
