import { z } from 'zod';
import { ACCESS_SIGNALS, ERRNOS, LOCK_TYPES } from '../kernel/constants.ts';
import type { OpName, Result } from '../kernel/types.ts';
import { explainResult } from '../content/explanations.ts';
import { escapeBytesShort, formatResult } from '../trace/format.ts';
import { fromHex, hexOut, toHex } from './bytes.ts';
import { int64Out, int64ToWire } from './wire-int.ts';

const heldType = z.enum(LOCK_TYPES).exclude(['F_UNLCK']);

/** A lock as F_GETLK reports it; start and len are decimal strings (64-bit). */
export const wireLockInfo = z.object({ type: heldType, pid: z.int(), start: int64Out, len: int64Out });
export type WireLockInfo = z.infer<typeof wireLockInfo>;

/**
 * A kernel Result as it travels: bigints as decimal strings, bytes as hex.
 * Every result carries `display`, the value as C would show it (`3`,
 * `-1 EACCES`, `SIGSEGV`), and failures carry `explanation`, a short
 * sentence for the student.
 */
export const wireResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fd'), fd: z.int() }),
  z.object({ kind: z.literal('map'), map: z.int() }),
  z.object({ kind: z.literal('ok') }),
  z.object({ kind: z.literal('byte'), value: z.int() }),
  z.object({ kind: z.literal('bytes'), hex: hexOut }),
  z.object({ kind: z.literal('count'), count: z.int() }),
  z.object({ kind: z.literal('size'), size: z.int() }),
  z.object({ kind: z.literal('unlocked') }),
  z.object({ kind: z.literal('lock'), lock: wireLockInfo }),
  z.object({ kind: z.literal('blocked'), on: wireLockInfo }),
  z.object({ kind: z.literal('errno'), errno: z.enum(ERRNOS) }),
  z.object({
    kind: z.literal('signal'),
    signal: z.enum(ACCESS_SIGNALS),
    reason: z.enum(['unmapped', 'protection', 'past-eof', 'no-space', 'out-of-memory']),
    address: z.number(),
  }),
  z.object({ kind: z.literal('dead') }),
  z.object({ kind: z.literal('not-runnable'), state: z.enum(['blocked', 'stopped']) }),
  z.object({ kind: z.literal('invalid'), message: z.string() }),
]);

export const wireOutcome = z.object({
  result: wireResult,
  display: z.string(),
  explanation: z.string().optional(),
});
export type WireResult = z.infer<typeof wireResult>;
export type WireOutcome = z.infer<typeof wireOutcome>;

const lockOut = (l: { type: 'F_RDLCK' | 'F_WRLCK'; pid: number; start: bigint; len: bigint }): WireLockInfo => ({
  type: l.type,
  pid: l.pid,
  start: int64ToWire(l.start),
  len: int64ToWire(l.len),
});

export function toWireResult(result: Result): WireResult {
  switch (result.kind) {
    case 'bytes': return { kind: 'bytes', hex: toHex(result.data) };
    case 'lock': return { kind: 'lock', lock: lockOut(result.lock) };
    case 'blocked': return { kind: 'blocked', on: lockOut(result.on) };
    default: return { ...result };
  }
}

export function fromWireResult(wire: WireResult): Result {
  const lockIn = (l: WireLockInfo) => ({ type: l.type, pid: l.pid, start: BigInt(l.start), len: BigInt(l.len) });
  switch (wire.kind) {
    case 'bytes': return { kind: 'bytes', data: fromHex(wire.hex) };
    case 'lock': return { kind: 'lock', lock: lockIn(wire.lock) };
    case 'blocked': return { kind: 'blocked', on: lockIn(wire.on) };
    default: return { ...wire };
  }
}

/** A read's bytes a display shows; the rest is in the result, not in every log line and feed entry. */
const DISPLAY_BYTES = 128;

/** How C shows a result: a failed call is `-1 ERRNO`; pids print as numbers; a long read, its start and its length. */
export function displayResult(result: Result): string {
  if (result.kind === 'errno') return `-1 ${result.errno}`;
  if (result.kind === 'bytes' && result.data.length > DISPLAY_BYTES) return `${escapeBytesShort(result.data, DISPLAY_BYTES)} (${result.data.length} bytes)`;
  return formatResult(result, (pid) => String(pid));
}

/** A result with its display text and, for failures, the explanation. */
export function toWireOutcome(op: OpName, result: Result): WireOutcome {
  const explanation = explainResult(op, result);
  const out: WireOutcome = { result: toWireResult(result), display: displayResult(result) };
  if (explanation !== undefined) out.explanation = explanation;
  return out;
}
