export const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** How a byte shows in a cell: itself when printable ASCII, otherwise a placeholder the hex explains. */
export function cellChar(byte: number): string {
  if (byte === 0) return '·';
  if (byte === 0x20) return '␣';
  if (byte === 0x0a) return '↵';
  return byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '?';
}

/** A byte as a C programmer reads it: 'B' (0x42), or 0x00. */
export function byteText(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}' (0x${hex2(byte)})` : `0x${hex2(byte)}`;
}

export function fromHexString(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/** The value a typed key stands for: one character of Latin-1 or nothing. */
export function keyToByte(key: string): number | undefined {
  if ([...key].length !== 1) return undefined;
  const code = key.codePointAt(0)!;
  return code >= 0x20 && code <= 0xff ? code : undefined;
}

/** "0xNN", "'c'", "c" or a decimal number, as a byte value. */
export function parseByte(text: string): number | undefined {
  const t = text.trim();
  if (/^0x[0-9a-f]{1,2}$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^'.'$/.test(t)) return keyToByte(t[1]);
  if (/^[0-9]{1,3}$/.test(t)) {
    const n = Number(t);
    return n <= 255 ? n : undefined;
  }
  if ([...t].length === 1) return keyToByte(t);
  return undefined;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
