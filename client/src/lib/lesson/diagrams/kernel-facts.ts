import { Kernel } from '@mmap-lab/shared/kernel/index.ts';
import { PROT_READ, PROT_WRITE, type MapFlags, type OpenMode } from '@mmap-lab/shared/kernel/constants.ts';
import type { Op } from '@mmap-lab/shared/kernel/types.ts';
import { displayResult } from '@mmap-lab/shared/protocol/index.ts';
import { cLine } from '@mmap-lab/shared/content/c-line.ts';
import { utf8 } from '../../format/bytes.ts';

/**
 * The facts the chapter diagrams draw, asked of the kernel itself rather
 * than written into the pictures: a diagram can never disagree with what
 * the class will see when they try it.
 */

export interface Asked {
  c: string;
  display: string;
  ok: boolean;
}

function ask(kernel: Kernel, pid: number, op: Op): Asked {
  const { result } = kernel.apply(pid, op);
  const ok = result.kind !== 'errno' && result.kind !== 'signal';
  return { c: cLine(op, result), display: displayResult(result), ok };
}

export const OPEN_MODES_ASKED: OpenMode[] = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'];
export const MAPPINGS_ASKED: { prot: number; flags: MapFlags; label: string }[] = [
  { prot: PROT_READ, flags: 'MAP_SHARED', label: 'PROT_READ, MAP_SHARED' },
  { prot: PROT_READ | PROT_WRITE, flags: 'MAP_SHARED', label: 'PROT_READ|PROT_WRITE, MAP_SHARED' },
  { prot: PROT_READ | PROT_WRITE, flags: 'MAP_PRIVATE', label: 'PROT_READ|PROT_WRITE, MAP_PRIVATE' },
];

/** open() with each mode, then mmap() with each protection and flag: what the kernel answers. */
export function openModeGrid(): { mode: OpenMode; cells: Asked[] }[] {
  return OPEN_MODES_ASKED.map((mode) => ({
    mode,
    cells: MAPPINGS_ASKED.map(({ prot, flags }) => {
      const kernel = new Kernel({ pageSize: 16, file: new Uint8Array(16) });
      const pid = kernel.spawn();
      kernel.apply(pid, { op: 'open', mode });
      return ask(kernel, pid, { op: 'mmap', len: 16n, prot, flags, fd: 3, off: 0n });
    }),
  }));
}

/** A 40-byte file in pages of 16, mapped 64 bytes long: a load from each page. */
export const EOF_FILE_SIZE = 40;
export const EOF_PAGE = 16;
export function pagesPastEof(): { page: number; index: number; fileBytes: number; load: Asked }[] {
  return [0, 1, 2, 3].map((page) => {
    const kernel = new Kernel({ pageSize: EOF_PAGE, file: utf8('x'.repeat(EOF_FILE_SIZE)) });
    const pid = kernel.spawn();
    kernel.apply(pid, { op: 'open', mode: 'O_RDWR' });
    kernel.apply(pid, { op: 'mmap', len: 64n, prot: PROT_READ, flags: 'MAP_SHARED', fd: 3, off: 0n });
    // Page 2: a byte past the end of the file but inside its last page.
    const index = page === 2 ? EOF_FILE_SIZE + 2 : page * EOF_PAGE;
    const fileBytes = Math.max(0, Math.min(EOF_PAGE, EOF_FILE_SIZE - page * EOF_PAGE));
    return { page, index, fileBytes, load: ask(kernel, pid, { op: 'load', map: 1, index }) };
  });
}

/** Three pages mapped, the middle one unmapped: a load from each. */
export function unmappedHole(): { munmap: Asked; loads: Asked[] } {
  const kernel = new Kernel({ pageSize: 16, file: utf8('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV') });
  const pid = kernel.spawn();
  kernel.apply(pid, { op: 'open', mode: 'O_RDWR' });
  kernel.apply(pid, { op: 'mmap', len: 48n, prot: PROT_READ | PROT_WRITE, flags: 'MAP_SHARED', fd: 3, off: 0n });
  const munmap = ask(kernel, pid, { op: 'munmap', map: 1, off: 16n, len: 16n });
  // One process per load: the first SIGSEGV would otherwise end the story.
  const loads = [0, 16, 32].map((index) => {
    const k = new Kernel({ pageSize: 16, file: utf8('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV') });
    const p = k.spawn();
    k.apply(p, { op: 'open', mode: 'O_RDWR' });
    k.apply(p, { op: 'mmap', len: 48n, prot: PROT_READ | PROT_WRITE, flags: 'MAP_SHARED', fd: 3, off: 0n });
    k.apply(p, { op: 'munmap', map: 1, off: 16n, len: 16n });
    return ask(k, p, { op: 'load', map: 1, index });
  });
  return { munmap, loads };
}

/** Two processes add one to a shared counter, interleaved load, load, store, store. */
export function lostUpdate(): { steps: { who: 'A' | 'B'; asked: Asked; register: number }[]; final: number } {
  const kernel = new Kernel({ pageSize: 16, file: new Uint8Array([7, ...new Array(15).fill(0)]) });
  const a = kernel.spawn();
  const b = kernel.spawn();
  for (const pid of [a, b]) {
    kernel.apply(pid, { op: 'open', mode: 'O_RDWR' });
    kernel.apply(pid, { op: 'mmap', len: 16n, prot: PROT_READ | PROT_WRITE, flags: 'MAP_SHARED', fd: 3, off: 0n });
  }
  const registers = new Map<number, number>();
  const steps: { who: 'A' | 'B'; asked: Asked; register: number }[] = [];
  const load = (pid: number) => {
    const { result } = kernel.apply(pid, { op: 'load', map: 1, index: 0 });
    if (result.kind === 'byte') registers.set(pid, result.value);
    steps.push({ who: pid === a ? 'A' : 'B', asked: { c: 'r = counter[0];', display: displayResult(result), ok: true }, register: registers.get(pid)! });
  };
  const store = (pid: number) => {
    const value = registers.get(pid)! + 1;
    const op: Op = { op: 'store', map: 1, index: 0, value };
    steps.push({ who: pid === a ? 'A' : 'B', asked: { ...ask(kernel, pid, op), c: `counter[0] = r + 1;   /* ${value} */` }, register: value });
  };
  load(a);
  load(b);
  store(a);
  store(b);
  return { steps, final: kernel.state.cache.readByte(0) };
}
