import { describe, expect, it } from 'vitest';
import { PROT_NONE, PROT_READ } from '../kernel/constants.ts';
import { crashResults } from './crash.ts';
import { TestRoom } from './test/room.ts';

describe('crash course', () => {
  it("tallies who died of what, and who reached all four goals", () => {
    const room = new TestRoom(new Uint8Array(40), 16); // 40 bytes: pages 0-2 hold the file, page 3 lies past its end
    const ada = room.join('Ada');
    const bo = room.join('Bo');
    const cy = room.join('Cy');

    ada.map('MAP_SHARED', 64, 'O_RDONLY', PROT_READ);
    expect(ada.store(0, 1)).toMatchObject({ signal: 'SIGSEGV', reason: 'protection' });
    ada.respawn();
    ada.map('MAP_SHARED', 64);
    ada.do({ op: 'munmap', map: 1, off: 16n, len: 16n });
    expect(ada.load(20)).toBe(-1);
    ada.respawn();
    ada.map('MAP_SHARED', 64);
    expect(ada.load(50)).toBe(-1); // SIGBUS
    ada.respawn();
    ada.do({ op: 'open', mode: 'O_RDONLY' });
    expect(ada.do({ op: 'mmap', len: 16n, prot: PROT_READ | 2, flags: 'MAP_SHARED', fd: 3, off: 0n })).toEqual({ kind: 'errno', errno: 'EACCES' });

    bo.map('MAP_SHARED', 16);
    bo.load(16); // past the mapping's end
    bo.respawn();
    bo.do({ op: 'open', mode: 'O_WRONLY' });
    expect(bo.do({ op: 'mmap', len: 16n, prot: PROT_READ, flags: 'MAP_PRIVATE', fd: 3, off: 0n })).toEqual({ kind: 'errno', errno: 'EACCES' });

    cy.map('MAP_SHARED', 16, 'O_RDWR', PROT_NONE);
    cy.load(0);
    cy.respawn();
    cy.map();
    room.rk.signal(cy.pid, 'Cy', 'SIGKILL');
    room.rk.signal(cy.pid, 'Cy', 'SIGKILL'); // already dead: not a second death

    const r = crashResults(room.log);
    expect(r.deaths.map((d) => [d.name, d.cause, d.signal])).toEqual([
      ['Ada', 'store-read-only', 'SIGSEGV'],
      ['Ada', 'after-munmap', 'SIGSEGV'],
      ['Ada', 'past-eof', 'SIGBUS'],
      ['Bo', 'outside-mapping', 'SIGSEGV'],
      ['Cy', 'no-access', 'SIGSEGV'],
      ['Cy', 'killed', 'SIGKILL'],
    ]);
    expect(r.refusals.map((x) => [x.name, x.op])).toEqual([['Ada', 'mmap'], ['Bo', 'mmap']]);
    expect(r.tally).toEqual([
      { cause: 'store-read-only', count: 1, students: ['Ada'] },
      { cause: 'no-access', count: 1, students: ['Cy'] },
      { cause: 'after-munmap', count: 1, students: ['Ada'] },
      { cause: 'outside-mapping', count: 1, students: ['Bo'] },
      { cause: 'past-eof', count: 1, students: ['Ada'] },
      { cause: 'out-of-space', count: 0, students: [] },
      { cause: 'killed', count: 1, students: ['Cy'] },
      { cause: 'EACCES', count: 2, students: ['Ada', 'Bo'] },
    ]);
    expect(r.students.map((s) => [s.name, s.done, s.pids.length])).toEqual([['Ada', true, 4], ['Bo', false, 2], ['Cy', false, 2]]);
    expect(r.students[1].goals).toEqual({ storeReadOnly: false, afterMunmap: false, pastEof: false, refused: true });
  });
});
