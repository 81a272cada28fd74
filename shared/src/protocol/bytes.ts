import { z } from 'zod';

const HEX_PAIRS = /^(?:[0-9a-fA-F]{2})*$/;

// No Buffer here: the browser client uses these too.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const DIGITS = new TextEncoder().encode('0123456789abcdef');
/** A hex digit's value by its character code (both cases). */
const VALUE = new Uint8Array(128);
for (let i = 0; i < 16; i++) VALUE['0123456789abcdef'.charCodeAt(i)] = VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
/** Hex digits are ASCII, which UTF-8 decodes as is (and every platform has it). */
const ascii = new TextDecoder();
/**
 * Past this many bytes, writing the digits into a buffer and decoding it once
 * beats adding pairs to a string: 2.7–3 times faster for a 64 KiB memory view,
 * slower for a tick's few bytes.
 */
const DECODE_FROM = 256;

export function toHex(bytes: Uint8Array): string {
  if (bytes.length >= DECODE_FROM) {
    const digits = new Uint8Array(bytes.length * 2);
    for (let i = 0, j = 0; i < bytes.length; i++, j += 2) {
      digits[j] = DIGITS[bytes[i] >> 4];
      digits[j + 1] = DIGITS[bytes[i] & 15];
    }
    return ascii.decode(digits);
  }
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

/** Hex pairs to bytes; the caller has checked the text (HEX_PAIRS). A table, not parseInt: 4.8 times faster for 64 KiB. */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0, j = 0; i < out.length; i++, j += 2) out[i] = (VALUE[hex.charCodeAt(j)] << 4) | VALUE[hex.charCodeAt(j + 1)];
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
