/**
 * Untrusted input: wrong types, huge strings, unknown events, floods. Each
 * bad message gets a clear error (or, past the frame cap or a flood, a
 * disconnect), and the room is exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { call, connect, must, raw, type ClientSocket } from './helpers/client.ts';
import { boardState, joinStudent, openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';
import { MAPPINGS_MAX } from '@mmap-lab/shared/protocol/map-budget.ts';

const { server, d, start } = perTestServer('each test starts it');

async function mappedRoom() {
  const room = await openRoom(server.url, d);
  const a = await joinStudent(server.url, d, room.code, 'Ada');
  await must(a.socket, 'op:open', { mode: 'O_RDWR' });
  await must(a.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
  await must(a.socket, 'op:store', { map: 1, index: 0, value: 7 });
  return { room, a };
}

function disconnected(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

describe('hostile payloads', () => {
  it('answers wrong types, missing and out-of-range fields with INVALID_PAYLOAD and changes nothing', async () => {
    await start();
    const { room, a } = await mappedRoom();
    const before = await boardState(server.url, d, room.code, room.credential);
    const bad: [string, unknown][] = [
      ['op:store', { map: 1, index: 0, value: 'A' }],
      ['op:store', { map: 1, index: '0', value: 1 }],
      ['op:store', { map: 1, index: 0, value: 256 }],
      ['op:store', { map: 0, index: 0, value: 1 }],
      ['op:store', { map: 1, index: 0.5, value: 1 }],
      ['op:store', { map: 1, value: 1 }],
      ['op:store', null],
      ['op:store', [1, 0, 1]],
      ['op:store', 'm1[0] = 1'],
      ['op:mmap', { len: '99999999999999999999999', prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 }],
      ['op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED|MAP_PRIVATE', fd: 3, off: 0 }],
      ['op:mmap', { len: 1e300, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 }],
      ['op:lock', { fd: 3, cmd: 'F_GETLK', type: 'F_WRLCK', start: 0, len: 0 }],
      ['op:open', { mode: { toString: 'O_RDWR' } }],
      ['op:pwrite', { fd: 3, off: 0, data: 'zz' }],
      ['op:pwrite', { fd: 3, off: 0, data: 'ab'.repeat(70_000) }],
      ['op:pwrite', { fd: 3, off: 0, data: new Array(70_000).fill(1) }],
      ['op:ftruncate', { fd: 3, len: NaN }],
      ['view:memory', { map: 1, length: 1 << 20 }],
      ['student:join', { code: room.code, name: 'x'.repeat(300_000) }],
      ['student:resume', { code: room.code, token: '../../etc/passwd' }],
      ['teacher:attach', { code: room.code, credential: { $ne: null } }],
    ];
    for (const [event, payload] of bad) {
      const res = await raw(a.socket, event, payload);
      expect(res, `${event} ${JSON.stringify(payload)?.slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    // Deep nesting is refused at the top: zod never walks it.
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i++) deep = [deep];
    expect(await raw(a.socket, 'op:store', deep)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await boardState(server.url, d, room.code, room.credential)).toEqual(before);
    // The socket still works.
    expect((await must(a.socket, 'op:load', { map: 1, index: 0 })).outcome.display).toBe('0x07');
  });

  it('answers view:memory of a mapping the process does not have with INVALID_PAYLOAD naming the field', async () => {
    await start();
    const { a } = await mappedRoom();
    const res = await raw(a.socket, 'view:memory', { map: 2 });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', issues: [{ path: 'map', message: expect.stringContaining('m2') }] } });
    expect((await must(a.socket, 'view:memory', { map: 1 })).hex.slice(0, 2)).toBe('07');
  });

  it('strips unknown keys', async () => {
    await start();
    const { a } = await mappedRoom();
    const res = await raw(a.socket, 'op:load', { map: 1, index: 0, pid2: 9, __proto__: { admin: true }, constructor: 'x' });
    expect(res).toMatchObject({ ok: true, data: { outcome: { display: '0x07' } } });
  });

  it('answers unknown events with UNKNOWN_EVENT, and messages without an ack quietly', async () => {
    await start();
    const { room, a } = await mappedRoom();
    const before = await boardState(server.url, d, room.code, room.credential);
    for (const event of ['op:mremap', 'admin', '__proto__', 'constructor', 'hasOwnProperty', 'x'.repeat(10_000)]) {
      expect(await raw(a.socket, event, {}), event.slice(0, 20)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    }
    const emitNoAck = a.socket.emit as (event: string, ...args: unknown[]) => unknown;
    emitNoAck.call(a.socket, 'op:store', { map: 1, index: 0, value: 9 });
    emitNoAck.call(a.socket, 'op:store', 'garbage');
    expect((await must(a.socket, 'op:load', { map: 1, index: 0 })).outcome.display).toBe('0x09');
    const after = await boardState(server.url, d, room.code, room.credential);
    expect(after.view.processes).toEqual(before.view.processes);
  });

  it('cuts a connection whose frame is over the cap, and the room carries on', async () => {
    await start();
    const { room, a } = await mappedRoom();
    const before = await boardState(server.url, d, room.code, room.credential);
    const gone = disconnected(a.socket);
    (a.socket.emit as (event: string, ...args: unknown[]) => unknown).call(a.socket, 'op:pwrite', { fd: 3, off: 0, data: 'ab'.repeat(600_000) });
    expect(await gone).toBe('transport close');
    expect(await boardState(server.url, d, room.code, room.credential)).toMatchObject({ fileHex: before.fileHex });
    const b = await joinStudent(server.url, d, room.code, 'Bo');
    expect(b.pid).toBeGreaterThan(a.pid);
  });

  it('stops a process at 256 mappings and 1024 pieces of them, and lets it unmap', async () => {
    await start();
    const { a } = await mappedRoom();
    for (let i = 1; i < MAPPINGS_MAX; i++) await must(a.socket, 'op:mmap', { len: 16, prot: 1, flags: 'MAP_SHARED', fd: 3, off: 0 });
    const more = await raw(a.socket, 'op:mmap', { len: 16, prot: 1, flags: 'MAP_SHARED', fd: 3, off: 0 });
    expect(more).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } });
    // Within one mapping: every other page read-only splits it, up to the cap on pieces.
    const b = await joinStudent(server.url, d, (await openRoom(server.url, d)).code, 'Bo');
    await must(b.socket, 'op:open', { mode: 'O_RDWR' });
    await must(b.socket, 'op:mmap', { len: 16 * 4096, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    let refused: unknown;
    for (let page = 1; page < 4096 && refused === undefined; page += 2) {
      const res = await raw(b.socket, 'op:mprotect', { map: 1, off: page * 16, len: 16, prot: 1 });
      if (!(res as { ok: boolean }).ok) refused = res;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } });
    const process = (await must(b.socket, 'op:munmap', { map: 1, off: 0, len: 16 * 4096 })).process;
    expect(process?.mappings[0].segments ?? []).toHaveLength(0);
    expect(await raw(b.socket, 'op:mmap', { len: 16, prot: 1, flags: 'MAP_SHARED', fd: 3, off: 0 })).toMatchObject({ ok: true });
  });

  it('refuses a pread bigger than one answer may carry, and a big file costs the server nothing', async () => {
    await start();
    const { room, a } = await mappedRoom();
    // Sparse, as on ext4: free to make, but a read over it was 128 MiB of bytes, hex and display text.
    await must(a.socket, 'op:ftruncate', { fd: 3, len: 1 << 27 });
    const huge = await raw(a.socket, 'op:pread', { fd: 3, off: 0, count: 1 << 27 });
    expect(huge).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const most = await must(a.socket, 'op:pread', { fd: 3, off: 0, count: 65536 });
    expect(most.outcome.result).toMatchObject({ kind: 'bytes' });
    const hex = most.outcome.result.kind === 'bytes' ? most.outcome.result.hex : '';
    expect(hex).toHaveLength(2 * 65536);
    expect(hex.slice(0, 2)).toBe('07');
    // What the student's log and the board's feed show is the start of it, not 256 KB of escapes.
    expect(most.outcome.display.length).toBeLessThan(600);
    expect(most.outcome.display).toContain('65536 bytes');
    const board = await boardState(server.url, d, room.code, room.credential);
    expect(JSON.stringify(board.feed).length).toBeLessThan(10_000);
  });
});

describe('rate limits', () => {
  it('slows down wrong room codes per address, over sockets and HTTP alike', async () => {
    await start({ wrongCodeBurst: 3, wrongCodeRefillMs: 60_000 });
    const room = await openRoom(server.url, d);
    const s = d.socket(await connect(server.url));
    for (const code of ['ZZZZZ2', 'ZZZZZ3']) {
      expect(await call(s, 'student:join', { code, name: 'x' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    }
    expect((await fetch(`${server.url}/api/rooms/ZZZZZ4`)).status).toBe(404);
    // The burst is spent: now even the right code waits.
    const limited = await call(s, 'student:join', { code: room.code, name: 'x' });
    expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    if (!limited.ok) expect(limited.error.retryAfterMs).toBeGreaterThan(0);
    const http = await fetch(`${server.url}/api/rooms/${room.code}`);
    expect(http.status).toBe(429);
    expect(http.headers.get('retry-after')).not.toBeNull();
  });

  it('limits how many rooms one address creates', async () => {
    await start({ roomCreateBurst: 2, roomCreateRefillMs: 60_000 });
    const create = () =>
      fetch(`${server.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ template: 'blank', pageSize: 16 }),
      });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    const third = await create();
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
  });

  it('counts wrong teacher credentials as wrong codes', async () => {
    await start({ wrongCodeBurst: 2, wrongCodeRefillMs: 60_000 });
    const room = await openRoom(server.url, d);
    const s = d.socket(await connect(server.url));
    for (let i = 0; i < 2; i++) {
      expect(await call(s, 'teacher:attach', { code: room.code, credential: 'A'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIAL' } });
    }
    // Spent: a wrong credential, or any code, is refused the same way...
    expect(await call(s, 'teacher:attach', { code: room.code, credential: 'A'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await call(s, 'teacher:attach', { code: 'ZZZZZ2', credential: room.credential })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // ...but the teacher, who holds the credential, is not guessing: a classroom shares one address.
    expect(await call(s, 'teacher:attach', { code: room.code, credential: room.credential })).toMatchObject({ ok: true });
    const exported = await fetch(`${server.url}/api/rooms/${room.code}/export.json`, { headers: { authorization: `Bearer ${room.credential}` } });
    expect(exported.status).toBe(200);
  });

  it('lets students who were in the room back in when their shared address has spent its budget, and no one else', async () => {
    await start({ wrongCodeBurst: 2, wrongCodeRefillMs: 60_000 });
    const room = await openRoom(server.url, d);
    const ada = await joinStudent(server.url, d, room.code, 'Ada');
    const typos = d.socket(await connect(server.url));
    for (const code of ['ZZZZZ2', 'ZZZZZ3']) {
      expect(await call(typos, 'student:join', { code, name: 'x' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    }
    // A phone that slept comes back with its resume token: the same process.
    ada.socket.disconnect();
    const back = d.socket(await connect(server.url));
    expect(await call(back, 'student:resume', { code: room.code, token: ada.joined.token })).toMatchObject({ ok: true, data: { pid: ada.pid } });
    // A made-up token, and a new join, wait like a guess.
    const other = d.socket(await connect(server.url));
    expect(await call(other, 'student:resume', { code: room.code, token: 'B'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await call(other, 'student:join', { code: room.code, name: 'Bo' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('limits each socket: past its budget a message is refused with retryAfterMs, and a flood is cut', async () => {
    await start({ socketBurst: 5, socketRatePerS: 1, socketFloodAfter: 30 });
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    const answers = await Promise.all(Array.from({ length: 10 }, () => call(a.socket, 'op:open', { mode: 'O_RDONLY' })));
    const limited = answers.filter((r) => !r.ok);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    for (const r of limited) expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
    // Others in the room are not affected.
    const b = await joinStudent(server.url, d, room.code, 'Bo');
    expect((await must(b.socket, 'op:open', { mode: 'O_RDONLY' })).outcome.display).toBe('fd 3');
    const gone = disconnected(a.socket);
    for (let i = 0; i < 40; i++) a.socket.emit('op:fstat', { fd: 3 }, () => {});
    expect(await gone).toBe('io server disconnect');
  });
});
