import { createContext } from 'svelte';
import { matchRoute } from './routes.ts';

/** Client-side navigation with the History API: the URL is the only routing state. */
export class Router {
  path = $state(location.pathname);
  /** Whatever the page that navigated here handed over (history.state), e.g. the name typed on Home. */
  handover = $state.raw<Record<string, unknown>>({});
  route = $derived(matchRoute(this.path));

  constructor() {
    this.handover = (history.state as Record<string, unknown> | null) ?? {};
    window.addEventListener('popstate', () => {
      this.path = location.pathname;
      this.handover = (history.state as Record<string, unknown> | null) ?? {};
    });
  }

  navigate(to: string, handover: Record<string, unknown> = {}, replace = false): void {
    if (replace) history.replaceState(handover, '', to);
    else history.pushState(handover, '', to);
    this.handover = handover;
    this.path = location.pathname;
    window.scrollTo(0, 0);
  }
}

export const [getRouter, setRouter] = createContext<Router>();
