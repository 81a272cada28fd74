import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes.ts';

/** The plain way, to compare the fast paths with. */
const slowHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

describe('hex', () => {
  // Both sides of the size where toHex changes method.
  for (const size of [0, 1, 2, 255, 256, 257, 4096, 65536]) {
    it(`turns ${size} bytes to hex and back`, () => {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 151 + 7) & 0xff);
      const hex = toHex(bytes);
      expect(hex).toBe(slowHex(bytes));
      expect(fromHex(hex)).toEqual(bytes);
    });
  }

  it('writes every byte value as two lowercase digits, and reads either case', () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(every)).toBe(slowHex(every));
    expect(toHex(every.subarray(250))).toBe('fafbfcfdfeff');
    expect(fromHex('00FFaB7f')).toEqual(Uint8Array.from([0, 255, 0xab, 0x7f]));
  });
});
