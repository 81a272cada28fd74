import type { Op } from '../kernel/types.ts';
import type { Trace } from './types.ts';

const hex = (bytes: Uint8Array): string =>
  bytes.length === 0 ? '-' : Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function args(op: Op): (string | number | bigint)[] {
  switch (op.op) {
    case 'open': return [op.mode];
    case 'close': case 'fstat': return [op.fd];
    case 'mmap': return [op.len, op.prot, op.flags, op.fd, op.off];
    case 'munmap': return [op.map, op.off, op.len];
    case 'mprotect': return [op.map, op.off, op.len, op.prot];
    case 'load': return [op.map, op.index];
    case 'store': return [op.map, op.index, op.value];
    case 'msync': return [op.map];
    case 'pread': return [op.fd, op.off, op.count];
    case 'pwrite': return [op.fd, op.off, hex(op.data)];
    case 'ftruncate': return [op.fd, op.len];
    case 'lock': return [op.fd, op.cmd, op.type, op.start, op.len];
    case 'getlk': return [op.fd, op.type, op.start, op.len];
    case 'exit': return [];
  }
}

/**
 * The trace in the plain line format the C harness reads (test/harness/README.md):
 * decimal numbers, protections as masks, strings as hex. One parser, in TypeScript.
 */
export function toHarnessInput(trace: Trace): string {
  const lines = [`page ${trace.pageSize}`, `file ${hex(trace.file)}`];
  for (const s of trace.steps) lines.push([s.proc, s.op.op, ...args(s.op)].join(' '));
  return lines.join('\n') + '\n';
}
