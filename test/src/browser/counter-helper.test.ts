/**
 * The locked counter's helper ("Increment the counter k times") when its
 * F_SETLKW wait ends without an op:woke reaching the page: the teacher kills
 * the waiting process, or the wake comes while the student's connection is
 * down. The helper must stop and say why, or carry on, never hang with its
 * button disabled; and a resume must not start a second helper beside the
 * one that is running on the same process. An operation waiting in the
 * teacher's queue when the connection drops is not lost: the helper waits for
 * it and goes on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom, type Student, type TestRoom } from '../server/helpers/room.ts';
import { openTab, screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const INCREMENTS = 2;
const BYTE0 = { start: 0, len: 1 } as const;
const poll = { timeout: UI_TIMEOUT_MS, interval: 50 };
const live = liveServer('counter-helper');
let room: TestRoom;
/** A classmate on a plain socket: holds the counter's lock while Ada's helper waits for it. */
let bob: Student;
let ada: StudentTab;

beforeAll(async () => {
  room = await openRoom(live.url, live.d);
  await must(room.teacher, 'teacher:exercise:start', { id: 'locked-counter', options: { increments: INCREMENTS } });
  bob = await joinStudent(live.url, live.d, room.code, 'Bob');
  await must(bob.socket, 'op:open', { mode: 'O_RDWR' });
  await must(bob.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
  ada = new StudentTab(await openTab(live.browser));
  await ada.join(`${live.url}/join/${room.code}`, 'Ada');
});

const helper = () => ada.page.getByTestId('student-exercise');
const button = () => helper().getByRole('button', { name: /^Increment the counter/ });
const progress = () => helper().getByTestId('counter-progress');

async function counter(s = bob): Promise<number> {
  const loaded = await must(s.socket, 'op:load', { map: 1, index: 0 });
  if (loaded.outcome.result.kind !== 'byte') throw new Error(`load returned ${loaded.outcome.display}`);
  return loaded.outcome.result.value;
}

const bobLocks = () => must(bob.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', ...BYTE0 });
const bobUnlocks = () => must(bob.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', ...BYTE0 });

/** Who holds a lock on byte 0, as F_GETLK tells a classmate (null: nobody). */
async function holder(s = bob): Promise<number | null> {
  const got = await must(s.socket, 'op:getlk', { fd: 3, type: 'F_WRLCK', ...BYTE0 });
  return got.outcome.result.kind === 'lock' ? got.outcome.result.lock.pid : null;
}

/** Ada presses the helper's button while Bob holds the lock: her first F_SETLKW waits. */
async function adaWaitsForTheLock(): Promise<void> {
  await bobLocks();
  await button().click();
  await ada.page.locator('.process .state[data-state="blocked"]').waitFor();
  expect(await progress().getAttribute('data-running')).toBe('true');
}

describe('the locked counter helper when the wait for the lock ends without a wake', () => {
  it('the teacher kills Ada while her helper waits: after a new process the helper says why it stopped, and works again', async () => {
    await adaWaitsForTheLock();
    await must(room.teacher, 'teacher:kill', { pid: await ada.pid() });
    const death = ada.page.locator('.death[data-cause="SIGKILL"]');
    await death.waitFor();
    await death.getByRole('button', { name: 'Start a new process' }).click();
    await ada.running();

    // The old run is over: it says so, and the button is Ada's again.
    await progress().and(ada.page.locator('[data-running="false"]')).waitFor();
    expect(await helper().getByRole('alert').innerText()).toMatch(/Stopped: .*died while it waited for the lock/);
    await expect.poll(() => button().isEnabled(), poll).toBe(true);
    await screenshot(ada.page, 'counter-helper-killed-while-waiting');

    await bobUnlocks();
    const before = await counter();
    await button().click();
    await progress().and(ada.page.locator(`[data-running="false"][data-done="${INCREMENTS}"]`)).waitFor();
    expect(await helper().getByRole('alert').count()).toBe(0);
    expect(await counter()).toBe(before + INCREMENTS);
    expect(await holder()).toBeNull();
  });

  it('woken while her connection is down, Ada comes back to the same helper, which goes on alone: the count is exact', async () => {
    const before = await counter();
    await adaWaitsForTheLock();
    await ada.tab.context.setOffline(true);
    await ada.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    // Bob's unlock wakes Ada on the server: she holds the lock now, but her page cannot hear it.
    await bobUnlocks();
    expect(await holder()).toBe(await ada.pid());
    // Bob asks again and waits behind her: her second increment will wait for him.
    const bobWaits = await must(bob.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', ...BYTE0 });
    expect(bobWaits.outcome.result.kind).toBe('blocked');

    await ada.tab.context.setOffline(false);
    // The run that was waiting goes on (no second helper beside it): its first increment, under the
    // lock it got while she was away, then its second F_SETLKW, which waits for Bob.
    await progress().and(ada.page.locator('[data-running="true"][data-done="1"]')).waitFor();
    await ada.page.locator('.process .state[data-state="blocked"]').waitFor();
    expect(await button().isDisabled()).toBe(true);
    await screenshot(ada.page, 'counter-helper-woken-while-away');

    await bobUnlocks();
    await progress().and(ada.page.locator(`[data-running="false"][data-done="${INCREMENTS}"]`)).waitFor();
    expect(await helper().getByRole('alert').count()).toBe(0);
    expect(await counter()).toBe(before + INCREMENTS);
    expect(await holder()).toBeNull();
    expect(ada.tab.errors).toEqual([]);
  });

  it('the connection drops while a step inside the lock is on its way: the helper stops, says the lock may be held, and a new press releases it', async () => {
    // Slow motion holds every operation 1.5 s on its way: the load is surely in flight when the connection drops.
    await must(room.teacher, 'teacher:exercise:start', { id: 'locked-counter', options: { increments: 1, slowMotion: true } });
    await ada.page.locator('.ordering[data-ordering="slow-motion"]').waitFor();
    await ada.running();
    const cy = await joinStudent(live.url, live.d, room.code, 'Cy');
    await must(cy.socket, 'op:open', { mode: 'O_RDWR' });
    await must(cy.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    const before = await counter(cy);
    const slow = { timeout: UI_TIMEOUT_MS * 2 };

    await button().click();
    await progress().filter({ hasText: 'now: load' }).waitFor(slow);
    await ada.tab.context.setOffline(true);
    await helper().getByTestId('lock-left').waitFor();
    expect(await helper().getByRole('alert').first().innerText()).toMatch(/^Stopped: No answer from the server/);
    expect(await holder(cy)).toBe(await ada.pid());

    await ada.tab.context.setOffline(false);
    await expect.poll(() => button().isEnabled(), poll).toBe(true);
    // Back, she still sees why her lock may be held; pressing again takes it (her own: at once), and releases it.
    expect(await helper().getByTestId('lock-left').innerText()).toContain('Your write lock on byte 0 may still be held');
    await screenshot(ada.page, 'counter-helper-dropped-inside-the-lock');
    await button().click();
    await progress().and(ada.page.locator('[data-running="false"][data-done="1"]')).waitFor(slow);
    expect(await helper().getByRole('alert').count()).toBe(0);
    expect(await counter(cy)).toBe(before + 1);
    expect(await holder(cy)).toBeNull();
    // Socket.IO's tries to reconnect while the browser was offline are the only errors.
    expect(ada.tab.errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  }, 60_000);

  it('the teacher schedules, and runs the helper\'s load while Ada\'s connection is down: back, her helper goes on with its store', async () => {
    await must(room.teacher, 'teacher:exercise:start', { id: 'locked-counter', options: { increments: 1 } });
    await ada.running();
    const cy = await joinStudent(live.url, live.d, room.code, 'Cy');
    await must(cy.socket, 'op:open', { mode: 'O_RDWR' });
    await must(cy.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    const before = await counter(cy);
    await must(room.teacher, 'teacher:scheduler:start', {});
    await ada.page.locator('[data-ordering="teacher"]').waitFor();
    const runAll = async () => {
      for (let r = await must(room.teacher, 'teacher:scheduler:round-robin', {}); r.step !== null; r = await must(room.teacher, 'teacher:scheduler:round-robin', {}));
    };
    await runAll();
    const queued = ada.page.locator('.log ol > li[data-status="queued"]');

    await button().click();
    // open, mmap and the lock, one at a time as each is queued, until the helper's load is the one waiting.
    const rows = async () => (await must(room.teacher, 'teacher:scheduler:start', {})).queue.rows;
    for (;;) {
      await expect.poll(async () => (await rows()).length).toBe(1);
      const [row] = await rows();
      if (/^c = m\d+\[0\];$/.test(row.c)) break;
      await must(room.teacher, 'teacher:scheduler:run', { id: row.id });
    }
    await queued.first().waitFor();
    await ada.tab.context.setOffline(true);
    await ada.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    const ran = await must(room.teacher, 'teacher:scheduler:round-robin', {});
    expect(ran.step?.c).toMatch(/^c = m\d+\[0\];$/);
    await ada.tab.context.setOffline(false);

    // The load's answer came with the resume: the helper adds and sends its store, then its unlock.
    await progress().filter({ hasText: 'now: store' }).waitFor();
    while ((await progress().getAttribute('data-running')) === 'true') {
      await runAll();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await progress().getAttribute('data-done')).toBe('1');
    expect(await helper().getByRole('alert').count()).toBe(0);
    expect(await ada.page.locator('.log ol > li', { hasText: 'ran while you were away' }).count()).toBe(1);
    // Back to arrival order, so Cy's own loads are answered at once.
    await must(room.teacher, 'teacher:scheduler:stop', {});
    expect(await counter(cy)).toBe(before + 1);
    expect(await holder(cy)).toBeNull();
  }, 60_000);
});
