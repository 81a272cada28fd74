/**
 * The counter race and the locked counter with real, concurrent student
 * sockets: interleaved increments really lose updates, and the locked ones
 * never do. Slow motion holds each operation back so the race happens
 * without any help from the test.
 */
import { describe, expect, it } from 'vitest';
import { compareCounterRounds } from '@mmap-lab/shared/exercises/index.ts';
import type { ExerciseResultsWire } from '@mmap-lab/shared/protocol/lesson.ts';
import { call, must, type ClientSocket } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { increment, loadCounter, mapShared, storeCounter, student, type LessonStudent } from './helpers.ts';

const SLOW_MS = 100;
const { server, d } = perTestServer({ slowMotionMs: SLOW_MS });

async function launch(id: 'counter-race' | 'locked-counter', names: string[], options: { increments: number; slowMotion?: boolean }) {
  const room = await openRoom(server.url, d);
  await must(room.teacher, 'teacher:exercise:start', { id, options });
  const students: LessonStudent[] = [];
  for (const name of names) {
    const s = await student(server.url, d, room.code, name);
    await mapShared(s);
    students.push(s);
  }
  return { room, students };
}

async function results(teacher: ClientSocket): Promise<ExerciseResultsWire['exercise']> {
  const { results } = await must(teacher, 'teacher:exercise:results', {});
  if (results === null) throw new Error('no results');
  return results.exercise;
}

describe('the counter race', () => {
  it('loses updates when students load before each other store, and names who overwrote whom', async () => {
    const { room, students } = await launch('counter-race', ['Ada', 'Bo', 'Cy', 'Dee'], { increments: 2 });
    for (let round = 0; round < 2; round++) {
      // Everyone's load lands before anyone's store: the classic lost update, four times over.
      const loaded = await Promise.all(students.map((s) => loadCounter(s)));
      expect(new Set(loaded).size).toBe(1);
      await Promise.all(students.map((s, i) => storeCounter(s, loaded[i] + 1)));
    }
    const r = await results(room.teacher);
    if (r.id !== 'counter-race') throw new Error(r.id);
    expect(r.results).toMatchObject({ initial: 0, increments: 8, expected: 8, actual: 2, lost: 6, unlocked: 8 });
    expect(r.results.lostUpdates).toHaveLength(6);
    for (const lost of r.results.lostUpdates) expect(lost.overwrittenBy.name).not.toBe(lost.lost.name);
    expect(r.results.pairs.reduce((n, p) => n + p.count, 0)).toBe(6);
    expect(r.results.students.map((s) => s.increments)).toEqual([2, 2, 2, 2]);
  });

  it('in slow motion, students who just increment at the same time lose updates on their own', async () => {
    const { room, students } = await launch('counter-race', ['Ada', 'Bo', 'Cy'], { increments: 3, slowMotion: true });
    expect(students[0].joined.lesson).toMatchObject({ ordering: 'slow-motion', exercise: { slowMotion: true } });
    const started = Date.now();
    await loadCounter(students[0]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 5);

    await Promise.all(students.map(async (s) => {
      for (let i = 0; i < 3; i++) await increment(s, false);
    }));
    const r = await results(room.teacher);
    if (r.id !== 'counter-race') throw new Error(r.id);
    expect(r.results.increments).toBe(9);
    expect(r.results.lost).toBeGreaterThan(0);
    expect(r.results.actual).toBe(r.results.expected - r.results.lost);

    await must(room.teacher, 'teacher:exercise:stop', {});
    expect(await students[0].inbox.next('lesson:ordering')).toMatchObject({ ordering: 'arrival' });
    const fast = Date.now();
    await loadCounter(students[0]);
    expect(Date.now() - fast).toBeLessThan(SLOW_MS);
  });
});

describe('the locked counter', () => {
  it('never loses an update with the same concurrent students, even in slow motion; the board sees the waiting', async () => {
    const { room, students } = await launch('locked-counter', ['Ada', 'Bo', 'Cy'], { increments: 3, slowMotion: true });
    await Promise.all(students.map(async (s) => {
      for (let i = 0; i < 3; i++) await increment(s, true);
    }));
    const r = await results(room.teacher);
    if (r.id !== 'locked-counter') throw new Error(r.id);
    expect(r.results).toMatchObject({ increments: 9, expected: 9, actual: 9, lost: 0, unlocked: 0 });
    expect(r.results.waits.length).toBeGreaterThan(0);
    expect(r.results.waits.every((w) => w.outcome === 'granted')).toBe(true);
    expect(r.results.totalWaitSteps).toBeGreaterThan(0);
    expect(r.results.students.every((s) => s.done)).toBe(true);
  });
});

describe('the two rounds side by side', () => {
  it('gives the board the unlocked round\'s results beside the locked one\'s, for the chart', async () => {
    const room = await openRoom(server.url, d);
    const play = async (id: 'counter-race' | 'locked-counter') => {
      await must(room.teacher, 'teacher:exercise:start', { id, options: { increments: 2, slowMotion: true } });
      const students = [await student(server.url, d, room.code, 'Ada'), await student(server.url, d, room.code, 'Bo')];
      for (const s of students) await mapShared(s);
      await Promise.all(students.map(async (s) => {
        for (let i = 0; i < 2; i++) await increment(s, id === 'locked-counter');
      }));
      await must(room.teacher, 'teacher:exercise:stop', {});
    };
    await play('counter-race');
    await play('locked-counter');
    const first = (await must(room.teacher, 'teacher:exercise:results', { run: 1 })).results!;
    const second = (await must(room.teacher, 'teacher:exercise:results', { run: 2 })).results!;
    expect(second).toEqual((await must(room.teacher, 'teacher:exercise:results', {})).results);
    if (first.exercise.id !== 'counter-race' || second.exercise.id !== 'locked-counter') throw new Error('wrong runs');
    expect(first.final).toBe(true);
    const bars = compareCounterRounds(first.exercise.results, second.exercise.results);
    expect(bars.map((b) => [b.round, b.expected, b.lost === 0])).toEqual([['unlocked', 4, false], ['locked', 4, true]]);
    expect(bars[1].waitSteps).toBeGreaterThan(0);
    expect(await call(room.teacher, 'teacher:exercise:results', { run: 3 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });
});
