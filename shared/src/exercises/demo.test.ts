import { describe, expect, it } from 'vitest';
import { demoOutput } from '../content/demo-program.ts';
import { templateBytes } from '../content/templates.ts';
import { DemoRun, demoResults } from './demo.ts';
import { TestRoom, type TestStudent } from './test/room.ts';

/** Run the program as the student's process, one call at a time, as the client will. */
function runDemo(student: TestStudent, arg: string | undefined, between?: () => void) {
  const run = new DemoRun(arg);
  const calls: string[] = [];
  for (let op = run.next(); op !== null; op = run.next()) {
    calls.push(op.op);
    if (op.op === 'load') between?.();
    run.feed(student.do(op));
  }
  return { output: run.output!, calls };
}

describe('the demo program in the room', () => {
  const source = templateBytes('demo-source');

  it('makes the calls peek.c makes and prints what the compiled program prints', () => {
    const room = new TestRoom(source, 4096);
    const ada = room.join('Ada');
    for (const arg of ['0', '6', String(source.length - 1), '-1', String(source.length), 'x', undefined]) {
      expect(runDemo(ada, arg).output).toEqual(demoOutput(source, arg));
    }
    expect(runDemo(ada, '6').calls).toEqual(['open', 'fstat', 'mmap', 'close', 'load', 'munmap']);
    expect(runDemo(ada, '-5').calls).toEqual(['open', 'fstat', 'close']);
    expect(runDemo(ada, 'seven').calls).toEqual([]);
    // Every run closed what it opened: descriptors do not pile up.
    expect(ada.do({ op: 'open', mode: 'O_RDONLY' })).toEqual({ kind: 'fd', fd: 3 });
  });

  it('dies of SIGBUS when the file shrinks between mmap and the load', () => {
    const room = new TestRoom(source, 256);
    const ada = room.join('Ada');
    const bo = room.join('Bo');
    bo.do({ op: 'open', mode: 'O_RDWR' });
    const { output } = runDemo(ada, '1000', () => bo.do({ op: 'ftruncate', fd: 3, len: 10n }));
    expect(output).toEqual({ stdout: '', stderr: 'Bus error\n', status: 135 });
  });

  it('shows on the board what each student read and how often offsets were refused', () => {
    const room = new TestRoom(source, 4096);
    const ada = room.join('Ada');
    const bo = room.join('Bo');
    runDemo(ada, '6');
    runDemo(bo, '6');
    runDemo(bo, '99999');
    runDemo(bo, '0');
    const r = demoResults(room.log);
    expect(r.students).toEqual([
      { name: 'Ada', pids: [ada.pid], runs: [{ seq: 4, offset: 6, line: "offset 6: 'p' (0x70)" }], refused: 0, faults: 0 },
      { name: 'Bo', pids: [bo.pid], runs: [expect.objectContaining({ offset: 6 }), expect.objectContaining({ offset: 0, line: "offset 0: '/' (0x2f)" })], refused: 1, faults: 0 },
    ]);
    expect(r.offsets).toEqual([{ offset: 0, value: 0x2f, count: 1 }, { offset: 6, value: 0x70, count: 2 }]);
  });
});
