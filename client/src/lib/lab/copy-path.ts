import type { Op } from '@mmap-lab/shared/kernel/types.ts';
import { PROT_READ } from '@mmap-lab/shared/kernel/constants.ts';

/** Where the bytes are in one step of a path: the arrow that is live, and what each box holds. */
export type Hop = 'none' | 'disk-to-cache' | 'cache-to-user' | 'mapped' | 'load';

export interface PathStep {
  /** The C line this step is about, if any. */
  c?: string;
  /** What happens, one or two sentences. */
  text: string;
  hop: Hop;
  /** Operations the kernel applies when this step is reached (in the tab's own kernel). */
  ops: Op[];
  /** The page is in the page cache from this step on. */
  cached: boolean;
  /** Copies the CPU has made of the data so far. */
  copies: number;
  /** Kernel entries (system calls and faults) so far. */
  traps: number;
}

/** The bytes the copy path reads: one page of 16. */
export const COPY_PATH_PAGE = 16;
export const COPY_PATH_TEXT = 'Same bytes, one fewer copy.\n';

const OPEN: Op = { op: 'open', mode: 'O_RDONLY' };

/** read(): the page comes into the page cache, then the kernel copies it into the program's buffer. */
export const READ_PATH: PathStep[] = [
  { text: 'The file\'s first page is on the disk. The program has an empty 16-byte buffer, buf.', hop: 'none', ops: [], cached: false, copies: 0, traps: 0 },
  { c: 'fd = open("file", O_RDONLY);', text: 'open() gives a descriptor. No data moves yet.', hop: 'none', ops: [OPEN], cached: false, copies: 0, traps: 1 },
  { c: 'pread(fd, buf, 16, 0);', text: 'The system call enters the kernel. The page is not in the page cache, so the disk reads it in (the device writes memory itself: no CPU copy).', hop: 'disk-to-cache', ops: [], cached: true, copies: 0, traps: 2 },
  { c: 'pread(fd, buf, 16, 0);', text: 'The kernel copies the 16 bytes from the page cache into buf: that is the copy every read() makes.', hop: 'cache-to-user', ops: [{ op: 'pread', fd: 3, off: 0n, count: 16n }], cached: true, copies: 1, traps: 2 },
  { c: 'char c = buf[0];', text: 'The program reads its own buffer. Reading the file again means another system call and another copy; a change to the file does not show in buf.', hop: 'load', ops: [], cached: true, copies: 1, traps: 2 },
];

/** mmap(): the page cache's page is mapped into the process; loads read it where it is. */
export const MMAP_PATH: PathStep[] = [
  { text: 'The same file, the same page on the disk. The program has no buffer: it will map the file.', hop: 'none', ops: [], cached: false, copies: 0, traps: 0 },
  { c: 'p = mmap(NULL, 16, PROT_READ, MAP_SHARED, fd, 0);', text: 'After open(), mmap() only records the mapping in the process. No data moves yet.', hop: 'none', ops: [OPEN, { op: 'mmap', len: 16n, prot: PROT_READ, flags: 'MAP_SHARED', fd: 3, off: 0n }], cached: false, copies: 0, traps: 2 },
  { c: 'char c = p[0];', text: 'The first load touches a page the process has never used: a page fault enters the kernel, and the disk reads the page into the page cache.', hop: 'disk-to-cache', ops: [], cached: true, copies: 0, traps: 3 },
  { c: 'char c = p[0];', text: 'The kernel points the process\'s page table at the page cache\'s own page and returns. Nothing is copied.', hop: 'mapped', ops: [], cached: true, copies: 0, traps: 3 },
  { c: 'char c = p[0];', text: 'The load reads the byte straight from the page cache. Later loads and stores need no kernel at all, and a store through another shared mapping shows here at once.', hop: 'load', ops: [{ op: 'load', map: 1, index: 0 }], cached: true, copies: 0, traps: 3 },
];
