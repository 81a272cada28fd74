import type { ReplyOf, ServerEventName } from '@mmap-lab/shared/protocol/events.ts';
import { connect, Inbox, must, type ClientSocket, type Disposables } from '../server/helpers/client.ts';

/** Everything a student's screen listens to in the lesson tests. */
export const STUDENT_EVENTS = [
  'room:rebooted', 'room:bytes', 'process:update', 'op:woke', 'lesson:chapter', 'lesson:ordering', 'lesson:exercise',
  'quiz:question', 'quiz:reveal', 'op:queued', 'op:undone', 'op:applied', 'op:cancelled', 'room:rewound',
] as const satisfies readonly ServerEventName[];

export const BOARD_EVENTS = [
  'board:snapshot', 'board:update', 'board:lesson', 'board:queue', 'board:quiz', 'board:results', 'quiz:reveal',
] as const satisfies readonly ServerEventName[];

export interface LessonStudent {
  name: string;
  socket: ClientSocket;
  inbox: Inbox<(typeof STUDENT_EVENTS)[number]>;
  joined: ReplyOf<'student:join'>;
  pid: number;
}

/** A student on a socket of its own, listening from before it joins. */
export async function student(url: string, d: Disposables, code: string, name: string): Promise<LessonStudent> {
  const socket = d.socket(await connect(url));
  const inbox = new Inbox(socket, STUDENT_EVENTS);
  const joined = await must(socket, 'student:join', { code, name });
  return { name: joined.name, socket, inbox, joined, pid: joined.pid };
}

/** As the client does after a reboot: a new connection, the same name. */
export function rejoin(url: string, d: Disposables, code: string, s: LessonStudent): Promise<LessonStudent> {
  return student(url, d, code, s.name);
}

/** Open the file O_RDWR (fd 3) and map its first `len` bytes shared and writable (m1). */
export async function mapShared(s: LessonStudent, len = 16): Promise<void> {
  await must(s.socket, 'op:open', { mode: 'O_RDWR' });
  await must(s.socket, 'op:mmap', { len, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
}

/** The register's value after `load m1[0]`. */
export async function loadCounter(s: LessonStudent): Promise<number> {
  const r = (await must(s.socket, 'op:load', { map: 1, index: 0 })).outcome.result;
  if (r.kind !== 'byte') throw new Error(`${s.name}'s load answered ${JSON.stringify(r)}`);
  return r.value;
}

export async function storeCounter(s: LessonStudent, value: number): Promise<void> {
  const r = (await must(s.socket, 'op:store', { map: 1, index: 0, value: value & 0xff })).outcome;
  if (r.display !== 'ok') throw new Error(`${s.name}'s store answered ${r.display}`);
}

/** F_SETLKW a write lock on the counter byte, waiting for op:woke if it blocks. */
export async function lockCounter(s: LessonStudent): Promise<void> {
  const r = await must(s.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 1 });
  if (r.outcome.result.kind === 'blocked') {
    const woke = await s.inbox.next('op:woke');
    if (woke.outcome.display !== 'ok') throw new Error(`${s.name} woke with ${woke.outcome.display}`);
  } else if (r.outcome.display !== 'ok') {
    throw new Error(`${s.name}'s lock answered ${r.outcome.display}`);
  }
}

export async function unlockCounter(s: LessonStudent): Promise<void> {
  await must(s.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0, len: 1 });
}

/** One increment as the checklist has it: three separate messages (load, add in the register, store). */
export async function increment(s: LessonStudent, locked: boolean): Promise<void> {
  if (locked) await lockCounter(s);
  const value = await loadCounter(s);
  await storeCounter(s, value + 1);
  if (locked) await unlockCounter(s);
}
