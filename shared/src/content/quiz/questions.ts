import type { QuizQuestion } from './types.ts';

/** The quiz bank: our own questions, at least two per chapter, in chapter order. */
export const QUESTIONS: readonly QuizQuestion[] = [
  // 0. Why map a file
  {
    id: 'c0-read-copies', chapter: 0,
    prompt: 'What does every read() call do that a load through a mapping does not?',
    choices: ['Copy the bytes from the page cache into your buffer', 'Read the disk again', 'Lock the file', 'Change the file\'s size'],
    answer: 0,
    explanation: 'read() copies from the kernel\'s page cache into the buffer you pass it. A mapping shows the page cache\'s pages to the process directly, so a load needs no copy (and repeated reads are served from the cache, not the disk).',
  },
  {
    id: 'c0-what-is-shared', chapter: 0,
    prompt: 'Two processes map the same file with MAP_SHARED. What do they share?',
    choices: ['Nothing: each gets its own copy of the file', 'Their file descriptors', 'The file\'s pages in the page cache', 'Their whole address spaces'],
    answer: 2,
    explanation: 'Both mappings show the same page-cache pages of the file, so a store by one is a change the other can load. Descriptors and the rest of memory stay separate.',
  },
  {
    id: 'c0-after-exit', chapter: 0,
    prompt: 'Every process that used a shared mapping of a file has exited. Where are the bytes they stored?',
    choices: ['Lost with the processes', 'In the file', 'In a System V segment until someone removes it', 'Only in swap space'],
    answer: 1,
    explanation: 'Shared stores change the file\'s pages, which the kernel writes back to the file. The file has a name and outlives the processes; that is the big difference from System V shared memory.',
  },
  // 1. open() first
  {
    id: 'c1-wronly', chapter: 1,
    prompt: 'A file is opened O_WRONLY. Which mmap() of it succeeds?',
    choices: ['PROT_WRITE with MAP_SHARED', 'PROT_READ with MAP_PRIVATE', 'PROT_NONE with MAP_SHARED', 'None of them'],
    answer: 3,
    explanation: 'To fill a page the kernel has to read the file, so a descriptor that may not read cannot be mapped at all: every one of these is EACCES.',
  },
  {
    id: 'c1-rdonly-shared-write', chapter: 1,
    prompt: 'The descriptor was opened O_RDONLY. Which mapping is refused with EACCES?',
    choices: ['PROT_READ, MAP_SHARED', 'PROT_READ|PROT_WRITE, MAP_PRIVATE', 'PROT_READ|PROT_WRITE, MAP_SHARED', 'PROT_READ, MAP_PRIVATE'],
    answer: 2,
    explanation: 'A shared, writable mapping would let you change a file you opened read-only. A private writable mapping is fine: its stores go to private copies and never reach the file.',
  },
  {
    id: 'c1-close-after-mmap', chapter: 1,
    prompt: 'Right after a successful mmap(), the program closes the descriptor. What happens to the mapping?',
    choices: ['It stays valid', 'It is removed', 'The next access gives SIGBUS', 'munmap() will fail with EBADF'],
    answer: 0,
    explanation: 'The mapping keeps its own reference to the file. Closing the descriptor only frees the descriptor number.',
  },
  // 2. mmap()'s six arguments
  {
    id: 'c2-map-failed', chapter: 2,
    prompt: 'How should a program test whether mmap() failed?',
    choices: ['p == NULL', 'p == MAP_FAILED', 'errno != 0', 'p < 0'],
    answer: 1,
    explanation: 'On failure mmap() returns MAP_FAILED, which is (void *)-1, and sets errno. It never returns NULL for an error, and errno is only meaningful after a failure.',
  },
  {
    id: 'c2-offset', chapter: 2,
    prompt: 'With 4096-byte pages, which of these offsets can mmap() accept?',
    choices: ['100', '4000', '6144', '8192'],
    answer: 3,
    explanation: 'The offset must be a whole number of pages. 8192 is two pages; the others give EINVAL.',
  },
  {
    id: 'c2-addr', chapter: 2,
    prompt: 'What do most programs pass as mmap()\'s first argument?',
    choices: ['The address of a malloc() buffer', 'NULL, so the kernel picks the address', 'The file\'s name', 'The page size'],
    answer: 1,
    explanation: 'The first argument is only a hint. NULL leaves the choice to the kernel, which then returns the address it picked.',
  },
  // 3. Protection, flags, pages
  {
    id: 'c3-readonly-store', chapter: 3,
    prompt: 'A process stores a byte through a mapping made with PROT_READ only. What happens?',
    choices: ['The store is ignored', 'The byte goes to a private copy', 'The process is killed by SIGSEGV', 'mprotect() is called for it'],
    answer: 2,
    explanation: 'The memory management unit checks every access against the page\'s protection. A store without PROT_WRITE faults, and the process gets SIGSEGV.',
  },
  {
    id: 'c3-private-not-seen', chapter: 3,
    prompt: 'A maps a file MAP_PRIVATE and stores into page 0. B maps the same file MAP_SHARED and loads from page 0. What does B see?',
    choices: ['A\'s byte', 'The file\'s byte, as if A had done nothing', 'Zero', 'SIGBUS'],
    answer: 1,
    explanation: 'A\'s first store copied the page; A changed its copy only. The file and everyone else still see the original byte.',
  },
  {
    id: 'c3-zero-fill', chapter: 3,
    prompt: 'A 100-byte file is mapped with length 100, pages of 4096 bytes. What does loading index 200 give?',
    choices: ['SIGSEGV', 'SIGBUS', '0', 'The byte at index 200 % 100'],
    answer: 2,
    explanation: 'The mapping is rounded up to a whole page, so index 200 is mapped. It lies past the end of the file but inside the file\'s last page, and that part of the page reads as zeros.',
  },
  {
    id: 'c3-sigbus', chapter: 3,
    prompt: 'The same 100-byte file is mapped with length 8192. What does loading index 5000 give?',
    choices: ['0', 'EINVAL', 'SIGSEGV', 'SIGBUS'],
    answer: 3,
    explanation: 'Index 5000 is in the mapping\'s second page, and that page lies wholly past the end of the file: there is no file data behind it, so the access gets SIGBUS.',
  },
  // 4. munmap()
  {
    id: 'c4-after-munmap', chapter: 4,
    prompt: 'After munmap(p, len), which is true?',
    choices: ['The file has been deleted', 'The stores made through p are undone', 'p is now NULL', 'Loading p[0] ends the process with SIGSEGV'],
    answer: 3,
    explanation: 'munmap() takes the pages away but leaves the pointer\'s value alone; any access there now faults. The file, and the shared stores already made, are untouched.',
  },
  {
    id: 'c4-one-call', chapter: 4,
    prompt: 'What does it take to get rid of a mapping?',
    choices: ['munmap() then a separate delete call', 'One call: munmap()', 'close() on the descriptor', 'unlink() on the file'],
    answer: 1,
    explanation: 'munmap() is the whole job. close() leaves the mapping in place, and unlink() removes the file\'s name, not the mapping.',
  },
  // 5. Concurrency and locks
  {
    id: 'c5-lost-update', chapter: 5,
    prompt: 'The counter holds 7. Two students each load it, add one and store, and both loads happen before either store. What does the counter hold at the end?',
    choices: ['9', '8', '7', 'It depends on the page size'],
    answer: 1,
    explanation: 'Both loaded 7 and both stored 8: the second store wrote over the first. One increment was lost, with no error anywhere.',
  },
  {
    id: 'c5-advisory', chapter: 5,
    prompt: 'A holds a write lock on byte 0. B never asks for any lock and stores into byte 0 through its shared mapping. What happens?',
    choices: ['B gets EAGAIN', 'B waits until A unlocks', 'B gets SIGSEGV', 'The store succeeds: fcntl locks are advisory'],
    answer: 3,
    explanation: 'Record locks only hold back processes that ask for a lock. A plain store is never checked against them.',
  },
  {
    id: 'c5-setlk', chapter: 5,
    prompt: 'F_SETLK asks for a lock that another process holds in conflict. What does Linux answer?',
    choices: ['It waits until the lock is free', '-1 with errno EAGAIN', '-1 with errno EDEADLK', '0, and both processes hold it'],
    answer: 1,
    explanation: 'F_SETLK never waits. F_SETLKW is the command that waits.',
  },
  {
    id: 'c5-edeadlk', chapter: 5,
    prompt: 'A holds byte 0 and is waiting (F_SETLKW) for byte 1, which B holds. B now asks F_SETLKW for byte 0. What does B get?',
    choices: ['It waits for ever', 'The lock, and A gets EDEADLK', 'EDEADLK', 'EAGAIN'],
    answer: 2,
    explanation: 'B would wait for A, who already waits for B: a cycle. Linux sees it when B\'s request would wait, and refuses that request with EDEADLK.',
  },
  {
    id: 'c5-close-releases', chapter: 5,
    prompt: 'A process holds locks on a file through one descriptor and closes another descriptor of the same file. What happens to its locks?',
    choices: ['Nothing', 'Only the locks taken through the closed descriptor go', 'All its locks on that file are released', 'They pass to its parent'],
    answer: 2,
    explanation: 'fcntl locks belong to the process and the file. Closing any descriptor of the file releases all of them, which surprises many programmers.',
  },
  // 6. The demo program
  {
    id: 'c6-check-size', chapter: 6,
    prompt: 'Why does peek.c compare the offset with st_size before it reads the byte?',
    choices: ['mmap() needs the offset', 'Just past the end, the rounded-up last page would read a zero instead of failing', 'munmap() needs fstat() first', 'It makes the program faster'],
    answer: 1,
    explanation: 'The mapping covers whole pages. An offset between the end of the file and the end of its last page does not fault; it reads a zero that is not in the file. Only the file\'s size tells you where the file ends.',
  },
  {
    id: 'c6-order', chapter: 6,
    prompt: 'In which order does peek.c make its system calls?',
    choices: ['mmap, open, fstat, munmap', 'fstat, open, mmap, munmap', 'open, mmap, fstat, munmap', 'open, fstat, mmap, munmap'],
    answer: 3,
    explanation: 'It needs a descriptor before anything else, the size before it can map, and a mapping before it can index; munmap comes last.',
  },
  {
    id: 'c6-open-mode', chapter: 6,
    prompt: 'peek.c maps its file with PROT_READ and MAP_SHARED. Which open mode is enough?',
    choices: ['O_WRONLY', 'O_RDONLY', 'Only O_RDWR', 'Any of them'],
    answer: 1,
    explanation: 'A read-only shared mapping needs a descriptor that can read. O_RDWR would work too, but asks for more than the program uses; O_WRONLY cannot be mapped.',
  },
  // 7. The simulator
  {
    id: 'c7-student-is', chapter: 7,
    prompt: 'In this room, what is each student?',
    choices: ['A thread of one process', 'A process with its own descriptors and mappings', 'A copy of the file', 'One page of the file'],
    answer: 1,
    explanation: 'Each of you is a process: your own pid, descriptor table and mappings, all of one shared file.',
  },
  {
    id: 'c7-checked', chapter: 7,
    prompt: 'How do we know the room\'s kernel behaves like Linux?',
    choices: ['The teacher checks each answer', 'It does not need to', 'The same traces run on the real kernel and on the simulator and must print the same', 'It is random, like a real machine'],
    answer: 2,
    explanation: 'Every rule is pinned by traces that a C program runs on real Linux; the simulator must print exactly the same results.',
  },
  {
    id: 'c7-scheduler', chapter: 7,
    prompt: 'The teacher chooses which queued operation runs next. Why can that make a lost update happen on purpose?',
    choices: ['The kernel is random', 'Locks are switched off in that mode', 'The page size is small', 'A load and its store are separate operations, so another student\'s can run in between'],
    answer: 3,
    explanation: 'An increment is a load and a store, sent one at a time. Running another student\'s load between them is exactly the interleaving that loses an update.',
  },
  // 8. Mapped files against System V shared memory
  {
    id: 'c8-lingers', chapter: 8,
    prompt: 'Every process using a System V segment exits and nobody calls shmctl(IPC_RMID). What happens to the segment?',
    choices: ['It is removed at once', 'It stays until someone removes it or the machine restarts', 'It is saved to a file', 'It turns into a mapped file'],
    answer: 1,
    explanation: 'A System V segment is not tied to any process. It stays allocated (ipcs lists it) until it is removed or the system restarts.',
  },
  {
    id: 'c8-restart', chapter: 8,
    prompt: 'What survives a restart of the machine?',
    choices: ['Both', 'Neither', 'A System V segment', 'The data of a mapped file'],
    answer: 3,
    explanation: 'A mapped file\'s pages are written back to the file on disk. A System V segment is memory only and is gone after a restart.',
  },
  {
    id: 'c8-sync', chapter: 8,
    prompt: 'Which of the two keeps concurrent updates in order for you?',
    choices: ['Mapped files', 'System V shared memory', 'Both', 'Neither'],
    answer: 3,
    explanation: 'Both give raw shared memory. Either way you add the order yourself, with locks or semaphores.',
  },
];

export function question(id: string): QuizQuestion | undefined {
  return QUESTIONS.find((q) => q.id === id);
}

export function questionsFor(chapter: number): QuizQuestion[] {
  return QUESTIONS.filter((q) => q.chapter === chapter);
}
