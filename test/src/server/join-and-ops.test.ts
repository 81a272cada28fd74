/** Joining a room and running operations through acknowledgements. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOM_CODE_ALPHABET } from '@mmap-lab/shared/protocol/room-code.ts';
import { call, connect, Inbox, must } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { createRoom, startServer, tempDir } from './helpers/server.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const { server, d } = perTestServer();

describe('HTTP API', () => {
  it('creates a room with a 6-character code and a long teacher credential, and reports it', async () => {
    const created = await createRoom(server.url, { template: 'seat-map', pageSize: 64 });
    expect(created.code).toMatch(new RegExp(`^[${ROOM_CODE_ALPHABET}]{6}$`));
    expect(created.credential.length).toBeGreaterThanOrEqual(40);
    const info = await fetch(`${server.url}/api/rooms/${created.code.toLowerCase()}`);
    expect(info.status).toBe(200);
    const body = (await info.json()) as { room: Record<string, unknown> };
    expect(body.room).toMatchObject({ code: created.code, pageSize: 64, template: 'seat-map', locked: false, students: 0 });
    expect(JSON.stringify(body)).not.toContain(created.credential);
  });

  it('answers health, 404 for an unknown code and 400 for a bad request', async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${server.url}/api/rooms/ZZZZZZ`)).status).toBe(404);
    const bad = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'counter', pageSize: 100 }),
    });
    expect(bad.status).toBe(400);
  });

  it('takes any kernel page size and exact bytes for a custom file', async () => {
    const { code } = await createRoom(server.url, { template: 'custom', pageSize: 32, fileHex: '41424344' });
    const info = (await (await fetch(`${server.url}/api/rooms/${code}`)).json()) as { room: { fileSize: number; pageSize: number } };
    expect(info.room).toMatchObject({ fileSize: 4, pageSize: 32 });
  });
});

describe('the built client', () => {
  it('is served when it exists, with index.html for app paths such as /join/CODE', async () => {
    const dist = join(tempDir(), 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>mmap-lab</title>');
    const withClient = await startServer({ clientDist: dist });
    try {
      for (const path of ['/', '/join/ABCDEF']) {
        const res = await fetch(`${withClient.url}${path}`);
        expect(res.status, path).toBe(200);
        expect(await res.text()).toContain('<title>mmap-lab</title>');
      }
      expect((await fetch(`${withClient.url}/api/nothing`)).status).toBe(404);
    } finally {
      await withClient.close();
    }
  });
});

describe('joining', () => {
  it('makes each student a process with its own pid, a token and a unique name', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code.toLowerCase(), '  Ada  ');
    const b = await joinStudent(server.url, d, room.code, 'Ada');
    expect(a.joined).toMatchObject({ name: 'Ada', resumed: false, room: { code: room.code, students: 1 } });
    expect(b.joined.name).toBe('Ada 2');
    expect(a.pid).not.toBe(b.pid);
    expect(a.joined.token.length).toBeGreaterThanOrEqual(40);
    expect(a.joined.process).toEqual({ pid: a.pid, state: { state: 'running' }, fds: [], mappings: [] });
  });

  it('refuses a wrong code, a bad name and a second join on one connection', async () => {
    const room = await openRoom(server.url, d);
    const s = d.socket(await connect(server.url));
    expect(await call(s, 'student:join', { code: 'ZZZZZZ', name: 'x' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    const bad = await call(s, 'student:join', { code: room.code, name: '   ' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call(s, 'student:join', { code: room.code, name: 'x'.repeat(25) })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    await must(s, 'student:join', { code: room.code, name: 'Bo' });
    expect(await call(s, 'student:join', { code: room.code, name: 'Bo' })).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
  });

  it('tells the board who joined', async () => {
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, ['board:update']);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    const update = await board.next('board:update', (u) => u.roster !== undefined && u.roster.length === 1);
    expect(update.roster).toEqual([{ pid: a.pid, name: 'Ada', connected: true }]);
    expect(update.processes.map((p) => p.pid)).toContain(a.pid);
  });
});

describe('operations', () => {
  it('answers each call with its result, its C line and the process when it changed', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    const open = await must(a.socket, 'op:open', { mode: 'O_RDWR' });
    expect(open.outcome).toEqual({ result: { kind: 'fd', fd: 3 }, display: 'fd 3' });
    expect(open.c).toBe('fd = open("file", O_RDWR);');
    expect(open.process?.fds).toEqual([{ fd: 3, mode: 'O_RDWR' }]);
    const map = await must(a.socket, 'op:mmap', { len: '16', prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    expect(map.outcome.result).toEqual({ kind: 'map', map: 1 });
    expect(map.c).toBe('m1 = mmap(NULL, 16, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0);');
    const store = await must(a.socket, 'op:store', { map: 1, index: 0, value: 0x41 });
    expect(store.outcome.display).toBe('ok');
    expect(store.process).toBeUndefined();
    expect((await must(a.socket, 'op:load', { map: 1, index: 0 })).outcome).toEqual({ result: { kind: 'byte', value: 0x41 }, display: '0x41' });
    const read = await must(a.socket, 'op:pread', { fd: 3, off: 0, count: 2 });
    expect(read.outcome.result).toEqual({ kind: 'bytes', hex: '4100' });
  });

  it('reports an errno as a successful call that says -1 and why', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    await must(a.socket, 'op:open', { mode: 'O_RDONLY' });
    const res = await call(a.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data.outcome.result).toEqual({ kind: 'errno', errno: 'EACCES' });
    expect(res.data.outcome.display).toBe('-1 EACCES');
    expect(res.data.outcome.explanation).toMatch(/O_RDWR/);
  });

  it('kills a store through a read-only mapping with SIGSEGV, and then the process is dead', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    await must(a.socket, 'op:open', { mode: 'O_RDONLY' });
    await must(a.socket, 'op:mmap', { len: 16, prot: 1, flags: 'MAP_SHARED', fd: 3, off: 0 });
    const store = await must(a.socket, 'op:store', { map: 1, index: 0, value: 1 });
    expect(store.outcome.result).toMatchObject({ kind: 'signal', signal: 'SIGSEGV', reason: 'protection' });
    expect(store.outcome.explanation).toMatch(/PROT_WRITE/);
    expect(store.process?.state).toEqual({ state: 'dead', cause: 'SIGSEGV' });
    expect((await must(a.socket, 'op:fstat', { fd: 3 })).outcome.result).toEqual({ kind: 'dead' });
    const again = await must(a.socket, 'student:respawn', {});
    expect(again.pid).not.toBe(a.pid);
    expect(again.name).toBe('Ada');
  });

  it('answers F_SETLKW "blocked" at once, then wakes the waiter in the ack and on its own socket', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    const b = await joinStudent(server.url, d, room.code, 'Bo');
    const bInbox = new Inbox(b.socket, ['op:woke']);
    await must(a.socket, 'op:open', { mode: 'O_RDWR' });
    await must(b.socket, 'op:open', { mode: 'O_RDWR' });
    await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 4 });
    const blocked = await must(b.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 4 });
    expect(blocked.outcome.result).toEqual({ kind: 'blocked', on: { type: 'F_WRLCK', pid: a.pid, start: '0', len: '4' } });
    expect(blocked.process?.state.state).toBe('blocked');
    const unlock = await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0, len: 4 });
    expect(unlock.woke).toEqual([{ pid: b.pid, outcome: { result: { kind: 'ok' }, display: 'ok' } }]);
    const woke = await bInbox.next('op:woke');
    expect(woke).toMatchObject({ pid: b.pid, outcome: { display: 'ok' }, process: { state: { state: 'running' } } });
  });

  it('takes 64-bit values as decimal strings and answers them as strings', async () => {
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    await must(a.socket, 'op:open', { mode: 'O_RDWR' });
    await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: '9007199254740993', len: 0 });
    const b = await joinStudent(server.url, d, room.code, 'Bo');
    await must(b.socket, 'op:open', { mode: 'O_RDWR' });
    const got = await must(b.socket, 'op:getlk', { fd: 3, type: 'F_RDLCK', start: '9007199254740993', len: 1 });
    expect(got.outcome.result).toEqual({ kind: 'lock', lock: { type: 'F_WRLCK', pid: a.pid, start: '9007199254740993', len: '0' } });
  });

  it('shows a mapping as its process sees it', async () => {
    const room = await openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: '41'.repeat(20) });
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    await must(a.socket, 'op:open', { mode: 'O_RDONLY' });
    await must(a.socket, 'op:mmap', { len: 48, prot: 3, flags: 'MAP_PRIVATE', fd: 3, off: 0 });
    await must(a.socket, 'op:store', { map: 1, index: 1, value: 0x42 });
    const view = await must(a.socket, 'view:memory', { map: 1 });
    expect(view.hex).toBe('4142' + '41'.repeat(14) + '41414141' + '00'.repeat(12) + '00'.repeat(16));
    expect(view.faults).toEqual([{ page: 2, reason: 'past-eof' }]);
  });

  it('shows a mapping emptied by munmap as holes: zeros, every page unmapped, like a partial munmap', async () => {
    const room = await openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: '41'.repeat(32) });
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    await must(a.socket, 'op:open', { mode: 'O_RDWR' });
    await must(a.socket, 'op:mmap', { len: 32, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    await must(a.socket, 'op:munmap', { map: 1, off: 0, len: 16 });
    const part = await must(a.socket, 'view:memory', { map: 1 });
    expect(part.hex).toBe('00'.repeat(16) + '41'.repeat(16));
    expect(part.faults).toEqual([{ page: 0, reason: 'unmapped' }]);
    const un = await must(a.socket, 'op:munmap', { map: 1, off: 16, len: 16 });
    expect(un.process?.mappings[0]).toMatchObject({ map: 1, segments: [] });
    const emptied = await must(a.socket, 'view:memory', { map: 1 });
    expect(emptied.hex).toBe('00'.repeat(32));
    expect(emptied.faults).toEqual([{ page: 0, reason: 'unmapped' }, { page: 1, reason: 'unmapped' }]);
  });
});
