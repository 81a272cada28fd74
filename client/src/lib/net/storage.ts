/**
 * What the browser keeps between visits. The resume token lives in localStorage
 * so that a phone that slept, a refresh or a closed-and-reopened tab all get the
 * same process back; the teacher credential likewise never leaves this browser.
 * Layout choices live in sessionStorage: they hold for this tab, across reloads.
 */
const PREFIX = 'mmap-lab';

type Area = 'localStorage' | 'sessionStorage';

function get(key: string, area: Area = 'localStorage'): string | undefined {
  try {
    return globalThis[area].getItem(`${PREFIX}:${key}`) ?? undefined;
  } catch {
    return undefined; // storage disabled (private mode): the app still works, without resume or kept layout choices
  }
}

function set(key: string, value: string | undefined, area: Area = 'localStorage'): void {
  try {
    if (value === undefined) globalThis[area].removeItem(`${PREFIX}:${key}`);
    else globalThis[area].setItem(`${PREFIX}:${key}`, value);
  } catch {
    /* storage disabled: nothing to keep */
  }
}

export const resumeToken = {
  get: (code: string) => get(`token:${code}`),
  set: (code: string, token: string | undefined) => set(`token:${code}`, token),
};

/** The join this page sent in a room (see `keptJoin`). */
export interface KeptJoin {
  key: string;
  name: string;
}

/**
 * This page's join in a room, kept before it is sent: sent again with the
 * same key (its answer was lost, the link dropped, the page reloaded), it
 * gets the process the first one made. It stays after the answer: after a
 * reboot (every exercise launch) the same key is how the server gives the
 * student its name back, and keeps it from a classmate.
 */
export const keptJoin = {
  get(code: string): KeptJoin | undefined {
    try {
      const kept = JSON.parse(get(`join:${code}`) ?? 'null') as Partial<KeptJoin> | null;
      if (typeof kept?.key === 'string' && typeof kept.name === 'string') return { key: kept.key, name: kept.name };
    } catch {
      /* not what we keep: a join starts afresh */
    }
    return undefined;
  },
  set: (code: string, join: KeptJoin | undefined) => set(`join:${code}`, join && JSON.stringify(join)),
  /** The key to join as `name` with, kept: the kept join's if it was as `name`, else a new one. */
  start(code: string, name: string): string {
    const kept = keptJoin.get(code);
    const key = kept?.name === name ? kept.key : randomKey();
    keptJoin.set(code, { key, name });
    return key;
  },
};

/** 24 random bytes as base64url, like the server's secrets (getRandomValues works on plain http too). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_');
}

export const teacherCredential = {
  get: (code: string) => get(`teacher:${code}`),
  set: (code: string, credential: string | undefined) => set(`teacher:${code}`, credential),
};

export const lastName = {
  get: () => get('name'),
  set: (name: string) => set('name', name),
};

export const themePreference = {
  get: () => get('theme') as 'light' | 'dark' | undefined,
  set: (theme: 'light' | 'dark' | undefined) => set('theme', theme),
};

/** Whether the student keeps the lesson's chapter open on their page (folded unless they opened it). */
export const readingAlong = {
  get: () => get('reading', 'sessionStorage') === 'open',
  set: (open: boolean) => set('reading', open ? 'open' : 'folded', 'sessionStorage'),
};
