/** The teacher's controls, each from a socket attached with the room's credential. */
import { describe, expect, it } from 'vitest';
import { seatMapText } from '@mmap-lab/shared/content/templates.ts';
import { toHex } from '@mmap-lab/shared/protocol/bytes.ts';
import { call, connect, Inbox, must } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const { server, d } = perTestServer();

async function studentWithFd(code: string, name: string) {
  const s = await joinStudent(server.url, d, code, name);
  const inbox = new Inbox(s.socket, ['process:update', 'op:woke', 'room:rebooted', 'room:closed']);
  await must(s.socket, 'op:open', { mode: 'O_RDWR' });
  return { ...s, inbox };
}

describe('teacher controls', () => {
  it('locks the room to new joins (resuming still works) and unlocks it', async () => {
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, ['board:update']);
    const a = await studentWithFd(room.code, 'Ada');
    expect((await must(room.teacher, 'teacher:lock-joins', { locked: true })).room.locked).toBe(true);
    await board.next('board:update', (u) => u.room?.locked === true);
    const late = d.socket(await connect(server.url));
    expect(await call(late, 'student:join', { code: room.code, name: 'Late' })).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
    a.socket.close();
    const back = d.socket(await connect(server.url));
    expect((await must(back, 'student:resume', { code: room.code, token: a.joined.token })).pid).toBe(a.pid);
    await must(room.teacher, 'teacher:lock-joins', { locked: false });
    expect((await must(late, 'student:join', { code: room.code, name: 'Late' })).name).toBe('Late');
  });

  it('kills one process with SIGKILL: the student is told, its lock goes, its waiter wakes', async () => {
    const room = await openRoom(server.url, d);
    const a = await studentWithFd(room.code, 'Ada');
    const b = await studentWithFd(room.code, 'Bo');
    await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 0 });
    await must(b.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 0 });
    expect(await must(room.teacher, 'teacher:kill', { pid: a.pid })).toEqual({ pids: [a.pid] });
    expect((await a.inbox.next('process:update')).process.state).toEqual({ state: 'dead', cause: 'SIGKILL' });
    expect(await b.inbox.next('op:woke')).toMatchObject({ pid: b.pid, outcome: { display: 'ok' } });
    expect(await must(room.teacher, 'teacher:kill', { pid: a.pid })).toEqual({ pids: [] });
    expect(await call(room.teacher, 'teacher:kill', { pid: 99 })).toMatchObject({ ok: false, error: { code: 'NO_SUCH_PROCESS' } });
  });

  it('stops every process (nothing runs) and continues them (a stopped waiter tries again)', async () => {
    const room = await openRoom(server.url, d);
    const a = await studentWithFd(room.code, 'Ada');
    const b = await studentWithFd(room.code, 'Bo');
    await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 1 });
    await must(b.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 1 });

    const stopped = await must(room.teacher, 'teacher:stop-all', {});
    expect(stopped.pids.sort()).toEqual([a.pid, b.pid].sort());
    expect((await a.inbox.next('process:update')).process.state).toEqual({ state: 'stopped' });
    expect((await b.inbox.next('process:update')).process.state).toEqual({ state: 'stopped' });
    const refused = await must(a.socket, 'op:fstat', { fd: 3 });
    expect(refused.outcome.result).toEqual({ kind: 'not-runnable', state: 'stopped' });
    expect(refused.outcome.explanation).toMatch(/SIGCONT/);

    expect((await must(room.teacher, 'teacher:continue-all', {})).pids.sort()).toEqual([a.pid, b.pid].sort());
    expect((await a.inbox.next('process:update')).process.state).toEqual({ state: 'running' });
    // Bo's F_SETLKW starts again and waits again: Ada still holds the lock.
    expect((await b.inbox.next('process:update', (u) => u.process.state.state !== 'stopped')).process.state.state).toBe('blocked');
    await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0, len: 1 });
    expect(await b.inbox.next('op:woke')).toMatchObject({ outcome: { display: 'ok' } });
  });

  it('reboots with another template and page size: every process dies and students join again', async () => {
    const room = await openRoom(server.url, d);
    const snapshots = new Inbox(room.teacher, ['board:snapshot']);
    const a = await studentWithFd(room.code, 'Ada');
    await must(room.teacher, 'teacher:lock-joins', { locked: true });
    const res = await must(room.teacher, 'teacher:reboot', { template: 'seat-map', pageSize: 64 });
    expect(res.room).toMatchObject({ template: 'seat-map', pageSize: 64, students: 0 });
    expect((await a.inbox.next('room:rebooted')).room.pageSize).toBe(64);
    const snap = await snapshots.next('board:snapshot');
    expect(snap.fileHex).toBe(toHex(new TextEncoder().encode(seatMapText())));
    expect(snap.view.processes).toEqual([]);
    expect(await call(a.socket, 'op:fstat', { fd: 3 })).toMatchObject({ ok: false, error: { code: 'SESSION_GONE' } });
    // The lock keeps newcomers out, not the students whose processes the reboot killed.
    const again = await must(a.socket, 'student:join', { code: room.code, name: 'Ada' });
    expect(again.room.pageSize).toBe(64);
    const newcomer = d.socket(await connect(server.url));
    expect(await call(newcomer, 'student:join', { code: room.code, name: 'Zed' })).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
    expect(again.process.fds).toEqual([]);
  });

  it('reboots with only a new page size, keeping the file as it is', async () => {
    const room = await openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: '00'.repeat(16) });
    const a = await studentWithFd(room.code, 'Ada');
    await must(a.socket, 'op:pwrite', { fd: 3, off: 2, data: 'ff' });
    await must(room.teacher, 'teacher:reboot', { pageSize: 256 });
    const info = (await (await fetch(`${server.url}/api/rooms/${room.code}`)).json()) as { room: { pageSize: number; fileSize: number } };
    expect(info.room).toMatchObject({ pageSize: 256, fileSize: 16 });
    const teacher2 = d.socket(await connect(server.url));
    const { board } = await must(teacher2, 'teacher:attach', { code: room.code, credential: room.credential });
    expect(board.fileHex).toBe('0000ff' + '00'.repeat(13));
  });

  it('closes the room for good', async () => {
    const room = await openRoom(server.url, d);
    const boardEvents = new Inbox(room.teacher, ['room:closed']);
    const a = await studentWithFd(room.code, 'Ada');
    await must(room.teacher, 'teacher:close', {});
    await a.inbox.next('room:closed');
    await boardEvents.next('room:closed');
    expect(await call(a.socket, 'op:fstat', { fd: 3 })).toMatchObject({ ok: false, error: { code: 'ROOM_CLOSED' } });
    expect(await call(room.teacher, 'teacher:stop-all', {})).toMatchObject({ ok: false, error: { code: 'ROOM_CLOSED' } });
    const late = d.socket(await connect(server.url));
    expect(await call(late, 'student:join', { code: room.code, name: 'x' })).toMatchObject({ ok: false, error: { code: 'ROOM_CLOSED' } });
    expect((await fetch(`${server.url}/api/rooms/${room.code}`)).status).toBe(410);
  });

  it('works from a second device with the same credential; both boards see updates', async () => {
    const room = await openRoom(server.url, d);
    const phone = d.socket(await connect(server.url));
    await must(phone, 'teacher:attach', { code: room.code, credential: room.credential });
    const laptopBoard = new Inbox(room.teacher, ['board:update']);
    const a = await studentWithFd(room.code, 'Ada');
    expect(await must(phone, 'teacher:kill', { pid: a.pid })).toEqual({ pids: [a.pid] });
    await laptopBoard.next('board:update', (u) => u.processes.some((p) => p.pid === a.pid && p.state.state === 'dead'));
  });
});
