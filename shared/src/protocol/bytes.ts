import { z } from 'zod';

const HEX_PAIRS = /^(?:[0-9a-fA-F]{2})*$/;

// No Buffer here: the browser client uses these too.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

/** Hex pairs to bytes; the caller has checked the text (HEX_PAIRS). */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/**
 * Bytes from a client: an array of numbers 0..255 or an even-length hex
 * string (compact for big writes). Capped at `max` bytes either way.
 */
export function bytesIn(max: number) {
  return z
    .union([
      z.array(z.int().min(0).max(255)).max(max),
      z.string().max(max * 2).regex(HEX_PAIRS, 'hex digits in pairs'),
    ])
    .transform((v) => (typeof v === 'string' ? fromHex(v) : Uint8Array.from(v)));
}

/** Bytes to a client: always lower-case hex. */
export const hexOut = z.string().regex(HEX_PAIRS);
