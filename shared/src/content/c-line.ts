import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../kernel/constants.ts';
import type { Op, Result } from '../kernel/types.ts';
import { escapeBytesShort } from '../trace/format.ts';

/** PROT_READ|PROT_WRITE, as a C programmer writes the mask. */
export function protText(prot: number): string {
  const parts: string[] = [];
  if (prot & PROT_READ) parts.push('PROT_READ');
  if (prot & PROT_WRITE) parts.push('PROT_WRITE');
  if (prot & PROT_EXEC) parts.push('PROT_EXEC');
  const unknown = prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC);
  if (unknown) parts.push(`0x${unknown.toString(16)}`);
  return parts.length === 0 ? 'PROT_NONE' : parts.join('|');
}

function byteLiteral(value: number): string {
  if (value === 0x27) return "'\\''";
  if (value === 0x5c) return "'\\\\'";
  return value >= 0x20 && value <= 0x7e ? `'${String.fromCharCode(value)}'` : `0x${value.toString(16).padStart(2, '0')}`;
}

/**
 * The C line an operation stands for, as the student's echo and the teacher's
 * feed print it. `m1` names the first mapping; a successful mmap's result
 * names the mapping it made.
 */
export function cLine(op: Op, result?: Result): string {
  switch (op.op) {
    case 'open': return `fd = open("file", ${op.mode});`;
    case 'close': return `close(${op.fd});`;
    case 'mmap': {
      const lhs = result?.kind === 'map' ? `m${result.map}` : 'p';
      return `${lhs} = mmap(NULL, ${op.len}, ${protText(op.prot)}, ${op.flags}, ${op.fd}, ${op.off});`;
    }
    case 'munmap': return `munmap(m${op.map} + ${op.off}, ${op.len});`;
    case 'mprotect': return `mprotect(m${op.map} + ${op.off}, ${op.len}, ${protText(op.prot)});`;
    case 'load': return `c = m${op.map}[${op.index}];`;
    case 'store': return `m${op.map}[${op.index}] = ${byteLiteral(op.value)};`;
    case 'msync': return `msync(m${op.map}, length_of_m${op.map}, MS_SYNC);`;
    case 'pread': return `pread(${op.fd}, buf, ${op.count}, ${op.off});`;
    case 'pwrite': {
      return `pwrite(${op.fd}, ${escapeBytesShort(op.data, 32)}, ${op.data.length}, ${op.off});`;
    }
    case 'ftruncate': return `ftruncate(${op.fd}, ${op.len});`;
    case 'fstat': return `fstat(${op.fd}, &st);`;
    case 'lock':
      return `fcntl(${op.fd}, ${op.cmd}, &(struct flock){ .l_type = ${op.type}, .l_whence = SEEK_SET, .l_start = ${op.start}, .l_len = ${op.len} });`;
    case 'getlk':
      return `fcntl(${op.fd}, F_GETLK, &(struct flock){ .l_type = ${op.type}, .l_whence = SEEK_SET, .l_start = ${op.start}, .l_len = ${op.len} });`;
    case 'exit': return 'exit(0);';
  }
}
