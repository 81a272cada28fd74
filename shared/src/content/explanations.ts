import type { Errno } from '../kernel/constants.ts';
import type { DeathCause, FaultReason, OpName, Result } from '../kernel/types.ts';

/**
 * What each errno means in this lesson, in our own words. The general line
 * is used when no operation-specific line below fits.
 */
export const ERRNO_EXPLANATIONS: Record<Errno, string> = {
  EPERM: 'The operation is not permitted for this process.',
  EBADF: 'That file descriptor is not open, or it was not opened in a mode that allows this.',
  EAGAIN: 'Another process holds a conflicting lock on part of that range, and F_SETLK does not wait.',
  ENOMEM: 'Part of that address range is not mapped (or the mapping could never fit in the address space).',
  EACCES: 'The descriptor was opened in a mode that does not allow the access you asked for.',
  EFAULT: 'The buffer the call would use cannot exist in this process (a count larger than any address space).',
  EINVAL: 'An argument is not acceptable: a zero length, an offset that is not a multiple of the page size, or a negative value.',
  EMFILE: 'This process has no free file descriptor left.',
  EFBIG: 'That would make the file larger than the file system allows.',
  ENOSPC: 'The file system is full: there is no room for another block of the file.',
  EDEADLK: 'Waiting here would deadlock: the process you would wait for is (through a chain) waiting for you.',
  EOVERFLOW: 'The range runs past the largest offset a file can have.',
};

/** Sharper lines where the operation tells us which rule was broken. */
const BY_OP: Partial<Record<OpName, Partial<Record<Errno, string>>>> = {
  mmap: {
    EINVAL: 'mmap needs a length above zero and an offset that is a whole number of pages.',
    EACCES:
      'A MAP_SHARED mapping with PROT_WRITE needs a descriptor opened for writing (O_RDWR), and every mapping needs one opened for reading (O_WRONLY cannot be mapped).',
    EBADF: 'mmap needs an open descriptor of the file.',
    ENOMEM: 'No address range that long exists in a process.',
  },
  munmap: { EINVAL: 'munmap needs an offset that is a whole number of pages and a length above zero.' },
  mprotect: {
    ENOMEM: 'Part of that range is not mapped (a hole left by munmap, or past the end of the mapping); pages before the hole did change.',
    EACCES: 'This shared mapping came from a descriptor not open for writing, so it can never be made writable.',
    EINVAL: 'mprotect needs an offset that is a whole number of pages and only PROT_* bits.',
  },
  msync: { ENOMEM: 'Part of the mapping was unmapped, so it cannot all be written back.' },
  ftruncate: {
    EINVAL: 'ftruncate needs a descriptor opened for writing and a length that is not negative.',
  },
  pwrite: { EBADF: 'pwrite needs a descriptor opened for writing (O_WRONLY or O_RDWR).' },
  pread: {
    EBADF: 'pread needs a descriptor opened for reading (O_RDONLY or O_RDWR).',
    EFAULT: 'No buffer that large can exist in a process, so the kernel refuses the count before reading.',
  },
  lock: {
    EBADF: 'A write lock (F_WRLCK) needs a descriptor open for writing; a read lock (F_RDLCK) one open for reading.',
    EINVAL: 'The lock range starts before offset 0.',
  },
};

export const FAULT_EXPLANATIONS: Record<FaultReason, string> = {
  unmapped: 'SIGSEGV: that address is not inside any mapped page (past either end of the mapping, or unmapped with munmap).',
  protection: "SIGSEGV: the page's protection does not allow this access (a store needs PROT_WRITE; PROT_NONE allows nothing).",
  'past-eof': 'SIGBUS: the page is mapped but lies wholly past the end of the file, so there is no file data behind it.',
  'no-space': 'SIGBUS: the file system is full, so no block could be found to hold this page of the file.',
  'out-of-memory': 'SIGKILL: there was no memory left for a private copy of the page, so the OOM killer ended the process.',
};

export const DEATH_EXPLANATIONS: Record<DeathCause, string> = {
  exit: 'The process exited: its descriptors are closed, its mappings gone and its locks released.',
  SIGSEGV: 'The process was killed by SIGSEGV (a bad memory access).',
  SIGBUS: 'The process was killed by SIGBUS (an access to a page with no file behind it).',
  SIGKILL: 'The process was killed by SIGKILL: by the teacher, or because its student was away longer than the grace period.',
};

/** A short human explanation of a result that is not a plain success, or undefined. */
export function explainResult(op: OpName, result: Result): string | undefined {
  switch (result.kind) {
    case 'errno':
      return BY_OP[op]?.[result.errno] ?? ERRNO_EXPLANATIONS[result.errno];
    case 'signal':
      return FAULT_EXPLANATIONS[result.reason];
    case 'blocked':
      return `Another process holds a conflicting lock, so F_SETLKW waits until it is released.`;
    case 'dead':
      return 'This process has exited or been killed; it can take no more steps. Start a new process.';
    case 'not-runnable':
      return result.state === 'stopped'
        ? 'The teacher stopped every process (SIGSTOP); nothing runs until they continue (SIGCONT).'
        : 'This process is blocked in F_SETLKW and can do nothing until it wakes.';
    case 'invalid':
      return result.message;
    default:
      return undefined;
  }
}
