/** The pages of the app. Kept tiny on purpose: five routes do not need a router library. */
export type Route =
  | { page: 'home'; code?: string }
  | { page: 'student'; code: string }
  | { page: 'board'; code: string }
  | { page: 'lab' }
  | { page: 'not-found'; path: string };

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  if (parts.length === 1 && parts[0] === 'lab') return { page: 'lab' };
  const [head, code] = parts;
  if (parts.length === 2 && head === 'join') return { page: 'home', code };
  if (parts.length === 2 && head === 'room') return { page: 'student', code };
  if (parts.length === 2 && head === 'board') return { page: 'board', code };
  return { page: 'not-found', path };
}
