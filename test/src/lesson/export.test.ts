/**
 * After class: the teacher's HTTP export. Roster, each exercise's results,
 * the quiz (JSON and CSV), and the class's actual interleaving as traces
 * that replay to the same results with `pnpm trace`, and, for a 4096-byte
 * page, on the real Linux kernel too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace, runTrace } from '@mmap-lab/shared';
import { question } from '@mmap-lab/shared/content/quiz/index.ts';
import { DEMO_PROGRAM_SOURCE } from '@mmap-lab/shared/content/demo-program.ts';
import { classExport, type ClassExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { runOnRealKernel } from '../conformance/real-kernel.ts';
import { must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { loadCounter, mapShared, storeCounter, student, type LessonStudent } from './helpers.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const { server, d } = perTestServer();

const get = (path: string, credential?: string) =>
  fetch(`${server.url}${path}`, credential === undefined ? {} : { headers: { authorization: `Bearer ${credential}` } });

async function exported(room: TestRoom): Promise<ClassExport> {
  const res = await get(`/api/rooms/${room.code}/export.json`, room.credential);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return classExport.parse(await res.json());
}

/** A short class: a counter race with a lost update, a quiz question, then the demo program on 4096-byte pages. */
async function teachAClass(room: TestRoom): Promise<LessonStudent[]> {
  await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 1 } });
  const students = [await student(server.url, d, room.code, 'Ada'), await student(server.url, d, room.code, 'Bo, Jr.')];
  for (const s of students) await mapShared(s);
  const loaded = await Promise.all(students.map(loadCounter));
  for (const [i, s] of students.entries()) await storeCounter(s, loaded[i] + 1);

  const q = question('c5-lost-update')!;
  await must(room.teacher, 'teacher:quiz:push', { questionId: q.id });
  await must(students[0].socket, 'student:quiz:answer', { questionId: q.id, choice: q.answer });
  await must(students[1].socket, 'student:quiz:answer', { questionId: q.id, choice: (q.answer + 1) % q.choices.length });
  await must(room.teacher, 'teacher:quiz:reveal', {});

  await must(room.teacher, 'teacher:exercise:start', { id: 'demo-program', options: {} });
  const peek = await student(server.url, d, room.code, 'Ada');
  await must(peek.socket, 'op:open', { mode: 'O_RDONLY' });
  const size = (await must(peek.socket, 'op:fstat', { fd: 3 })).outcome.result;
  expect(size).toEqual({ kind: 'size', size: DEMO_PROGRAM_SOURCE.length });
  await must(peek.socket, 'op:mmap', { len: DEMO_PROGRAM_SOURCE.length, prot: 1, flags: 'MAP_SHARED', fd: 3, off: 0 });
  await must(peek.socket, 'op:load', { map: 1, index: 2 });
  await must(peek.socket, 'op:store', { map: 1, index: 2, value: 0x41 }); // SIGSEGV: a read-only mapping
  return [...students, peek];
}

describe('the class export', () => {
  it('needs the teacher credential', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    expect((await get(`/api/rooms/${room.code}/export.json`)).status).toBe(401);
    expect((await get(`/api/rooms/${room.code}/export.json`, ada.joined.token)).status).toBe(401);
    expect((await get(`/api/rooms/${room.code}/export/roster.csv`, 'x'.repeat(43))).status).toBe(401);
    expect((await get(`/api/rooms/ZZZZZZ/export.json`, room.credential)).status).toBe(404);
    expect((await get(`/api/rooms/${room.code}/export/nope.csv`, room.credential)).status).toBe(404);
    expect((await get(`/api/rooms/${room.code}/export/..%2Fetc.csv`, room.credential)).status).toBe(404);
  });

  it('holds the roster, each exercise, the quiz, and traces that replay to the logged results (on Linux too for 4096-byte pages)', async () => {
    const room = await openRoom(server.url, d);
    await teachAClass(room);
    const live = (await must(room.teacher, 'teacher:exercise:results', {})).results;
    const doc = await exported(room);

    expect(doc.roster.map((r) => r.name)).toEqual(['Ada', 'Bo, Jr.']);
    expect(doc.runs.map((r) => [r.run, r.id, r.stoppedAt !== null])).toEqual([[1, 'counter-race', true], [2, 'demo-program', false]]);
    const race = doc.runs[0].parts[0].exercise;
    expect(race).toMatchObject({ id: 'counter-race', results: { expected: 2, actual: 1, lost: 1 } });
    expect(doc.runs[1].parts[0].exercise).toEqual(live?.exercise);
    expect(doc.quiz.answers.map((a) => a.student)).toEqual(['Ada', 'Bo, Jr.']);
    expect(doc.quiz.results.map((r) => [r.student, r.correct])).toEqual([['Ada', 1], ['Bo, Jr.', 0]]);
    expect(doc.segments.map((s) => s.reason)).toEqual(['created', 'exercise', 'exercise']);

    for (const segment of doc.segments) {
      const run = runTrace(parseTrace(segment.trace));
      expect(run.error, `segment ${segment.segment}`).toBeUndefined();
      expect(run.lines, `segment ${segment.segment}`).toEqual(segment.expected);
    }
    const demo = doc.segments[2];
    expect(demo.pageSize).toBe(4096);
    expect(demo.expected).toContain('Ada store -> SIGSEGV');
    const linux = runOnRealKernel(parseTrace(demo.trace));
    expect(linux.status, linux.stderr).toBe(0);
    expect(linux.lines).toEqual(demo.expected);

    // `pnpm trace` prints the same from the downloaded file.
    const res = await get(`/api/rooms/${room.code}/export/segment-${doc.segments[1].segment}.trace`, room.credential);
    const text = await res.text();
    expect(text).toBe(doc.segments[1].trace);
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    try {
      writeFileSync(join(dir, 'class.trace'), text);
      const cli = spawnSync('node', ['--import', 'tsx', join(root, 'test/src/trace/cli.ts'), join(dir, 'class.trace')], { cwd: root, encoding: 'utf8' });
      expect(cli.status, cli.stderr).toBe(0);
      expect(cli.stdout).toBe(doc.segments[1].expected.map((l) => `${l}\n`).join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves each table as CSV', async () => {
    const room = await openRoom(server.url, d);
    await teachAClass(room);
    const doc = await exported(room);
    expect(doc.tables).toEqual(expect.arrayContaining(['roster', 'exercise-1-counter-race', 'exercise-2-demo-program', 'quiz-answers', 'quiz-results']));
    const csv = async (name: string) => {
      const res = await get(`/api/rooms/${room.code}/export/${name}.csv`, room.credential);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      return (await res.text()).split('\r\n');
    };
    expect(await csv('roster')).toEqual(['name,pid,connected', expect.stringMatching(/^Ada,\d+,true$/), expect.stringMatching(/^"Bo, Jr\.",\d+,false$/), '']);
    const race = await csv('exercise-1-counter-race');
    expect(race[0]).toBe('name,pids,increments,lost,overwrote,done');
    expect(race).toHaveLength(4);
    expect((await csv('quiz-answers'))[0]).toBe('name,question,chapter,choice,answer_text,correct,ms');
  });
});
