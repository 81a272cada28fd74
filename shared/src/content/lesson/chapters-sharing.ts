import type { Chapter } from './types.ts';

/** Chapters 5 to 8: sharing safely, the demo program, the room, and System V. Written for mmap-lab. */
export const SHARING_CHAPTERS: Chapter[] = [
  {
    number: 5,
    id: 'concurrency',
    title: 'Nothing keeps order for you',
    paragraphs: [
      'A shared mapping is only shared memory: it has no rules about who goes when. Adding one to a counter is three steps (load the byte, add one, store it back), and another process can run between any two of them. If two processes both load 7, both store 8, and one increment is lost without any error.',
      'One way to keep order is an fcntl record lock. You describe a byte range of the file in a `struct flock` (`l_type`, `l_whence`, `l_start`, `l_len`, where a length of 0 means "to the end of the file, however long it gets") and pass it to `fcntl()`. `F_WRLCK` is exclusive; any number of processes may hold `F_RDLCK` on the same bytes at once; `F_UNLCK` lets go.',
      '`F_SETLK` asks and answers at once: if another process holds a conflicting lock, Linux says `EAGAIN`. `F_SETLKW` waits until the lock can be granted. `F_GETLK` asks who, if anyone, holds a lock that would get in your way. A read lock needs a descriptor open for reading, a write lock one open for writing.',
      'These locks are advisory. The kernel holds back only processes that ask for a lock; a plain store through a mapping sails past any lock. Everyone must follow the same protocol. Locks belong to the process: closing any descriptor of the file, or exiting, releases all of them.',
      'Two processes that each hold one lock and wait for the other\'s are deadlocked. Linux looks for that cycle when an `F_SETLKW` would wait and answers `EDEADLK` to the request that would close it. Semaphores (POSIX or System V) are the other common tool for the same job.',
    ],
    keyPoints: [
      'A shared mapping has no synchronisation of its own: unguarded read-modify-write loses updates.',
      '`F_SETLK` fails at once (`EAGAIN`); `F_SETLKW` waits; `F_GETLK` reports a conflicting lock.',
      'Read locks can be shared; a write lock excludes everyone else, over a byte range.',
      'Locks are advisory: a store through a mapping is never stopped by one.',
      'Closing any descriptor of the file releases all of the process\'s locks on it.',
      'A wait that would close a cycle gets `EDEADLK`.',
    ],
    diagram: 'lost-update',
    activity: {
      kind: 'exercise',
      exercises: ['counter-race', 'locked-counter', 'deadlock', 'seat-booking'],
      note: 'Race on a shared counter and lose updates; do it again under a write lock and pay for it in waiting; deadlock in pairs; double-book seats, then stop it with a lock.',
    },
    code: `struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
fcntl(fd, F_SETLKW, &fl);          /* wait for byte 0 */
counter[0] = counter[0] + 1;       /* load, add, store: now nobody can interleave */
fl.l_type = F_UNLCK;
fcntl(fd, F_SETLK, &fl);`,
  },
  {
    number: 6,
    id: 'demo-program',
    title: 'A program that reads itself',
    paragraphs: [
      'The demo program, `peek.c`, maps its own source file and prints the byte at an offset given on the command line. It uses every step so far in order: `open()` the file read-only, `fstat()` it to learn its size, `mmap()` that many bytes with `PROT_READ`, read one byte by indexing the pointer, and `munmap()`.',
      'It checks the offset against the file\'s size before it maps anything. The check cannot rely on the mapping: the mapping is rounded up to a whole page, so an offset a little past the end would not fault, it would quietly read a zero that is not in the file.',
      'It tests the result of `mmap()` against `MAP_FAILED`, and it closes the descriptor as soon as the mapping exists, since the mapping no longer needs it.',
    ],
    keyPoints: [
      '`open` → `fstat` (size) → `mmap` → index → `munmap`.',
      'Check offsets against `st_size`, not against the rounded-up mapping.',
      'Compare with `MAP_FAILED`; the descriptor may be closed once mapped.',
    ],
    diagram: 'demo-steps',
    activity: {
      kind: 'exercise',
      exercises: ['demo-program'],
      note: 'The room\'s file is peek.c. Run it with offsets inside and outside the file and compare what it prints with the text.',
    },
  },
  {
    number: 7,
    id: 'the-room',
    title: 'The simulator: you are the processes',
    paragraphs: [
      'In this room each of you is a process, with a pid, a descriptor table and mappings of one shared file. The server runs one simulated kernel for the room and applies your calls in the order they arrive, so the races you see are real races between you.',
      'The simulated kernel follows Linux on x86-64. Every rule it uses is written down as a trace that runs on the real kernel too, and both must print the same results. A room may use tiny pages (16 or 64 bytes) so that alignment and rounding fit on a screen; the rules are the same, only scaled.',
      'Every action you take is shown as the C line it stands for, with its result: a descriptor, `-1 EACCES`, or the signal that ended your process. The teacher can also take over the scheduler: your operations wait in a queue and run in the order the teacher picks, so a lost update or a deadlock can be made to happen on purpose, undone, and replayed.',
    ],
    keyPoints: [
      'Each student is a process: own pid, descriptors and mappings; one shared file.',
      'One deterministic kernel per room, checked against Linux with the same traces.',
      'Every action is a C line with its real result.',
      'The teacher can choose the interleaving, undo it, and replay it.',
    ],
    diagram: 'the-room',
    activity: {
      kind: 'live',
      note: 'The teacher switches to scheduling mode and builds the lost update step by step from the class\'s own queued operations.',
    },
  },
  {
    number: 8,
    id: 'versus-sysv',
    title: 'Mapped files against System V shared memory',
    paragraphs: [
      'System V shared memory gives processes a segment of plain memory with no file behind it: `shmget()` creates or finds it by a numeric key, `shmat()` attaches it, `shmdt()` detaches it, and `shmctl(IPC_RMID)` removes it. A mapped file gives the same sharing through a file in the file system.',
      'The difference shows in what happens afterwards. A forgotten segment stays allocated after its processes exit, until someone removes it (`ipcrm`) or the machine restarts, and then its contents are gone. A file needs no clean-up to stay consistent, and its contents survive restarts.',
      'Neither one brings synchronisation: both need locks or semaphores. POSIX `shm_open()` sits in between: a named object with no disk file behind it, mapped with the same `mmap()`.',
    ],
    keyPoints: [
      'A mapped file is backed by a named file; a System V segment by anonymous memory.',
      'The file survives processes and restarts; a segment survives processes but not a restart.',
      'Segments must be removed explicitly (`shmctl(IPC_RMID)`), or they linger.',
      'Neither synchronises for you.',
    ],
    diagram: 'compare',
    activity: {
      kind: 'discussion',
      note: 'Go through the table row by row; for each row, ask the class which one they would pick for a game\'s high-score file and for a short-lived cache.',
    },
    table: {
      columns: ['', 'Mapped file (`mmap`)', 'System V shared memory'],
      rows: [
        ['Backing store', 'a regular file on disk, through the page cache', 'anonymous memory (may be swapped out)'],
        ['Persistence', 'outlives every process and a restart', 'outlives its processes until removed or a restart'],
        ['Setup', '`open()`, maybe `ftruncate()` to size it, `mmap()`', '`shmget()` with a key and a size, then `shmat()`'],
        ['Clean-up', '`munmap()`; the file stays (`unlink()` to remove it)', '`shmdt()`, and `shmctl(IPC_RMID)` or it lingers'],
        ['Size', 'follows the file; can grow or shrink with `ftruncate()`', 'fixed when the segment is created'],
        ['Synchronisation', 'none built in: fcntl locks or semaphores', 'none built in: usually System V semaphores'],
        ['Naming', 'a path in the file system, with its permissions', 'a numeric key (often from `ftok()`), listed by `ipcs`'],
        ['Portability', 'POSIX: every Unix-like system', 'System V IPC: widely available, an optional part of POSIX'],
      ],
    },
  },
];
