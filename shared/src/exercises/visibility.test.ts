import { describe, expect, it } from 'vitest';
import { visibilityResults } from './visibility.ts';
import { TestRoom } from './test/room.ts';

describe('shared against private', () => {
  it('shows who saw whose stores, page by page, and which private pages were copied', () => {
    const room = new TestRoom(new Uint8Array(64), 16);
    const [sam, sue, pat, pia] = ['Sam', 'Sue', 'Pat', 'Pia'].map((n) => room.join(n));
    sam.map('MAP_SHARED', 64);
    sue.map('MAP_SHARED', 64);
    pat.map('MAP_PRIVATE', 64);
    pia.map('MAP_PRIVATE', 64);

    sam.store(1, 65); // page 0: everyone's view follows the file
    pat.store(2, 66); // Pat copies page 0: only Pat sees it
    sue.store(3, 67); // page 0 again: Pat's copy no longer follows
    pia.store(20, 68); // Pia copies page 1
    sam.store(21, 69); // page 1: Pia's copy misses it

    const r = visibilityResults(room.log);
    expect(r.stores.map((s) => [s.name, s.page, s.shared, s.seenBy, s.missedBy])).toEqual([
      ['Sam', 0, true, ['Sue', 'Pat', 'Pia'], []],
      ['Pat', 0, false, [], ['Sam', 'Sue', 'Pia']],
      ['Sue', 0, true, ['Sam', 'Pia'], ['Pat']],
      ['Pia', 1, false, [], ['Sam', 'Sue', 'Pat']],
      ['Sam', 1, true, ['Sue', 'Pat'], ['Pia']],
    ]);
    expect(r.copies.map((c) => [c.name, c.page])).toEqual([['Pat', 0], ['Pia', 1]]);
    expect(r.pages).toEqual([
      { page: 0, sharedStores: 2, privateStores: 1, copiedBy: ['Pat'] },
      { page: 1, sharedStores: 1, privateStores: 1, copiedBy: ['Pia'] },
    ]);
    expect(r.sees).toContainEqual({ viewer: 'Pia', writer: 'Sam', page: 0, count: 1 });
    expect(r.sees.find((s) => s.viewer === 'Pia' && s.page === 1)).toBeUndefined();
    expect(r.students.map((s) => [s.name, s.mapping, s.stores, s.sawOthers, s.seenByOthers])).toEqual([
      ['Sam', 'shared', 2, 1, 5],
      ['Sue', 'shared', 1, 2, 2],
      ['Pat', 'private', 1, 2, 0],
      ['Pia', 'private', 1, 2, 0],
    ]);
  });

  it('ignores stores that faulted, and a dead process sees nothing', () => {
    const room = new TestRoom(new Uint8Array(16), 16);
    const [a, b] = ['A', 'B'].map((n) => room.join(n));
    a.map();
    b.map();
    b.store(99, 1); // SIGSEGV: B dies
    a.store(0, 1);
    const r = visibilityResults(room.log);
    expect(r.stores.map((s) => [s.name, s.seenBy])).toEqual([['A', []]]);
  });
});
