import type { Result } from '../kernel/types.ts';

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** Bytes as the contract prints them: printable ASCII, with \" \\ \n and \xNN for the rest. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${hex2(b)}`;
  }
  return `"${out}"`;
}

/** The first `max` bytes as escapeBytes prints them, with `..."` when there are more. */
export function escapeBytesShort(bytes: Uint8Array, max: number): string {
  return bytes.length > max ? `${escapeBytes(bytes.subarray(0, max)).slice(0, -1)}..."` : escapeBytes(bytes);
}

/** One result as the contract prints it; `name` turns a pid into its process name. */
export function formatResult(result: Result, name: (pid: number) => string): string {
  switch (result.kind) {
    case 'fd': return `fd ${result.fd}`;
    case 'map': return `map m${result.map}`;
    case 'ok': return 'ok';
    case 'byte': return `0x${hex2(result.value)}`;
    case 'bytes': return escapeBytes(result.data);
    case 'count': return String(result.count);
    case 'size': return `size ${result.size}`;
    case 'unlocked': return 'F_UNLCK';
    case 'lock': return `${result.lock.type} pid=${name(result.lock.pid)} start=${result.lock.start} len=${result.lock.len}`;
    case 'blocked': return 'blocked';
    case 'errno': return result.errno;
    case 'signal': return result.signal;
    case 'dead': return 'dead';
    case 'not-runnable': return result.state;
    case 'invalid': return `invalid: ${result.message}`;
  }
}
