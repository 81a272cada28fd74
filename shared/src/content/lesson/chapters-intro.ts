import type { Chapter } from './types.ts';

/** Chapters 0 to 4: why and how to map a file. Written for mmap-lab. */
export const INTRO_CHAPTERS: Chapter[] = [
  {
    number: 0,
    id: 'why-map',
    title: 'Why map a file?',
    paragraphs: [
      'When a program calls `read()`, the kernel first brings the file\'s data into its own memory (the page cache) and then copies the requested bytes into the buffer the program passed. `write()` copies the other way. Every call is a trip into the kernel and a copy.',
      'A memory mapping removes that second copy. After `mmap()`, a range of the program\'s addresses shows the page cache\'s pages of the file directly. Reading `p[i]` reads the file\'s byte; storing to `p[i]` changes it. The kernel steps in only when a page is touched for the first time, to connect it.',
      'Several processes can map the same file and then share those pages. That makes a mapped file a way for processes to talk, much like System V shared memory, with one difference that matters: the data belongs to a file with a name, so it is still there after every process has gone.',
    ],
    keyPoints: [
      '`read()`/`write()` copy between the page cache and your buffer on every call.',
      'A mapping lets loads and stores reach the page cache\'s pages with no copy in between.',
      'Processes that map the same file share its pages.',
      'The data lives in a named file and outlasts the processes, unlike System V shared memory.',
    ],
    diagram: 'copy-path',
    activity: {
      kind: 'diagram',
      diagram: 'copy-path',
      note: 'Step through a read() and a load through a mapping side by side and count the copies. The solo lab animates the same path.',
    },
  },
  {
    number: 1,
    id: 'open-first',
    title: 'open() comes first',
    paragraphs: [
      '`mmap()` does not take a file name. It takes a file descriptor, so the file must be opened first, and the mode it was opened with limits the mappings it can give.',
      'To fill a page the kernel has to read the file, so the descriptor must allow reading: a descriptor opened `O_WRONLY` cannot be mapped at all, whatever protection you ask for (`EACCES`).',
      'With `O_RDONLY` you can map with `PROT_READ`. Asking for `PROT_WRITE` on a `MAP_SHARED` mapping is refused with `EACCES`, because your stores would change a file you may not write. A `MAP_PRIVATE` mapping may be writable even then: its stores go to private copies and never reach the file. With `O_RDWR` every combination is allowed.',
      'Once the mapping exists you may `close()` the descriptor. The mapping keeps its own hold on the file and stays valid.',
    ],
    keyPoints: [
      '`O_WRONLY` cannot be mapped: the kernel must read the file to fill pages (`EACCES`).',
      '`O_RDONLY`: `PROT_READ` only, for a shared mapping; `PROT_WRITE` with `MAP_SHARED` is `EACCES`.',
      '`O_RDONLY` with `MAP_PRIVATE` may still be writable: the writes stay private.',
      '`O_RDWR` allows reading and writing, shared or private.',
      'Closing the descriptor does not remove the mapping.',
    ],
    diagram: 'open-modes',
    activity: {
      kind: 'exercise',
      exercises: ['crash-course'],
      note: 'Everyone tries the three open modes against a shared, writable mapping and watches which calls are refused.',
    },
    code: `int fd = open("data", O_RDWR);     /* O_RDONLY would refuse PROT_WRITE below */
if (fd == -1) { perror("open"); exit(1); }`,
  },
  {
    number: 2,
    id: 'mmap-call',
    title: 'The six arguments of mmap()',
    paragraphs: [
      '`void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);` asks the kernel to show `length` bytes of the file open on `fd`, starting at `offset`, at some address in this process.',
      '`addr` is only a hint about where to put the mapping; passing `NULL` lets the kernel choose, which is what almost every program does. `prot` says what you may do with the pages (read, write, execute, or nothing). `flags` must say whether your stores are shared with the file and everyone else (`MAP_SHARED`) or kept to yourself (`MAP_PRIVATE`).',
      '`offset` is where in the file the mapping starts and must be a whole number of pages; `length` must be more than zero. Breaking either rule gives `EINVAL`.',
      'On success `mmap()` returns the address where the mapping starts. On failure it does not return `NULL`: it returns `MAP_FAILED`, which is `(void *)-1`, and sets `errno`. A program that tests for `NULL` will miss every error.',
    ],
    keyPoints: [
      'Arguments: address hint, length, protection, flags, descriptor, offset.',
      'Pass `NULL` as the address and let the kernel choose.',
      'The offset must be a multiple of the page size; the length must not be zero (`EINVAL`).',
      'Errors return `MAP_FAILED`, that is `(void *)-1`, never `NULL`.',
    ],
    diagram: 'mmap-call',
    activity: {
      kind: 'live',
      note: 'Everyone maps the room\'s file; then try an offset that is not a page multiple and a length of 0, and read the errno each gives.',
    },
    code: `char *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
if (p == MAP_FAILED) {               /* not NULL: MAP_FAILED is (void *)-1 */
    perror("mmap");
    exit(1);
}`,
  },
  {
    number: 3,
    id: 'prot-flags-pages',
    title: 'Protection, sharing, and pages',
    paragraphs: [
      'Protection is a set of bits: `PROT_READ`, `PROT_WRITE`, `PROT_EXEC`, or `PROT_NONE` for no access at all. The processor\'s memory management unit checks every access against the page\'s bits, so the rule costs nothing until it is broken: a store to a page without `PROT_WRITE` stops the process with `SIGSEGV`. (On x86-64 a writable page can always be read as well.)',
      'With `MAP_SHARED`, a store changes the file\'s page itself: every process that maps the page sees the new byte straight away, and the kernel writes the page back to the disk later (at once, if you call `msync()`). With `MAP_PRIVATE`, pages are copy-on-write: they show the file until you store into one, and at that moment you get your own copy of that page. Your stores never reach the file and nobody else sees them; pages you have not written still show the file, other people\'s changes included.',
      'Memory is handed out in whole pages: 4096 bytes on x86-64 and most ARM systems, 16 KiB or 64 KiB on some ARM64 kernels (`sysconf(_SC_PAGESIZE)` tells you). That is why the offset must be a page multiple and why the length is rounded up to whole pages.',
      'When the file ends partway through the last page, the rest of that page reads as zeros, and stores there never become part of the file. A page of the mapping that lies entirely past the end of the file has nothing behind it: touching it gives `SIGBUS`. An address past the end of the mapping gives `SIGSEGV`.',
    ],
    keyPoints: [
      'A store to a page without `PROT_WRITE` is `SIGSEGV`; `PROT_NONE` forbids any access.',
      '`MAP_SHARED` stores reach the file and every other mapping of it at once.',
      '`MAP_PRIVATE` copies a page on your first store to it; the file and others never see your stores.',
      'The offset is a page multiple; the length is rounded up to whole pages (4 KiB on x86-64).',
      'Past end of file within the last page: zeros. A page wholly past end of file: `SIGBUS`.',
    ],
    diagram: 'pages-and-eof',
    activity: {
      kind: 'exercise',
      exercises: ['see-it-change', 'shared-vs-private'],
      note: 'First everyone maps shared and watches one store appear everywhere; then half the class maps private and the board shows who sees whose stores, page by page.',
    },
  },
  {
    number: 4,
    id: 'munmap',
    title: 'munmap(): the end of a mapping',
    paragraphs: [
      '`munmap(addr, length)` removes the pages in that range from the process. The address must be the start of a page; the length is rounded up to whole pages, like `mmap()`\'s.',
      'That single call is all there is. There is no second step to destroy the mapping, and unmapping does not touch the file: its bytes, including every shared store already made, stay where they are. Removing the file itself is a different job (`unlink()`).',
      'After `munmap()` the old pointer still holds the same number, but no page lives there any more. Loading or storing through it is `SIGSEGV`. A process that exits loses all its mappings the same way, automatically.',
    ],
    keyPoints: [
      '`munmap(addr, length)`: one call; the address must be page-aligned.',
      'The file stays; unmapping loses none of the shared stores.',
      'Any access through the old pointer afterwards is `SIGSEGV`.',
      'Exiting unmaps everything; closing the descriptor unmaps nothing.',
    ],
    diagram: 'unmapped-hole',
    activity: {
      kind: 'exercise',
      exercises: ['crash-course'],
      note: 'The crash course: die by storing through a read-only mapping, by touching a page after munmap, and by touching a page past end of file; be refused with EACCES.',
    },
    code: `if (munmap(p, length) == -1)
    perror("munmap");
/* p still holds an address, but p[0] now ends the process with SIGSEGV */`,
  },
];
