/**
 * The client's pure logic, in node: what the browser test can only see
 * through pixels and attributes is checked here case by case.
 */
import { describe, expect, it } from 'vitest';
import type { MappingView } from '@mmap-lab/shared/kernel/views.ts';
import { matchRoute } from '../../../client/src/lib/router/routes.ts';
import { patchRuns } from '../../../client/src/lib/student/patch-run.ts';
import { int64, missing, small } from '../../../client/src/lib/student/op-input.ts';
import { cellChar, keyToByte, parseByte } from '../../../client/src/lib/format/bytes.ts';
import { cycleEdges } from '../../../client/src/lib/board/wait-for.ts';
import { makeRuler, span } from '../../../client/src/lib/board/ruler.ts';
import { protShort } from '../../../client/src/lib/format/prot.ts';
import { ownerColour, ownerPattern, OWNER_COLOURS } from '../../../client/src/lib/format/owners.ts';
import { offsetPlus } from '../../../client/src/lib/format/offset.ts';
import { requestRange } from '../../../client/src/lib/format/who.ts';

const view = (over: Partial<MappingView> = {}): MappingView => ({
  map: 1, offset: '16', length: 32, flags: 'MAP_SHARED', segments: [{ from: 0, to: 2, prot: 3 }], copiedPages: [], ...over,
});

describe('routes', () => {
  it('maps the four pages and nothing else', () => {
    expect(matchRoute('/')).toEqual({ page: 'home' });
    expect(matchRoute('/join/K7QM4Z')).toEqual({ page: 'home', code: 'K7QM4Z' });
    expect(matchRoute('/room/K7QM4Z')).toEqual({ page: 'student', code: 'K7QM4Z' });
    expect(matchRoute('/board/K7QM4Z/')).toEqual({ page: 'board', code: 'K7QM4Z' });
    expect(matchRoute('/board')).toEqual({ page: 'not-found', path: '/board' });
    expect(matchRoute('/lab')).toEqual({ page: 'lab' });
    expect(matchRoute('/lab/x')).toEqual({ page: 'not-found', path: '/lab/x' });
    expect(matchRoute('/room/A/B')).toEqual({ page: 'not-found', path: '/room/A/B' });
  });
});

describe('patching a mapping with the room\'s byte runs', () => {
  it('a shared mapping takes the bytes that fall inside it, at mapping indexes, and says who wrote them', () => {
    const { bytes, byOthers } = patchRuns(new Uint8Array(32), view(), [{ offset: 14, hex: '41424344', by: 7 }], 16, 3);
    expect([...bytes.subarray(0, 3)]).toEqual([0x43, 0x44, 0]);
    expect(byOthers).toEqual([{ index: 0, by: 7, value: 0x43 }, { index: 1, by: 7, value: 0x44 }]);
  });

  it('a run outside the mapping changes nothing (same array)', () => {
    const before = new Uint8Array(32);
    expect(patchRuns(before, view(), [{ offset: 0, hex: 'ffff', by: 7 }], 16, 3).bytes).toBe(before);
    expect(patchRuns(before, view(), [{ offset: 48, hex: 'ff', by: 7 }], 16, 3).bytes).toBe(before);
  });

  it('a copied private page no longer follows the file; an uncopied one does', () => {
    const v = view({ flags: 'MAP_PRIVATE', copiedPages: [0] });
    const { bytes, byOthers } = patchRuns(new Uint8Array(32), v, [{ offset: 16, hex: '11'.repeat(32), by: 7 }], 16, 3);
    expect([...bytes.subarray(0, 16)]).toEqual(new Array(16).fill(0));
    expect([...bytes.subarray(16)]).toEqual(new Array(16).fill(0x11));
    expect(byOthers.map((b) => b.index)).toEqual(Array.from({ length: 16 }, (_, i) => 16 + i));
  });

  it('several runs in one message: one copy, each byte named after its writer', () => {
    const before = new Uint8Array(32);
    const runs = [{ offset: 16, hex: '01', by: 7 }, { offset: 18, hex: '0203', by: 8 }];
    const { bytes, byOthers } = patchRuns(before, view(), runs, 16, 3);
    expect([...before.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...bytes.subarray(0, 4)]).toEqual([1, 0, 2, 3]);
    expect(byOthers).toEqual([{ index: 0, by: 7, value: 1 }, { index: 2, by: 8, value: 2 }, { index: 3, by: 8, value: 3 }]);
  });

  it('our own writes update the bytes but are not reported as someone else\'s', () => {
    const { bytes, byOthers } = patchRuns(new Uint8Array(32), view(), [{ offset: 16, hex: '5a', by: 3 }], 16, 3);
    expect(bytes[0]).toBe(0x5a);
    expect(byOthers).toEqual([]);
  });

  it('a mapping drawn only in part (longer than one view) is patched only where it is drawn', () => {
    const { bytes } = patchRuns(new Uint8Array(4), view(), [{ offset: 16, hex: '0102030405', by: 7 }], 16, 3);
    expect([...bytes]).toEqual([1, 2, 3, 4]);
  });

  it('a hole left by munmap takes no byte and nobody is announced as writing there', () => {
    const before = new Uint8Array(32).fill(0x41);
    const holed = view({ segments: [{ from: 1, to: 2, prot: 3 }] });
    const { bytes, byOthers } = patchRuns(before, holed, [{ offset: 16, hex: '58'.repeat(32), by: 7 }], 16, 3);
    expect([...bytes.subarray(0, 16)]).toEqual(new Array(16).fill(0x41));
    expect([...bytes.subarray(16)]).toEqual(new Array(16).fill(0x58));
    expect(byOthers.map((b) => b.index)).toEqual(Array.from({ length: 16 }, (_, i) => 16 + i));
  });

  it('a mapping emptied by munmap (no segments) changes nothing (same array), nothing announced', () => {
    const before = new Uint8Array(32);
    const { bytes, byOthers } = patchRuns(before, view({ segments: [] }), [{ offset: 19, hex: '58', by: 7 }], 16, 3);
    expect(bytes).toBe(before);
    expect(byOthers).toEqual([]);
  });
});

describe('form fields to arguments', () => {
  it('empty means the default; 64-bit values stay exact; junk is refused', () => {
    expect(int64('', 4096n)).toBe(4096n);
    expect(int64(' 18446744073709551615 ', 0n)).toBe(18446744073709551615n);
    expect(int64('-1', 0n)).toBe(-1n);
    expect(int64('1e3', 0n)).toBeUndefined();
    expect(small('', 3)).toBe(3);
    expect(small('99999999999', 3)).toBeUndefined();
    expect(missing({ fd: 3, length: undefined })).toBe('Fill in length with a whole number.');
    expect(missing({ fd: 3 })).toBeUndefined();
  });

  it('bytes: a character, a quoted character, hex or decimal', () => {
    expect(parseByte('A')).toBe(0x41);
    expect(parseByte("'B'")).toBe(0x42);
    expect(parseByte('0x7f')).toBe(0x7f);
    expect(parseByte('255')).toBe(255);
    expect(parseByte('256')).toBeUndefined();
    expect(parseByte('AB')).toBeUndefined();
    expect(keyToByte('Enter')).toBeUndefined();
    expect(keyToByte('é')).toBe(0xe9);
    expect(keyToByte('€')).toBeUndefined();
    expect(cellChar(0)).toBe('·');
    expect(cellChar(0x41)).toBe('A');
    expect(cellChar(0x0a)).toBe('↵');
  });

  it('protection in three letters', () => {
    expect(protShort(3)).toBe('RW-');
    expect(protShort(0)).toBe('---');
    expect(protShort(-1)).toBe('hole');
  });
});

describe('the board', () => {
  it('finds the edges of a wait-for cycle, and only those', () => {
    const edges = [{ from: 1, to: 2 }, { from: 2, to: 3 }, { from: 3, to: 1 }, { from: 4, to: 1 }];
    expect([...cycleEdges(edges)].sort()).toEqual(['1->2', '2->3', '3->1']);
    expect(cycleEdges([{ from: 1, to: 2 }, { from: 2, to: 3 }]).size).toBe(0);
  });

  it('the ruler spans whole pages up to the furthest thing drawn', () => {
    const r = makeRuler(16, 20, [40]);
    expect(r.extent).toBe(48);
    expect(span(r, 0, 24)).toEqual({ left: '0%', width: '50%', beyond: '' });
    expect(span(r, 40, 100).width).toBe(`${(8 / 48) * 100}%`);
  });

  it('the ruler stops a little past the end of the file, and says where a range beyond it goes', () => {
    // A 20-byte file in 16-byte pages: two pages of file, then as far again (at least four pages).
    const r = makeRuler(16, 20, [2 ** 40, Number.MAX_SAFE_INTEGER]);
    expect(r.extent).toBe(32 + 64);
    expect(span(r, 0, 2 ** 40)).toEqual({ left: '0%', width: '100%', beyond: `→ ${2 ** 40}` });
    expect(span(r, 2 ** 60, 2 ** 60 + 1)).toEqual({ left: 'calc(100% - 3rem)', width: '3rem', beyond: `→ at ${2 ** 60}` });
    // A big file is drawn whole: the ruler is never shorter than the file.
    expect(makeRuler(16, 1_000_000, [2 ** 40]).extent).toBe(2_000_000);
  });

  it('owners differ by colour and, past the palette, by pattern too', () => {
    expect(ownerColour(1)).not.toBe(ownerColour(2));
    expect(ownerColour(1)).toBe(ownerColour(1 + OWNER_COLOURS.length));
    expect(ownerPattern(1)).not.toBe(ownerPattern(1 + OWNER_COLOURS.length));
  });
});

describe('offsets past 2^53 as text', () => {
  it('adds to a decimal offset exactly, and prints a lock request\'s bytes as Linux reads start and len', () => {
    expect(offsetPlus('16', 32)).toBe('48');
    expect(offsetPlus('9007199254740991', 2)).toBe('9007199254740993');
    expect(offsetPlus('1152921504606846976', 16)).toBe('1152921504606846992');
    expect(requestRange('1152921504606846976', '1')).toBe('1152921504606846976–1152921504606846976');
    expect(requestRange('10', '0')).toBe('10–∞');
    expect(requestRange('10', '-4')).toBe('6–9');
    const r = makeRuler(16, 32, []);
    expect(span(r, '1152921504606846976', '1152921504606846977').beyond).toBe('→ at 1152921504606846976');
  });
});
