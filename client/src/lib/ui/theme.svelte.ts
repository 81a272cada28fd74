import { themePreference } from '../net/storage.ts';

/** Light or dark, following the system unless the user chose; the choice sits on <html data-theme>. */
export class Theme {
  choice = $state<'light' | 'dark' | undefined>(themePreference.get());
  #systemDark = $state(matchMedia('(prefers-color-scheme: dark)').matches);
  current = $derived(this.choice ?? (this.#systemDark ? 'dark' : 'light'));

  constructor() {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => (this.#systemDark = e.matches));
    this.#apply();
  }

  toggle(): void {
    this.choice = this.current === 'dark' ? 'light' : 'dark';
    themePreference.set(this.choice);
    this.#apply();
  }

  #apply(): void {
    if (this.choice) document.documentElement.dataset.theme = this.choice;
    else delete document.documentElement.dataset.theme;
  }
}
