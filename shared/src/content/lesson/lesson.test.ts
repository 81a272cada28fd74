import { describe, expect, it } from 'vitest';
import { EXERCISES } from '../../exercises/catalog.ts';
import { parseTrace } from '../../trace/parse.ts';
import { runTrace } from '../../trace/run.ts';
import { CHAPTERS, chapter } from './index.ts';
import { DIAGRAMS } from './types.ts';

const allText = (c: (typeof CHAPTERS)[number]) => [c.title, ...c.paragraphs, ...c.keyPoints, c.code ?? '', ...(c.table?.rows.flat() ?? [])].join('\n');

/** Run a small trace on the simulator and return its results only. */
function results(trace: string): string[] {
  const run = runTrace(parseTrace(trace));
  if (run.error) throw run.error;
  return run.lines.map((l) => l.split(' -> ')[1]);
}

describe('the lesson', () => {
  it('has the nine chapters 0 to 8, each with text, key points, a diagram and an activity', () => {
    expect(CHAPTERS.map((c) => c.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(CHAPTERS.map((c) => c.id)).size).toBe(9);
    for (const c of CHAPTERS) {
      expect(c.paragraphs.length).toBeGreaterThanOrEqual(2);
      expect(c.paragraphs.length).toBeLessThanOrEqual(5);
      for (const p of c.paragraphs) expect(p.length).toBeLessThan(700);
      expect(c.keyPoints.length).toBeGreaterThanOrEqual(3);
      expect(DIAGRAMS).toContain(c.diagram);
      // Code spans are balanced, so the client never renders half a paragraph as code.
      for (const text of [...c.paragraphs, ...c.keyPoints]) expect((text.match(/`/g) ?? []).length % 2).toBe(0);
    }
    expect(chapter(8)?.table?.rows.map((r) => r[0])).toEqual(
      ['Backing store', 'Persistence', 'Setup', 'Clean-up', 'Size', 'Synchronisation', 'Naming', 'Portability'],
    );
  });

  it('pairs every exercise with its chapter, and the chapter launches it', () => {
    for (const e of EXERCISES) {
      const c = chapter(e.chapter)!;
      expect(c.activity.kind).toBe('exercise');
      if (c.activity.kind === 'exercise') expect(c.activity.exercises).toContain(e.id);
    }
  });

  it('states the facts the issue lists', () => {
    const text = (n: number) => allText(chapter(n)!);
    expect(text(0)).toMatch(/System V/);
    expect(text(1)).toMatch(/`O_WRONLY` cannot be mapped/);
    expect(text(2)).toContain('`MAP_FAILED`, which is `(void *)-1`');
    expect(text(2)).toMatch(/never `NULL`/);
    for (const fact of ['`SIGSEGV`', '`SIGBUS`', 'copy-on-write', '4096', '64 KiB', 'zeros']) expect(text(3)).toContain(fact);
    expect(text(4)).toMatch(/`SIGSEGV`/);
    for (const fact of ['advisory', '`F_SETLK`', '`F_SETLKW`', '`F_GETLK`', '`EDEADLK`', 'emaphore']) expect(text(5)).toContain(fact);
    for (const call of ['open()', 'fstat()', 'mmap()', 'munmap()']) expect(text(6)).toContain(call);
  });

  it("makes claims the kernel agrees with", () => {
    // Chapter 1: open modes against mapping kinds.
    expect(results(`file zeros 16
A open O_WRONLY
A mmap 16 PROT_READ MAP_SHARED 3 0
A open O_RDONLY
A mmap 16 PROT_READ|PROT_WRITE MAP_SHARED 4 0
A mmap 16 PROT_READ|PROT_WRITE MAP_PRIVATE 4 0
A close 4
A load m1 0`)).toEqual(['fd 3', 'EACCES', 'fd 4', 'EACCES', 'map m1', 'ok', '0x00']);
    // Chapter 2: offset a page multiple, length above zero.
    expect(results(`file zeros 8192
A open O_RDWR
A mmap 16 PROT_READ MAP_SHARED 3 100
A mmap 0 PROT_READ MAP_SHARED 3 0
A mmap 16 PROT_READ MAP_SHARED 3 4096`)).toEqual(['fd 3', 'EINVAL', 'EINVAL', 'map m1']);
    // Chapter 3: zeros past end of file, SIGBUS a page past it, SIGSEGV for a read-only store; private copies stay private.
    expect(results(`file text "abc"
A open O_RDWR
A mmap 8192 PROT_READ MAP_SHARED 3 0
A load m1 100
A load m1 4096`)).toEqual(['fd 3', 'map m1', '0x00', 'SIGBUS']);
    expect(results(`file text "abc"
A open O_RDONLY
A mmap 3 PROT_READ MAP_SHARED 3 0
A store m1 0 'x'`)).toEqual(['fd 3', 'map m1', 'SIGSEGV']);
    expect(results(`file text "abc"
A open O_RDWR
B open O_RDWR
A mmap 3 PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
B mmap 3 PROT_READ|PROT_WRITE MAP_SHARED 3 0
B store m1 1 'Y'
A load m1 1
A store m1 0 'x'
B load m1 0
B store m1 2 'Z'
A load m1 2`)).toEqual(['fd 3', 'fd 3', 'map m1', 'map m1', 'ok', '0x59', 'ok', '0x61', 'ok', '0x63']);
    // Chapter 4: munmap, then SIGSEGV; the file keeps the shared store.
    expect(results(`file text "abc"
A open O_RDWR
A mmap 3 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A store m1 0 'Q'
A munmap m1 0 3
A pread 3 0 3
A load m1 0`)).toEqual(['fd 3', 'map m1', 'ok', 'ok', '"Qbc"', 'SIGSEGV']);
    // Chapter 5: advisory locks, EAGAIN, closing releases, EDEADLK.
    expect(results(`file zeros 16
A open O_RDWR
B open O_RDWR
A mmap 16 PROT_READ|PROT_WRITE MAP_SHARED 3 0
B mmap 16 PROT_READ|PROT_WRITE MAP_SHARED 3 0
A lock 3 F_SETLK F_WRLCK 0 1
B store m1 0 0x07
B lock 3 F_SETLK F_WRLCK 0 1
B lock 3 F_SETLK F_WRLCK 1 1
A lock 3 F_SETLKW F_WRLCK 1 1
B lock 3 F_SETLKW F_WRLCK 0 1`)).toEqual(['fd 3', 'fd 3', 'map m1', 'map m1', 'ok', 'ok', 'EAGAIN', 'ok', 'blocked', 'EDEADLK']);
  });
});
