/**
 * A shrinking ftruncate takes private copies past the new end away (COW4),
 * the caller's own included. The student who shrank the file must learn it
 * like everyone else: otherwise their screen keeps the page marked "private
 * copy" and drops every later store a classmate makes there, while a load
 * of that byte already returns the classmate's value.
 */
import { expect, it } from 'vitest';
import type { MappingView } from '@mmap-lab/shared/kernel/views.ts';
import { patchRuns } from '../../../client/src/lib/student/patch-run.ts';
import { Inbox, must } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const { server, d, start } = perTestServer('each test starts it');

it('the student who shrinks the file learns their own private copy is gone, and sees a classmate\'s later store there', async () => {
  await start();
  // Two 16-byte pages of '.'.
  const room = await openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: '2e'.repeat(32) });
  const a = await joinStudent(server.url, d, room.code, 'A');
  await must(a.socket, 'op:open', { mode: 'O_RDWR' });
  await must(a.socket, 'op:mmap', { len: 32, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });

  const c = await joinStudent(server.url, d, room.code, 'C');
  const inbox = new Inbox(c.socket, ['room:bytes', 'process:update']);
  await must(c.socket, 'op:open', { mode: 'O_RDWR' });
  await must(c.socket, 'op:mmap', { len: 32, prot: 3, flags: 'MAP_PRIVATE', fd: 3, off: 0 });
  // C's view of m1, as the client keeps it: from its answers, then from pushed updates.
  let view: MappingView = (await must(c.socket, 'op:store', { map: 1, index: 20, value: 0x58 })).process!.mappings[0];
  expect(view.copiedPages).toEqual([1]);

  // C shrinks the file itself: page 1, its private copy included, goes away.
  const shrink = await must(c.socket, 'op:ftruncate', { fd: 3, len: 8 });
  expect(shrink.process?.mappings[0].copiedPages).toEqual([]);
  view = shrink.process!.mappings[0];
  await inbox.next('room:bytes', (u) => u.size === 8);

  // C grows it back; A stores into page 1 through the page cache.
  await must(c.socket, 'op:ftruncate', { fd: 3, len: 32 });
  await must(a.socket, 'op:store', { map: 1, index: 20, value: 0x41 });
  const update = await inbox.next('room:bytes', (u) => u.runs.some((r) => r.offset === 20));
  for (const p of inbox.of('process:update')) view = p.process.mappings[0];
  expect(view.copiedPages).toEqual([]);

  // The kernel and C's screen agree: m1[20] is A's 'A'.
  expect((await must(c.socket, 'op:load', { map: 1, index: 20 })).outcome.display).toBe('0x41');
  const { bytes } = patchRuns(new Uint8Array(32), view, update.runs, 16, c.pid);
  expect(bytes[20]).toBe(0x41);
});
