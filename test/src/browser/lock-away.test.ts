/**
 * A student blocked in F_SETLKW whose phone goes to sleep: the wait ends
 * while the page is away (the lock is granted, or the process is killed),
 * so the op:woke the page would have heard went nowhere. Back, the log must
 * say how the F_SETLKW ended, not still "blocked".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom, type Student, type TestRoom } from '../server/helpers/room.ts';
import { studentOnLink } from './link.ts';
import { liveServer } from './live-server.ts';
import { screenshot } from './harness.ts';
import { StudentTab } from './student-tab.ts';

const live = liveServer('lock-away');
let room: TestRoom;
let holder: Student;

const WHOLE_FILE = { fd: 3, cmd: 'F_SETLK', start: 0, len: 0 } as const;

beforeAll(async () => {
  room = await openRoom(live.url, live.d);
  holder = await joinStudent(live.url, live.d, room.code, 'Ada');
  await must(holder.socket, 'op:open', { mode: 'O_RDWR' });
});

/** A student blocked on the lock Ada holds, then away: `whileAway` ends the wait. */
async function blockedThenAway(name: string, whileAway: (s: StudentTab) => Promise<void>): Promise<StudentTab> {
  await must(holder.socket, 'op:lock', { ...WHOLE_FILE, type: 'F_WRLCK' });
  const { student: s, link } = await studentOnLink(live.browser, `${live.url}/join/${room.code}`, name);
  await s.select('open', 'Mode', 'O_RDWR');
  await s.run('open');
  expect((await s.run('lock')).status).toBe('blocked');
  await link.down();
  await s.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
  await whileAway(s);
  link.up();
  return s;
}

describe('an F_SETLKW that returns while the page is away', () => {
  it('granted while away: back, the log says it returned and the lock is theirs', async () => {
    const bo = await blockedThenAway('Bo', async () => {
      await must(holder.socket, 'op:lock', { ...WHOLE_FILE, type: 'F_UNLCK' });
    });
    await bo.page.getByText('Welcome back: this is the same process as before.').waitFor({ timeout: 20_000 });
    const line = bo.page.locator('.log ol > li').first();
    expect(await line.getAttribute('data-status')).toBe('ok');
    expect((await line.innerText()).replace(/\s+/g, ' ')).toMatch(/F_SETLKW.*returned while you were away: the lock is yours now/);
    await screenshot(bo.page, 'student-lock-granted-while-away');
    // Bo holds it: Ada's own try is refused.
    const tried = await must(holder.socket, 'op:lock', { ...WHOLE_FILE, type: 'F_WRLCK' });
    expect(tried.outcome.display).toBe('-1 EAGAIN');
  });

  it('killed while it waited (behind Bo, who holds the lock now): back, the log says the F_SETLKW never returned', async () => {
    const cy = await blockedThenAway('Cy', async (s) => {
      await must(room.teacher, 'teacher:kill', { pid: await s.pid() });
    });
    await cy.page.locator('.death[data-cause="SIGKILL"]').waitFor({ timeout: 20_000 });
    const line = cy.page.locator('.log ol > li').first();
    expect((await line.innerText()).replace(/\s+/g, ' ')).toMatch(/F_SETLKW.*killed while it waited/);
  });
});
