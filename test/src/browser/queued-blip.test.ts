/**
 * The teacher is the scheduler, and a student's link blips while her
 * operation waits in the queue. The server holds it, so it is not "maybe
 * lost": the page keeps showing it queued, and when the teacher runs it,
 * its result (not "ran again": it ran once). A page that comes back learns
 * what is still queued for it, and what those that left the queue while it
 * was away returned, or why they never ran.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { screenshot } from './harness.ts';
import { studentOnLink, type Link } from './link.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const live = liveServer('queued-blip');
let room: TestRoom;

beforeAll(async () => {
  room = await openRoom(live.url, live.d);
  await must(room.teacher, 'teacher:scheduler:start', {});
});

const WELCOME = 'Welcome back: this is the same process as before.';

/** A student on her own link, with an open queued (not run yet): its log entry. */
async function queuedOpen(name: string) {
  const { student: s, link } = await studentOnLink(live.browser, `${live.url}/join/${room.code}`, name);
  await s.page.locator('[data-ordering="teacher"]').waitFor();
  await s.select('open', 'Mode', 'O_RDWR');
  const queued = await s.run('open');
  expect(queued.status).toBe('queued');
  return { s, link, entry: s.page.locator('.log ol > li').first() };
}

async function blip(s: StudentTab, link: Link, whileDown = async () => {}): Promise<void> {
  await link.down();
  await s.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
  await whileDown();
  link.up();
  await s.page.getByText(WELCOME).waitFor({ timeout: 20_000 });
}

describe('an operation in the teacher\'s queue across a blip', () => {
  it('stays queued through the blip, and shows its result once when the teacher runs it', async () => {
    const { s, link, entry } = await queuedOpen('Ada');
    await blip(s, link);
    expect(await entry.getAttribute('data-status')).toBe('queued');
    await must(room.teacher, 'teacher:scheduler:round-robin', {});
    await s.page.locator('.log ol > li[data-status="ok"]').first().waitFor();
    expect(await s.page.locator('.log ol > li').count()).toBe(1);
    const text = (await entry.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('fd 3');
    expect(text).not.toContain('ran again');
  });

  it('a page loaded again shows what is still queued for it, and its result when it runs', async () => {
    const { s } = await queuedOpen('Bo');
    await s.page.reload();
    await s.page.getByText(WELCOME).waitFor();
    const entry = s.page.locator('.log ol > li[data-status="queued"]');
    await entry.waitFor();
    expect(await entry.innerText()).toContain('open("file", O_RDWR)');
    await must(room.teacher, 'teacher:scheduler:round-robin', {});
    await s.page.locator('.log ol > li[data-status="ok"]', { hasText: 'fd 3' }).waitFor();
  });

  it('one the teacher ran while the page was away shows what it returned', async () => {
    const { s, link, entry } = await queuedOpen('Cy');
    await blip(s, link, async () => {
      await must(room.teacher, 'teacher:scheduler:round-robin', {});
    });
    await expect.poll(() => entry.getAttribute('data-status')).toBe('ok');
    const text = (await entry.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('fd 3');
    expect(text).toContain('ran while you were away');
    expect(await s.page.locator('.log ol > li').count()).toBe(1);
    await screenshot(s.page, 'queued-ran-while-away');
  });

  it('one cancelled while the page was away says why', async () => {
    const { s, link, entry } = await queuedOpen('Di');
    const pid = await s.pid();
    await link.down();
    await s.page.getByRole('status').filter({ hasText: 'Disconnected.' }).waitFor();
    await must(room.teacher, 'teacher:kill', { pid });
    // Back to a dead process: no welcome, the kill is what the page shows.
    link.up();
    await expect.poll(() => entry.getAttribute('data-status'), { timeout: 20_000 }).toBe('refused');
    const text = (await entry.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('CANCELLED');
    expect(text).toContain('died before the teacher ran this');
  });

  // Last: it ends the teacher's scheduling for the room.
  it('one run by stopping the scheduler while the page was away shows what it returned', async () => {
    const { s, link, entry } = await queuedOpen('Eve');
    await blip(s, link, async () => {
      await must(room.teacher, 'teacher:scheduler:stop', {});
    });
    await expect.poll(() => entry.getAttribute('data-status')).toBe('ok');
    const text = (await entry.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('fd 3');
    expect(text).toContain('ran while you were away');
  });
});
