/**
 * A link that fails without the page seeing it go: a phone that wakes after
 * the pings it slept through, and a resume or a board's attach whose answer
 * never comes while the socket stays up. The page must say what happened to
 * what the student did, and get back to the same process or board without a
 * reload.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { openTab, screenshot, type Tab } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

/** Longer than Socket.IO's ping interval and timeout together (25 + 20 s): every ping in it was missed. */
const SLEPT_MS = 60_000;
/** Longer than a call waits for its acknowledgement (CALL_TIMEOUT_MS). */
const PAST_CALL_TIMEOUT_MS = 11_000;

const live = liveServer('silent-link');
let room: TestRoom;

beforeAll(async () => {
  room = await openRoom(live.url, live.d);
});

/** A page on Playwright's clock, so a test can move its time. */
async function tabOnAClock(): Promise<Tab> {
  const tab = await openTab(live.browser);
  await tab.page.clock.install();
  return tab;
}

async function studentOnAClock(name: string): Promise<StudentTab> {
  const student = new StudentTab(await tabOnAClock());
  await student.join(`${live.url}/join/${room.code}`, name);
  return student;
}

/**
 * Deliver nothing of the page's next `event`, over long-polling or a
 * WebSocket, while the link itself stays up: as a server too busy to answer.
 * `swallowed` settles once it has lost one.
 */
async function loseNext(page: Page, event: string): Promise<{ swallowed: Promise<void> }> {
  const isIt = (packet: string): boolean => packet.includes(`"${event}"`);
  let lost: () => void;
  const swallowed = new Promise<void>((resolve) => (lost = resolve));
  let done = false;
  await page.route('**/socket.io/**', async (route) => {
    const body = route.request().method() === 'POST' ? route.request().postData() ?? '' : '';
    // Engine.IO batches packets in one POST, separated by the record separator.
    const packets = body.split('\x1e');
    if (done || !packets.some(isIt)) return route.continue();
    done = true;
    lost();
    const rest = packets.filter((p) => !isIt(p));
    if (rest.length > 0) return route.continue({ postData: rest.join('\x1e') });
    return route.fulfill({ status: 200, contentType: 'text/html', body: 'ok' });
  });
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const toServer = ws.connectToServer();
    ws.onMessage((message) => {
      if (!done && typeof message === 'string' && isIt(message)) {
        done = true;
        lost();
        return;
      }
      toServer.send(message);
    });
  });
  return { swallowed };
}

describe('a link that fails without the page seeing it', () => {
  it('a phone wakes after missing its pings: what the student does first is refused as never sent, and she is back on the same process', async () => {
    const ada = await studentOnAClock('Ada');
    const pid = await ada.pid();
    // Asleep: timers did not run, but the clock moved on past every ping.
    await ada.page.clock.setSystemTime(Date.now() + SLEPT_MS);
    const ran = await ada.run('open');
    expect(ran.status).toBe('refused');
    expect(ran.text).toContain('Not connected to the class: nothing was sent.');
    await ada.page.getByText('Welcome back: this is the same process as before.').waitFor();
    await ada.running();
    expect(await ada.pid()).toBe(pid);
    // Nothing was replayed behind her back: the open she saw refused did not happen.
    expect(await ada.page.locator('.process dt').count()).toBe(0);
    expect(ada.tab.errors).toEqual([]);
    await screenshot(ada.page, 'silent-link-woke-refused');
  });

  it('a resume whose answer never comes while the socket stays up: the page dials again and gets the same process back', async () => {
    const bob = await studentOnAClock('Bob');
    const pid = await bob.pid();
    const { swallowed } = await loseNext(bob.page, 'student:resume');
    await bob.page.reload();
    await swallowed;
    await bob.page.getByText('Joining the class…').waitFor();
    await bob.page.clock.fastForward(PAST_CALL_TIMEOUT_MS);
    await bob.page.getByText('Welcome back: this is the same process as before.').waitFor();
    await bob.running();
    expect(await bob.pid()).toBe(pid);
    await screenshot(bob.page, 'silent-link-resume-again');
  });

  it('a board whose attach goes unanswered while the socket stays up dials again and shows the class', async () => {
    const { page } = await tabOnAClock();
    await page.goto(`${live.url}/`);
    await page.getByRole('button', { name: 'Start the class' }).click();
    const code = (await page.getByTestId('room-code').textContent())!.trim();
    const { swallowed } = await loseNext(page, 'teacher:attach');
    await page.reload();
    await swallowed;
    await page.getByText('Opening the board…').waitFor();
    await page.clock.fastForward(PAST_CALL_TIMEOUT_MS);
    await page.getByTestId('room-code').waitFor();
    expect((await page.getByTestId('room-code').textContent())!.trim()).toBe(code);
  });
});
