/**
 * What the browser keeps between visits. The resume token lives in localStorage
 * so that a phone that slept, a refresh or a closed-and-reopened tab all get the
 * same process back; the teacher credential likewise never leaves this browser.
 */
const PREFIX = 'mmap-lab';

function get(key: string): string | undefined {
  try {
    return localStorage.getItem(`${PREFIX}:${key}`) ?? undefined;
  } catch {
    return undefined; // storage disabled (private mode): the app still works, without resume
  }
}

function set(key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(`${PREFIX}:${key}`);
    else localStorage.setItem(`${PREFIX}:${key}`, value);
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
