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
