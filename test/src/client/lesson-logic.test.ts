import { describe, expect, it } from 'vitest';
import { codeSpans } from '../../../client/src/lib/lesson/code-spans.ts';
import { lostUpdate, openModeGrid, pagesPastEof, unmappedHole } from '../../../client/src/lib/lesson/diagrams/kernel-facts.ts';

describe('lesson text', () => {
  it('sets text in backticks as code, and keeps an unpaired backtick as a character', () => {
    expect(codeSpans('call `read()` then `mmap()`.')).toEqual([
      { code: false, text: 'call ' }, { code: true, text: 'read()' }, { code: false, text: ' then ' }, { code: true, text: 'mmap()' }, { code: false, text: '.' },
    ]);
    expect(codeSpans('a ` alone')).toEqual([{ code: false, text: 'a ` alone' }]);
    expect(codeSpans('`x` and ` y')).toEqual([{ code: true, text: 'x' }, { code: false, text: ' and ` y' }]);
  });
});

describe('the chapter diagrams ask the kernel', () => {
  it('open modes: O_WRONLY cannot be mapped; O_RDONLY refuses only a shared writable mapping; O_RDWR allows all', () => {
    const grid = Object.fromEntries(openModeGrid().map((r) => [r.mode, r.cells.map((c) => c.display)]));
    expect(grid.O_RDONLY).toEqual(['map m1', '-1 EACCES', 'map m1']);
    expect(grid.O_WRONLY).toEqual(['-1 EACCES', '-1 EACCES', '-1 EACCES']);
    expect(grid.O_RDWR).toEqual(['map m1', 'map m1', 'map m1']);
  });

  it('pages past the end of the file: zeros in the last page, SIGBUS past it; a munmap hole is SIGSEGV', () => {
    expect(pagesPastEof().map((p) => p.load.display)).toEqual(['0x78', '0x78', '0x00', 'SIGBUS']);
    expect(unmappedHole().loads.map((l) => l.display)).toEqual(['0x61', 'SIGSEGV', '0x47']);
  });

  it('the interleaved increments lose one', () => {
    const { steps, final } = lostUpdate();
    expect(steps.map((s) => `${s.who}:${s.register}`)).toEqual(['A:7', 'B:7', 'A:8', 'B:8']);
    expect(final).toBe(8);
  });
});
