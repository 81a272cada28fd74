import { expect } from 'vitest';
import type { ReplyOf } from '@mmap-lab/shared/protocol/events.ts';
import { connect, must, type ClientSocket, type Disposables } from './client.ts';
import { createRoom } from './server.ts';

export interface Student {
  socket: ClientSocket;
  joined: ReplyOf<'student:join'>;
  pid: number;
}

export interface TestRoom {
  code: string;
  credential: string;
  teacher: ClientSocket;
  board: ReplyOf<'teacher:attach'>['board'];
}

/** A room with its teacher attached on its own socket. */
export async function openRoom(url: string, d: Disposables, body: Record<string, unknown> = { template: 'counter', pageSize: 16 }): Promise<TestRoom> {
  const { code, credential } = await createRoom(url, body);
  const teacher = d.socket(await connect(url));
  const { board } = await must(teacher, 'teacher:attach', { code, credential });
  return { code, credential, teacher, board };
}

export async function joinStudent(url: string, d: Disposables, code: string, name: string): Promise<Student> {
  const socket = d.socket(await connect(url));
  const joined = await must(socket, 'student:join', { code, name });
  return { socket, joined, pid: joined.pid };
}

/** The room as the board sees it now: what "unchanged" is checked against. */
export async function boardState(url: string, d: Disposables, code: string, credential: string) {
  const teacher = d.socket(await connect(url));
  const { board } = await must(teacher, 'teacher:attach', { code, credential });
  teacher.close();
  return board;
}

export function expectResult(reply: ReplyOf<'op:open'>, display: string): void {
  expect(reply.outcome.display).toBe(display);
}
