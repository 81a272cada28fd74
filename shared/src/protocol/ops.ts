import { z } from 'zod';
import { LOCK_CMDS, LOCK_TYPES, MAP_FLAGS, OPEN_MODES, TASK_SIZE } from '../kernel/constants.ts';
import type { Op, OpName } from '../kernel/types.ts';
import { bytesIn, toHex } from './bytes.ts';
import { LIMITS } from './limits.ts';
import { byteValue, fdNumber, int64, int64ToWire, mapNumber, memIndex, pidNumber, protMask } from './wire-int.ts';

/**
 * `pid` is optional and only ever checked: a student acts as the process its
 * socket joined as. Sending another pid is refused (FORBIDDEN), not ignored,
 * so a confused client finds out at once.
 */
const base = { pid: pidNumber.optional() };

/**
 * A file may be made huge and sparse for free, and a read over it was a
 * buffer, its hex and its display text of that size: one student could run
 * the server out of memory. Counts the buffer could not even fit in the
 * address space cost nothing (EFAULT), so they still reach the kernel.
 */
const preadCount = int64.refine((n) => n <= BigInt(LIMITS.PREAD_MAX) || BigInt.asUintN(64, n) > TASK_SIZE, {
  message: `pread reads at most ${LIMITS.PREAD_MAX} bytes at a time here`,
});

/** One zod schema per kernel operation, keyed by the operation's name. */
export const opSchemas = {
  open: z.object({ ...base, mode: z.enum(OPEN_MODES) }),
  close: z.object({ ...base, fd: fdNumber }),
  mmap: z.object({ ...base, len: int64, prot: protMask, flags: z.enum(MAP_FLAGS), fd: fdNumber, off: int64 }),
  munmap: z.object({ ...base, map: mapNumber, off: int64, len: int64 }),
  mprotect: z.object({ ...base, map: mapNumber, off: int64, len: int64, prot: protMask }),
  load: z.object({ ...base, map: mapNumber, index: memIndex }),
  store: z.object({ ...base, map: mapNumber, index: memIndex, value: byteValue }),
  msync: z.object({ ...base, map: mapNumber }),
  pread: z.object({ ...base, fd: fdNumber, off: int64, count: preadCount }),
  pwrite: z.object({ ...base, fd: fdNumber, off: int64, data: bytesIn(LIMITS.PWRITE_MAX) }),
  ftruncate: z.object({ ...base, fd: fdNumber, len: int64 }),
  fstat: z.object({ ...base, fd: fdNumber }),
  lock: z.object({ ...base, fd: fdNumber, cmd: z.enum(LOCK_CMDS), type: z.enum(LOCK_TYPES), start: int64, len: int64 }),
  getlk: z.object({ ...base, fd: fdNumber, type: z.enum(['F_RDLCK', 'F_WRLCK']), start: int64, len: int64 }),
  exit: z.object({ ...base }),
} as const satisfies Record<OpName, z.ZodType>;

export const OP_NAMES = Object.keys(opSchemas) as OpName[];

/** The Socket.IO event that carries an operation: `op:store`, `op:lock`... */
export type OpEventName = `op:${OpName}`;
export const opEventName = (name: OpName): OpEventName => `op:${name}`;

/** What a client sends for operation N (numbers or decimal strings for 64-bit values). */
export type OpRequestIn<N extends OpName> = z.input<(typeof opSchemas)[N]>;
/** The same after validation: bigints, Uint8Array. */
export type OpRequest<N extends OpName> = z.output<(typeof opSchemas)[N]>;

/** A validated request as the kernel's Op (drops the optional pid). */
export function toKernelOp<N extends OpName>(name: N, request: OpRequest<N>): Op {
  // A loop, not rest and spread: this runs for every operation, and the loop takes half the time (0.12 against 0.25 µs).
  const op: Record<string, unknown> = { op: name };
  const fields = request as Record<string, unknown>;
  for (const key in fields) if (key !== 'pid') op[key] = fields[key];
  return op as Op;
}

/** A kernel Op as a client sends it: bigints as decimal strings, bytes as hex. */
export function opToWire(op: Op): { event: OpEventName; payload: Record<string, unknown> } {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(op)) {
    if (key === 'op') continue;
    payload[key] = typeof value === 'bigint' ? int64ToWire(value) : value instanceof Uint8Array ? toHex(value) : value;
  }
  return { event: opEventName(op.op), payload };
}
