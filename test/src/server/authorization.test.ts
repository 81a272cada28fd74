/**
 * Only the teacher credential does teacher things, a student acts only as
 * its own process, and nothing of one room reaches another.
 */
import { describe, expect, it } from 'vitest';
import type { ClientEventName } from '@mmap-lab/shared/protocol/events.ts';
import { call, connect, Inbox, must, raw } from './helpers/client.ts';
import { boardState, joinStudent, openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const { server, d } = perTestServer();

const TEACHER_EVENTS: [ClientEventName, unknown][] = [
  ['teacher:lock-joins', { locked: true }],
  ['teacher:kill', { pid: 1 }],
  ['teacher:stop-all', {}],
  ['teacher:continue-all', {}],
  ['teacher:reboot', { template: 'blank', pageSize: 16 }],
  ['teacher:close', {}],
];

describe('authorization', () => {
  it('refuses every teacher event from a student and from a socket that never joined; the room is unchanged', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    await must(a.socket, 'op:open', { mode: 'O_RDWR' });
    const before = await boardState(server.url, d, room.code, room.credential);
    const stranger = d.socket(await connect(server.url));
    for (const [event, payload] of TEACHER_EVENTS) {
      expect(await raw(a.socket, event, payload), event).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await raw(stranger, event, payload), event).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    }
    expect(await raw(stranger, 'op:open', { mode: 'O_RDWR' })).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    expect(await raw(room.teacher, 'op:open', { mode: 'O_RDWR' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await boardState(server.url, d, room.code, room.credential)).toEqual(before);
  });

  it('refuses a wrong credential', async () => {
    const room = await openRoom(server.url, d);
    const s = d.socket(await connect(server.url));
    const wrong = room.credential.slice(0, -4) + (room.credential.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await call(s, 'teacher:attach', { code: room.code, credential: wrong })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIAL' } });
    expect(await raw(s, 'teacher:stop-all', {})).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
  });

  it('lets a student act only as its own pid', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    const b = await joinStudent(server.url, d, room.code, 'Bo');
    await must(b.socket, 'op:open', { mode: 'O_RDWR' });
    const before = await boardState(server.url, d, room.code, room.credential);
    expect(await call(a.socket, 'op:close', { pid: b.pid, fd: 3 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(a.socket, 'op:exit', { pid: b.pid })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await boardState(server.url, d, room.code, room.credential)).toEqual(before);
    // Naming its own pid is fine.
    expect((await must(a.socket, 'op:open', { pid: a.pid, mode: 'O_RDONLY' })).outcome.display).toBe('fd 3');
  });

  it('keeps rooms apart: credentials, processes and stores of one room do not reach another', async () => {
    const one = await openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: '00'.repeat(16) });
    const two = await openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: '00'.repeat(16) });
    const s = d.socket(await connect(server.url));
    expect(await call(s, 'teacher:attach', { code: two.code, credential: one.credential })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIAL' } });

    const a = await joinStudent(server.url, d, one.code, 'Ada');
    const b = await joinStudent(server.url, d, two.code, 'Bo');
    const bInbox = new Inbox(b.socket, ['room:bytes']);
    for (const x of [a, b]) {
      await must(x.socket, 'op:open', { mode: 'O_RDWR' });
      await must(x.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    }
    // Both rooms number their processes from 1: the same pid means a different process in each.
    expect(a.pid).toBe(b.pid);
    await must(one.teacher, 'teacher:kill', { pid: a.pid });
    expect((await must(b.socket, 'op:fstat', { fd: 3 })).outcome.display).toBe('size 16');
    await must(b.socket, 'op:store', { map: 1, index: 0, value: 0x42 });
    const c = await joinStudent(server.url, d, one.code, 'Cy');
    await must(c.socket, 'op:open', { mode: 'O_RDWR' });
    await must(c.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    await must(c.socket, 'op:store', { map: 1, index: 0, value: 0x43 });
    expect((await must(b.socket, 'op:load', { map: 1, index: 0 })).outcome.display).toBe('0x42');
    expect((await must(c.socket, 'op:load', { map: 1, index: 0 })).outcome.display).toBe('0x43');
    // Bo heard about its own room's store only.
    await must(b.socket, 'op:ftruncate', { fd: 3, len: 17 });
    await bInbox.next('room:bytes', (u) => u.size === 17);
    for (const u of bInbox.of('room:bytes')) for (const r of u.runs) expect(r.hex).not.toBe('43');
  });

  it('never sends the teacher credential to a student', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    const frames: unknown[] = [a.joined];
    a.socket.onAny((...args: unknown[]) => frames.push(args));
    const b = await joinStudent(server.url, d, room.code, 'Bo');
    frames.push(b.joined);
    b.socket.onAny((...args: unknown[]) => frames.push(args));
    for (const s of [a, b]) {
      frames.push(await must(s.socket, 'op:open', { mode: 'O_RDWR' }));
      frames.push(await must(s.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 }));
    }
    frames.push(await must(a.socket, 'op:store', { map: 1, index: 0, value: 1 }));
    const rebooted = [new Inbox(a.socket, ['room:rebooted']), new Inbox(b.socket, ['room:rebooted'])];
    await must(room.teacher, 'teacher:stop-all', {});
    await must(room.teacher, 'teacher:reboot', { pageSize: 64 });
    for (const inbox of rebooted) await inbox.next('room:rebooted');
    const text = JSON.stringify(frames);
    expect(text).not.toContain(room.credential);
    expect(frames.length).toBeGreaterThan(5);
  });
});
