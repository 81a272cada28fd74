/**
 * On a projector (1280x720 and 1920x1080) with a class of 25 and some locks,
 * the lock table has its own place on the first screen, beside the file and
 * the processes, not below 25 process rows.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom, type Student } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-layout');
const NAMES = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kim', 'Lou', 'Max', 'Ned', 'Oz', 'Pam', 'Quinn', 'Rae', 'Sam', 'Tom', 'Una', 'Vic', 'Wes', 'Xia', 'Maximilian-Alexander X'];

describe('the board on a projector', () => {
  it('shows the lock table on the first screen at 1280x720 and 1920x1080', async () => {
    const room = await openRoom(live.url, live.d, { template: 'seat-map', pageSize: 64 });
    const students: Student[] = [];
    for (const [i, name] of NAMES.entries()) {
      const s = await joinStudent(live.url, live.d, room.code, name);
      students.push(s);
      await must(s.socket, 'op:open', { mode: 'O_RDWR' });
      await must(s.socket, 'op:mmap', { len: 64 * (1 + (i % 3)), prot: 3, flags: i % 2 ? 'MAP_PRIVATE' : 'MAP_SHARED', fd: 3, off: 64 * (i % 2) });
    }
    const lock = (i: number, cmd: 'F_SETLK' | 'F_SETLKW', type: 'F_RDLCK' | 'F_WRLCK', start: number, len: number) =>
      must(students[i].socket, 'op:lock', { fd: 3, cmd, type, start, len });
    await lock(0, 'F_SETLK', 'F_WRLCK', 0, 10);
    await lock(1, 'F_SETLK', 'F_RDLCK', 20, 10);
    await lock(2, 'F_SETLK', 'F_RDLCK', 20, 10);
    await lock(3, 'F_SETLKW', 'F_WRLCK', 5, 1);
    await lock(4, 'F_SETLKW', 'F_WRLCK', 25, 1);
    await lock(24, 'F_SETLK', 'F_WRLCK', 100, 0);

    for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      const board = await openBoard(live, room.code, room.credential, viewport);
      const p = board.page;
      await p.locator('.proc').nth(NAMES.length - 1).waitFor();
      await p.locator('.locks .lock').nth(3).waitFor();
      // The QR code stays up while students still join: the harder case.
      const first = await p.locator('.locks .lock').first().boundingBox();
      expect(first!.y + first!.height).toBeLessThan(viewport.height);
      await screenshot(p, `board-layout-${viewport.height}`);
      expect(board.errors).toEqual([]);
    }
  });
});
