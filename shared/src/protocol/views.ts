import { z } from 'zod';
import { FAULT_SIGNALS, MAP_FLAGS, OPEN_MODES } from '../kernel/constants.ts';
import { int64Out } from './wire-int.ts';
import type { KernelView, LockView, ProcessView } from '../kernel/views.ts';

/**
 * Zod mirrors of the kernel's view types (shared/src/kernel/views.ts), so the
 * client can check what the server sends. The type assertions at the bottom
 * fail to compile if the kernel's views and these schemas drift apart.
 */
const heldType = z.enum(['F_RDLCK', 'F_WRLCK']);
/** Lock ranges and file offsets reach past 2^53: decimal strings, exact. */
const range = { start: int64Out, end: int64Out.nullable() };
const lockInfoView = z.object({ type: heldType, pid: z.int(), ...range });

export const mappingViewSchema = z.object({
  map: z.int(),
  offset: int64Out,
  length: z.number(),
  flags: z.enum(MAP_FLAGS),
  segments: z.array(z.object({ from: z.int(), to: z.int(), prot: z.int() })),
  copiedPages: z.array(z.int()),
});

export const processStateViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('running') }),
  z.object({ state: z.literal('stopped') }),
  z.object({ state: z.literal('blocked'), on: lockInfoView, request: z.object({ type: heldType, ...range }) }),
  z.object({ state: z.literal('dead'), cause: z.enum(['exit', 'SIGKILL', ...FAULT_SIGNALS]) }),
]);

export const processViewSchema = z.object({
  pid: z.int(),
  state: processStateViewSchema,
  fds: z.array(z.object({ fd: z.int(), mode: z.enum(OPEN_MODES) })),
  mappings: z.array(mappingViewSchema),
});

export const lockViewSchema = lockInfoView.extend({ waiters: z.array(z.int()) });

export const kernelViewSchema = z.object({
  pageSize: z.int(),
  size: z.number(),
  processes: z.array(processViewSchema),
  locks: z.array(lockViewSchema),
  waitsFor: z.array(z.object({ from: z.int(), to: z.int() })),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameProcess: Same<z.infer<typeof processViewSchema>, ProcessView> = true;
const sameLock: Same<z.infer<typeof lockViewSchema>, LockView> = true;
const sameKernel: Same<z.infer<typeof kernelViewSchema>, KernelView> = true;
void [sameProcess, sameLock, sameKernel];
