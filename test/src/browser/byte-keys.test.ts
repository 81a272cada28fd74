/**
 * Typing a character into a byte cell stores it, whatever keys the
 * student's keyboard needs for that character: AltGr on a German, French or
 * Spanish layout arrives as Ctrl+Alt, Option on a Mac as Alt. Shortcuts such
 * as Ctrl+C stay the browser's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openRoom } from '../server/helpers/room.ts';
import { openTab, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const live = liveServer('byte-keys');
let ada: StudentTab;
const poll = { timeout: UI_TIMEOUT_MS, interval: 50 };

beforeAll(async () => {
  const room = await openRoom(live.url, live.d);
  ada = new StudentTab(await openTab(live.browser));
  await ada.join(`${live.url}/join/${room.code}`, 'Ada');
  await ada.openAndMap();
});

/** A key press as the browser reports it, with the modifiers the layout needed. */
async function press(index: number, init: { key: string; ctrlKey?: boolean; altKey?: boolean; modifierAltGraph?: boolean }): Promise<void> {
  const cell = ada.cell(1, index);
  await cell.focus();
  await cell.dispatchEvent('keydown', { bubbles: true, cancelable: true, ...init });
}

const value = (index: number) => ada.cell(1, index).getAttribute('data-value');

describe('characters typed into a byte cell', () => {
  it('AltGr (Ctrl+Alt) and Option (Alt) characters are stored', async () => {
    await press(2, { key: '@', ctrlKey: true, altKey: true, modifierAltGraph: true });
    await expect.poll(() => value(2), poll).toBe(String(0x40));
    await press(3, { key: '|', altKey: true });
    await expect.poll(() => value(3), poll).toBe(String(0x7c));
  });

  it('a Ctrl shortcut stores nothing', async () => {
    await press(4, { key: 'c', ctrlKey: true });
    await press(5, { key: 'Z' });
    await expect.poll(() => value(5), poll).toBe(String(0x5a));
    expect(await value(4)).toBe('0');
  });
});
