/**
 * The teacher credential never reaches a student. Every frame each student
 * socket receives is captured at the Engine.IO level (events, acks,
 * binary attachments alike), from before it connects, through a class that
 * uses every teacher control the protocol has (the test fails if a teacher
 * event is added and not exercised here): attach from two devices, lock and
 * unlock joins, chapters, a quiz round, an exercise, the scheduler with all
 * its moves, stop and continue, kill, reboot with and without a template,
 * close. Students join, work, block on locks, answer, resume from a second
 * tab, respawn, rejoin after reboots, try a wrong credential; the HTTP
 * answers a student's page fetches are captured too. None of it may contain
 * the credential, its decoded bytes, or the SHA-256 the server stores (hex,
 * base64, base64url). Also checked: a student's resume token reaches no
 * other socket, the teacher's included (it would let them act as that
 * student). authorization.test.ts checks the simpler path; this one covers
 * every control.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { roomRegistryOf } from '@mmap-lab/server/app.ts';
import type { Room } from '@mmap-lab/server/rooms/room.ts';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import { clientEvents, type ClientEventName, type ReplyOf, type RequestIn } from '@mmap-lab/shared/protocol/events.ts';
import { call, Inbox, type ClientSocket } from '../server/helpers/client.ts';
import { createRoom } from '../server/helpers/server.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';

const { server, d, start } = perTestServer('each test starts it');

interface Captured {
  label: string;
  socket: ClientSocket;
  /** Every Engine.IO packet received, as text (binary as hex, base64 and latin1). */
  frames: string[];
  inbox: Inbox<'room:rebooted' | 'op:woke' | 'op:queued' | 'session:ended' | 'room:closed' | 'process:update' | 'quiz:question'>;
}

function frameText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data === undefined) return '';
  const bytes = Buffer.from(data as ArrayBuffer);
  return `${bytes.toString('hex')} ${bytes.toString('base64')} ${bytes.toString('latin1')}`;
}

/** A socket whose every received frame is kept, from the handshake on. */
async function captured(url: string, label: string): Promise<Captured> {
  const socket: ClientSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
  d.socket(socket);
  const frames: string[] = [];
  socket.io.on('open', () => {
    const engine = socket.io.engine as unknown as { on(e: 'packet', f: (p: { type: string; data?: unknown }) => void): void };
    engine.on('packet', (p) => frames.push(`${p.type} ${frameText(p.data)}`));
  });
  const inbox = new Inbox(socket, ['room:rebooted', 'op:woke', 'op:queued', 'session:ended', 'room:closed', 'process:update', 'quiz:question']);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
  return { label, socket, frames, inbox };
}

async function must<E extends ClientEventName>(c: Captured, event: E, payload: RequestIn<E>): Promise<ReplyOf<E>> {
  const res = await call(c.socket, event, payload);
  if (!res.ok) throw new Error(`${c.label} ${event}: ${res.error.code}: ${res.error.message}`);
  return res.data;
}

/** An op sent without waiting for its ack (the scheduler answers it when the teacher runs it). */
function later<E extends ClientEventName>(c: Captured, event: E, payload: RequestIn<E>): Promise<Ack<ReplyOf<E>>> {
  const p = call(c.socket, event, payload);
  p.catch(() => undefined);
  return p;
}

const TEACHER_EVENTS = (Object.entries(clientEvents) as [ClientEventName, { role: string }][])
  .filter(([, spec]) => spec.role === 'teacher')
  .map(([name]) => name);

describe('the teacher credential never reaches a student', () => {
  it('over every frame students receive in a class that uses every teacher control', { timeout: 120_000 }, async () => {
    await start({ graceMs: 60_000 });
    const url = server.url;
    const { code, credential } = await createRoom(url, { template: 'counter', pageSize: 16 });
    const room = roomRegistryOf(server.app)?.live(code) as Room;
    const hashHex = createHash('sha256').update(credential).digest('hex');
    // What the server keeps is that hash: it must not travel either.
    expect(room.teacherHash).toBe(hashHex);
    const hashBytes = Buffer.from(hashHex, 'hex');
    const secrets = [
      credential,
      Buffer.from(credential, 'base64url').toString('hex'),
      hashHex,
      hashHex.toUpperCase(),
      hashBytes.toString('base64'),
      hashBytes.toString('base64url'),
    ];
    const http: string[] = [];
    const fetchText = async (path: string) => {
      const res = await fetch(`${url}${path}`);
      http.push(`${path} ${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
    };

    const used = new Set<ClientEventName>();
    const teacher = async <E extends ClientEventName>(t: Captured, event: E, payload: RequestIn<E>) => {
      used.add(event);
      return must(t, event, payload);
    };

    const students: Captured[] = [];
    const join = async (name: string) => {
      await fetchText(`/api/rooms/${code}`);
      const s = await captured(url, name);
      const joined = await must(s, 'student:join', { code, name });
      students.push(s);
      return { s, joined };
    };
    const mapShared = async (s: Captured) => {
      await must(s, 'op:open', { mode: 'O_RDWR' });
      await must(s, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    };
    const tokens = new Map<Captured, string>();
    const tokenOf = (s: Captured, token: string) => tokens.set(s, token);

    // Two teacher devices; students arrive.
    const t1 = await captured(url, 'teacher');
    await must(t1, 'teacher:attach', { code, credential });
    const t2 = await captured(url, 'teacher 2');
    await must(t2, 'teacher:attach', { code, credential });
    let ada = await join('Ada');
    let bo = await join('Bo');
    let cy = await join('Cy');
    for (const x of [ada, bo, cy]) tokenOf(x.s, x.joined.token);
    for (const x of [ada, bo, cy]) await mapShared(x.s);

    await teacher(t1, 'teacher:lock-joins', { locked: true });
    const dee = await captured(url, 'Dee');
    students.push(dee);
    expect(await call(dee.socket, 'student:join', { code, name: 'Dee' })).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
    await teacher(t2, 'teacher:lock-joins', { locked: false });
    tokenOf(dee, (await must(dee, 'student:join', { code, name: 'Dee' })).token);

    // Work: stores, a lock one of them waits for.
    await must(ada.s, 'op:store', { map: 1, index: 0, value: 1 });
    await must(ada.s, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 1 });
    expect((await must(bo.s, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 1 })).outcome.result.kind).toBe('blocked');
    await must(ada.s, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0, len: 1 });
    await bo.s.inbox.next('op:woke');
    // A student guessing: a near miss of the credential, and the credential of no room.
    const nearMiss = credential.slice(0, -1) + (credential.endsWith('A') ? 'B' : 'A');
    expect(await call(cy.s.socket, 'teacher:attach', { code, credential: nearMiss })).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
    expect(await call(dee.socket, 'teacher:attach', { code, credential: nearMiss })).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
    const guesser = await captured(url, 'guesser');
    students.push(guesser);
    expect(await call(guesser.socket, 'teacher:attach', { code, credential: nearMiss })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIAL' } });

    // Lesson: a chapter and a quiz round.
    await teacher(t1, 'teacher:chapter', { chapter: 1 });
    await teacher(t2, 'teacher:quiz:bank', { chapter: 0 });
    await teacher(t1, 'teacher:quiz:push', { questionId: 'c0-read-copies' });
    await ada.s.inbox.next('quiz:question');
    await must(ada.s, 'student:quiz:answer', { questionId: 'c0-read-copies', choice: 1 });
    await must(bo.s, 'student:quiz:answer', { questionId: 'c0-read-copies', choice: 0 });
    await teacher(t2, 'teacher:quiz:reveal', {});
    await teacher(t1, 'teacher:quiz:results', {});

    // An exercise (it starts a new kernel: everyone rejoins, as the client does, on a new connection).
    await teacher(t1, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 2 } });
    for (const x of [ada, bo, cy]) await x.s.inbox.next('room:rebooted').catch(() => undefined);
    ada = await join('Ada');
    bo = await join('Bo');
    cy = await join('Cy');
    for (const x of [ada, bo, cy]) tokenOf(x.s, x.joined.token);
    for (const x of [ada, bo, cy]) await mapShared(x.s);
    await teacher(t1, 'teacher:exercise:results', {});

    // The teacher as the scheduler, every move.
    await teacher(t1, 'teacher:scheduler:start', { seed: 11 });
    const a1 = later(ada.s, 'op:load', { map: 1, index: 0 });
    const b1 = later(bo.s, 'op:load', { map: 1, index: 0 });
    const queued = await ada.s.inbox.next('op:queued');
    await bo.s.inbox.next('op:queued');
    await teacher(t1, 'teacher:scheduler:run', { id: queued.id });
    await teacher(t1, 'teacher:scheduler:round-robin', {});
    const c1 = later(cy.s, 'op:store', { map: 1, index: 0, value: 9 });
    const a2 = later(ada.s, 'op:store', { map: 1, index: 0, value: 1 });
    await cy.s.inbox.next('op:queued');
    await ada.s.inbox.next('op:queued');
    await teacher(t2, 'teacher:scheduler:random', { seed: 5 });
    await teacher(t1, 'teacher:scheduler:undo', {});
    await teacher(t1, 'teacher:scheduler:redo', {});
    await teacher(t1, 'teacher:scheduler:replay', {});
    await teacher(t1, 'teacher:scheduler:stop', {});
    await Promise.all([a1, b1, c1, a2]);
    await teacher(t1, 'teacher:exercise:stop', {});

    // Signals.
    await teacher(t1, 'teacher:stop-all', {});
    await teacher(t2, 'teacher:continue-all', {});
    await teacher(t1, 'teacher:kill', { pid: cy.joined.pid });
    await cy.s.inbox.next('process:update');
    await must(cy.s, 'student:respawn', {});

    // Ada again from a second tab: the first one is told it no longer controls the process.
    const adaTab = await captured(url, 'Ada tab 2');
    students.push(adaTab);
    await must(adaTab, 'student:resume', { code, token: ada.joined.token });
    await ada.s.inbox.next('session:ended');

    // Reboots, with and without a template; everyone comes back.
    await teacher(t1, 'teacher:reboot', { pageSize: 64 });
    await bo.s.inbox.next('room:rebooted');
    bo = await join('Bo');
    tokenOf(bo.s, bo.joined.token);
    await teacher(t2, 'teacher:reboot', { pageSize: 16, template: 'text', text: 'the board says hello' });
    await bo.s.inbox.next('room:rebooted');
    bo = await join('Bo');
    tokenOf(bo.s, bo.joined.token);
    await mapShared(bo.s);
    await fetchText('/health');

    // And the end of the class.
    await teacher(t1, 'teacher:close', {});
    await bo.s.inbox.next('room:closed');
    await fetchText(`/api/rooms/${code}`);

    // Every teacher control the protocol has was used.
    expect(TEACHER_EVENTS.filter((e) => !used.has(e)), 'teacher events this test does not exercise yet').toEqual([]);

    const frames = students.reduce((n, s) => n + s.frames.length, 0);
    expect(frames).toBeGreaterThan(100);
    for (const s of students) {
      const text = s.frames.join('\n');
      for (const secret of secrets) expect(text.includes(secret), `${s.label}'s frames hold the teacher credential (or its hash)`).toBe(false);
    }
    const httpText = http.join('\n');
    for (const secret of secrets) expect(httpText.includes(secret), 'an HTTP answer a student gets holds the credential').toBe(false);

    // A resume token reaches its own student only: not another student, not the teacher's board.
    for (const [owner, token] of tokens) {
      // The capture sees acknowledgements too: each student's frames hold its own token (from its join).
      expect(owner.frames.join('\n'), `${owner.label}'s capture`).toContain(token);
      for (const other of [...students, t1, t2]) {
        if (other === owner || (owner === ada.s && other === adaTab)) continue;
        expect(other.frames.join('\n').includes(token), `${owner.label}'s resume token reached ${other.label}`).toBe(false);
      }
    }
    console.log(`credential: ${frames} frames to ${students.length} student sockets, ${http.length} HTTP answers, ${TEACHER_EVENTS.length} teacher controls used; none holds the credential or its hash`);
  });
});
