import { z } from 'zod';

const U64_LIMIT = 1n << 64n;
const DECIMAL = /^-?[0-9]{1,20}$/;

/**
 * A 64-bit argument (length, offset, lock range). JSON has no 64-bit integer,
 * so a client sends a safe integer as a number or any value as a decimal
 * string; both become a bigint. Like the trace language, anything from
 * -(2^64-1) to 2^64-1 is accepted: the kernel reads the bits as C would.
 */
export const int64 = z
  .union([z.int(), z.string().regex(DECIMAL, 'a decimal integer')])
  .transform((v, ctx) => {
    const n = BigInt(v);
    if (n >= U64_LIMIT || n <= -U64_LIMIT) {
      ctx.addIssue({ code: 'custom', message: 'does not fit in 64 bits' });
      return z.NEVER;
    }
    return n;
  });

/** A descriptor number: the trace language caps it the same way. */
export const fdNumber = z.int().min(0).max(0x7fffffff);
/** m<k>: k counts a process's successful mmaps from 1. */
export const mapNumber = z.int().min(1).max(0x7fffffff);
/** A load/store index relative to the mapping's start; may be negative or past the end. */
export const memIndex = z.int();
/** One byte value. */
export const byteValue = z.int().min(0).max(255);
/** A pid: the server only ever accepts the caller's own. */
export const pidNumber = z.int().min(1).max(0x7fffffff);
/** A protection mask: PROT_* bits; unknown bits reach mprotect, which answers EINVAL as Linux does. */
export const protMask = z.int().min(0).max(0x7fffffff);

/** A bigint as it travels to a client: decimal, so nothing past 2^53 is rounded. */
export const int64Out = z.string().regex(DECIMAL);
export const int64ToWire = (n: bigint): string => n.toString(10);
