/** Protection bits, with Linux's values so a mask means the same thing everywhere. */
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
export const PROT_ALL = PROT_READ | PROT_WRITE | PROT_EXEC;

export const OPEN_MODES = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'] as const;
export type OpenMode = (typeof OPEN_MODES)[number];

export const MAP_FLAGS = ['MAP_SHARED', 'MAP_PRIVATE'] as const;
export type MapFlags = (typeof MAP_FLAGS)[number];

export const LOCK_CMDS = ['F_SETLK', 'F_SETLKW'] as const;
export type LockCmd = (typeof LOCK_CMDS)[number];

export const LOCK_TYPES = ['F_RDLCK', 'F_WRLCK', 'F_UNLCK'] as const;
export type LockType = (typeof LOCK_TYPES)[number];
export type HeldLockType = Exclude<LockType, 'F_UNLCK'>;

export const ERRNOS = [
  'EPERM', 'EBADF', 'EAGAIN', 'ENOMEM', 'EACCES', 'EFAULT', 'EINVAL', 'EMFILE', 'EFBIG', 'ENOSPC', 'EDEADLK', 'EOVERFLOW',
] as const;
export type Errno = (typeof ERRNOS)[number];

export const FAULT_SIGNALS = ['SIGSEGV', 'SIGBUS'] as const;
export type FaultSignal = (typeof FAULT_SIGNALS)[number];
/** What an access can die of: a fault, or the OOM killer when a private copy does not fit. */
export const ACCESS_SIGNALS = [...FAULT_SIGNALS, 'SIGKILL'] as const;
export type AccessSignal = (typeof ACCESS_SIGNALS)[number];

/** Page sizes a room may use: powers of two, 16 B (alignment you can see) to 64 KiB (some ARM kernels). */
export const MIN_PAGE_SIZE = 16;
export const MAX_PAGE_SIZE = 65536;
export const DEFAULT_PAGE_SIZE = 4096;

/** OFFSET_MAX of fs/locks.c: the largest file offset, where a lock of len 0 ends. */
export const OFFSET_MAX = (1n << 63n) - 1n;
/** ext4's s_maxbytes with 4 KiB blocks: (2^32 - 1) blocks. Bigger files are EFBIG. */
export const MAX_FILE_SIZE = ((1n << 32n) - 1n) * 4096n;
/** x86-64 user address space (TASK_SIZE): a longer mapping can never fit. */
export const TASK_SIZE = (1n << 47n) - 4096n;
/**
 * The simulator's notional address space, one per process, in which each
 * mapping gets an address (a trace only gives offsets from the mapping).
 * MMAP_TOP is mmap_base, where Linux starts allocating mmap(NULL) top-down:
 * with ASLR and an 8 MiB stack limit at least 8 MiB + 1 MiB guard gap +
 * 16 GiB stack randomization below TASK_SIZE, and up to 1 TiB lower still.
 */
export const MMAP_TOP = TASK_SIZE - (17n << 30n);
/** mmap_min_addr: no mapping goes below it. */
export const MMAP_MIN_ADDR = 65536n;
/**
 * A PIE program loads at ELF_ET_DYN_BASE (2/3 of TASK_SIZE, up to 1 TiB
 * higher with ASLR); 1 GiB stands for it and its heap. That leaves 85 TiB
 * free below it and 42 TiB above it.
 */
export const PROGRAM_BASE = 0x555555554000n;
export const PROGRAM_END = PROGRAM_BASE + (1n << 30n);
/**
 * The default machine: 16 GiB of RAM and no swap. Under Linux's default
 * overcommit heuristic (vm.overcommit_memory = 0) that is the most one
 * mmap or mprotect may charge at once (MemTotal + SwapTotal).
 */
export const DEFAULT_COMMIT_LIMIT_BYTES = 16 * 2 ** 30;
/** RLIMIT_NOFILE's usual soft limit: descriptors 0..1023. */
export const MAX_FDS = 1024;
/** The first descriptor a process gets: 0, 1 and 2 are stdin, stdout and stderr. */
export const FIRST_FD = 3;
/** fs/locks.c MAX_DEADLK_ITERATIONS: the deadlock check gives up on longer chains. */
export const MAX_DEADLK_ITERATIONS = 10;

export function isPageSize(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_PAGE_SIZE && n <= MAX_PAGE_SIZE && (n & (n - 1)) === 0;
}
