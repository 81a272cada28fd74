import { createContext } from 'svelte';

/** The pages of the app. Kept tiny on purpose: four routes do not need a router library. */
export type Route =
  | { page: 'home'; code?: string }
  | { page: 'student'; code: string }
  | { page: 'board'; code: string }
  | { page: 'not-found'; path: string };

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  const [head, code] = parts;
  if (parts.length === 2 && head === 'join') return { page: 'home', code };
  if (parts.length === 2 && head === 'room') return { page: 'student', code };
  if (parts.length === 2 && head === 'board') return { page: 'board', code };
  return { page: 'not-found', path };
}

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
