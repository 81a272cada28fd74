import { describe, expect, it } from 'vitest';
import { parseTrace } from './parse.ts';
import { runTrace } from './run.ts';
import { escapeBytes } from './format.ts';
import { MalformedTrace } from './types.ts';

function malformedLine(text: string): number {
  try {
    parseTrace(text);
  } catch (e) {
    if (e instanceof MalformedTrace) return e.line;
    throw e;
  }
  throw new Error('parsed without complaint');
}

describe('trace language', () => {
  it('reads headers, hex and decimal numbers, byte literals, strings with escapes and comments', () => {
    const t = parseTrace(`# a comment
page 0x40
file text "a\\tb\\n\\"q\\\\\\x7f\\0" # trailing
A store m1 -3 '#'
A store m1 0x10 0x41
A pwrite 3 0 "#not a comment"`);
    expect(t.pageSize).toBe(64);
    expect([...t.file]).toEqual([97, 9, 98, 10, 34, 113, 92, 127, 0]);
    expect(t.steps.map((s) => s.op)).toEqual([
      { op: 'store', map: 1, index: -3, value: 35 },
      { op: 'store', map: 1, index: 16, value: 65 },
      { op: 'pwrite', fd: 3, off: 0n, data: new TextEncoder().encode('#not a comment') },
    ]);
    expect(parseTrace('file pattern 28').file.slice(24)).toEqual(Uint8Array.from([121, 122, 97, 98]));
  });

  it.each([
    ['no file statement', 'A open O_RDONLY', 1],
    ['two file statements', 'file zeros 1\nfile zeros 2', 2],
    ['a header after a step', 'file zeros 1\nA open O_RDWR\npage 16', 3],
    ['a page size that is not a power of two', 'page 100\nfile zeros 1', 1],
    ['an unknown operation', 'file zeros 1\n\nA frob 3', 3],
    ['a bad open mode', 'file zeros 1\nA open O_RDWR|O_CREAT', 2],
    ['MAP_SHARED|MAP_PRIVATE', 'file zeros 1\nA mmap 1 PROT_READ MAP_SHARED|MAP_PRIVATE 3 0', 2],
    ['PROT_NONE joined with others', 'file zeros 1\nA mmap 1 PROT_NONE|PROT_READ MAP_SHARED 3 0', 2],
    ['a negative length', 'file zeros 1\nA mmap -1 PROT_READ MAP_SHARED 3 0', 2],
    ['a byte too big', "file zeros 1\nA store m1 0 0x100", 2],
    ['a mapping not named m<k>', 'file zeros 1\nA load m0 0', 2],
    ['too many arguments', 'file zeros 1\nA fstat 3 4', 2],
    ['an unterminated string', 'file zeros 1\nA pwrite 3 0 "abc', 2],
    ['a bad escape', 'file zeros 1\nA pwrite 3 0 "\\q"', 2],
    ['a bad process name', 'file zeros 1\n1A fstat 3', 2],
    ['a number past 64 bits', 'file zeros 1\nA ftruncate 3 0x10000000000000000', 2],
  ])('rejects %s, naming its line', (_what, text, line) => {
    expect(malformedLine(text)).toBe(line);
  });

  it('reports a step for a blocked process after printing the lines before it', () => {
    const run = runTrace(parseTrace(`file zeros 10
A open O_RDWR
B open O_RDWR
A lock 3 F_SETLK F_WRLCK 0 0
B lock 3 F_SETLKW F_WRLCK 0 0
B fstat 3`));
    expect(run.lines).toHaveLength(4);
    expect(run.error?.line).toBe(6);
  });

  it('reports an m<k> whose mmap failed', () => {
    const run = runTrace(parseTrace(`file zeros 10
A open O_RDWR
A mmap 0 PROT_READ MAP_SHARED 3 0
A load m1 0`));
    expect(run.lines).toEqual(['A open -> fd 3', 'A mmap -> EINVAL']);
    expect(run.error?.line).toBe(4);
  });

  it('prints bytes as the contract says', () => {
    expect(escapeBytes(Uint8Array.from([65, 34, 92, 10, 0, 0x7f, 0x20, 0xff]))).toBe('"A\\"\\\\\\n\\x00\\x7f \\xff"');
  });
});
