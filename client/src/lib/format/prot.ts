import { PROT_EXEC, PROT_READ, PROT_WRITE } from '@mmap-lab/shared/kernel/constants.ts';

/** A compact protection label for tight spaces: "RW-", "R--", "---". */
export function protShort(prot: number): string {
  if (prot < 0) return 'hole';
  return `${prot & PROT_READ ? 'R' : '-'}${prot & PROT_WRITE ? 'W' : '-'}${prot & PROT_EXEC ? 'X' : '-'}`;
}

export { protText } from '@mmap-lab/shared/content/c-line.ts';
