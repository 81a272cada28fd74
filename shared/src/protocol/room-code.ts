import { z } from 'zod';
import { LIMITS } from './limits.ts';

/** No 0/O, 1/I/L: a code read off a projector cannot be mistyped by look-alikes. */
export const ROOM_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ROOM_CODE_LENGTH = 6;
const CODE = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);

/** Upper-case it and drop the spaces and dashes people type; undefined if it cannot be a code. */
export function normalizeRoomCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return CODE.test(code) ? code : undefined;
}

/** A room code as typed: case-insensitive, spaces and dashes tolerated. */
export const roomCodeIn = z
  .string()
  .max(LIMITS.CODE_INPUT_MAX)
  .transform((v, ctx) => {
    const code = normalizeRoomCode(v);
    if (code === undefined) {
      ctx.addIssue({ code: 'custom', message: `a room code is ${ROOM_CODE_LENGTH} letters and digits` });
      return z.NEVER;
    }
    return code;
  });
