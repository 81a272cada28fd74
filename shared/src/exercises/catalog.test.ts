import { describe, expect, it } from 'vitest';
import { PAGE_SIZES } from '../content/templates.ts';
import { RecordedKernel } from '../oplog/recorded-kernel.ts';
import { EXERCISE_IDS, EXERCISES, exercise, exerciseFile, formPairs, splitHalves } from './catalog.ts';
import { exerciseResults } from './results.ts';

describe('the exercises', () => {
  it('are the eight of the lesson, numbered 1 to 8, each with a setup and a checklist', () => {
    expect(EXERCISES.map((e) => e.id)).toEqual([...EXERCISE_IDS]);
    expect(EXERCISES.map((e) => e.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const e of EXERCISES) {
      expect(PAGE_SIZES).toContain(e.setup.pageSize);
      expect(exerciseFile(e.setup).length).toBeGreaterThan(0);
      expect(e.checklist.length).toBeGreaterThanOrEqual(3);
      expect(e.chapter).toBeGreaterThanOrEqual(0);
      expect(e.chapter).toBeLessThanOrEqual(8);
    }
  });

  it('give the crash course a file whose last mapped page lies past its end', () => {
    const setup = exercise('crash-course').setup;
    const size = exerciseFile(setup).length;
    expect(exercise('crash-course').checklist.join(' ')).toContain(`${size}-byte file`);
    expect(size % setup.pageSize).not.toBe(0);
    expect(Math.ceil(size / setup.pageSize) * setup.pageSize).toBeLessThan(64);
  });

  it('give shared-vs-private four pages, one line per page', () => {
    const { setup } = exercise('shared-vs-private');
    const text = new TextDecoder().decode(exerciseFile(setup));
    expect(text.length).toBe(4 * setup.pageSize);
    expect(text.split('\n').slice(0, 4).every((l) => l.length + 1 === setup.pageSize)).toBe(true);
  });

  it('split a class into halves and pairs by join order', () => {
    expect(splitHalves(['a', 'b', 'c', 'd', 'e'])).toEqual({ shared: ['a', 'c', 'e'], private: ['b', 'd'] });
    expect(formPairs(['a', 'b', 'c', 'd', 'e'])).toEqual({ pairs: [['a', 'b'], ['c', 'd']], leftOver: 'e' });
    expect(formPairs(['a', 'b'])).toEqual({ pairs: [['a', 'b']], leftOver: null });
  });

  it('each turn a log into its results', () => {
    for (const e of EXERCISES) {
      const rk = new RecordedKernel({ pageSize: e.setup.pageSize, file: exerciseFile(e.setup) });
      const pid = rk.spawn();
      rk.apply(pid, 'Ada', { op: 'open', mode: 'O_RDWR' });
      rk.apply(pid, 'Ada', { op: 'mmap', len: 16n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
      rk.apply(pid, 'Ada', { op: 'store', map: 1, index: 0, value: 1 });
      const r = exerciseResults(e.id, rk.log, { pairs: [] });
      expect(r.id).toBe(e.id);
      expect(r.results).toBeTypeOf('object');
    }
  });
});
