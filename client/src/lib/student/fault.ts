import type { Op } from '@mmap-lab/shared/kernel/types.ts';
import type { ProcessView } from '@mmap-lab/shared/kernel/views.ts';
import type { WireOutcome, WireResult } from '@mmap-lab/shared/protocol/index.ts';

type SignalResult = Extract<WireResult, { kind: 'signal' }>;
import { protText } from '@mmap-lab/shared/content/c-line.ts';
import { offsetPlus } from '../format/offset.ts';

/** Everything the death screen says about the access that killed the process. */
export interface FaultReport {
  signal: SignalResult['signal'];
  reason: SignalResult['reason'];
  c: string;
  /** "a store of 'x' into m1[3]". */
  access: string;
  /** The rule, in the lesson's words. */
  rule: string;
  /** What this process's mapping looked like at that address. */
  detail: string;
}

export function describeFault(
  op: Op, c: string, outcome: WireOutcome, before: ProcessView | undefined, pageSize: number, fileSize: number,
): FaultReport | undefined {
  const r = outcome.result;
  if (r.kind !== 'signal') return undefined;
  if (op.op !== 'load' && op.op !== 'store') return undefined;
  const access = op.op === 'store' ? `a store into m${op.map}[${op.index}]` : `a load from m${op.map}[${op.index}]`;
  const mapping = before?.mappings.find((m) => m.map === op.map);
  let detail = '';
  if (!mapping) detail = `m${op.map} was no longer mapped.`;
  else {
    const page = Math.floor(op.index / pageSize);
    const seg = mapping.segments.find((s) => page >= s.from && page < s.to);
    if (op.index < 0 || op.index >= mapping.length) {
      detail = `m${op.map} covers indexes 0 to ${mapping.length - 1} (${mapping.length / pageSize} page${mapping.length === pageSize ? '' : 's'} of ${pageSize} bytes); index ${op.index} is outside it.`;
    } else if (!seg) detail = `Page ${page} of m${op.map} was removed with munmap: it is a hole now.`;
    else if (r.reason === 'protection') detail = `Page ${page} of m${op.map} is ${protText(seg.prot)}; ${op.op === 'store' ? 'a store needs PROT_WRITE' : 'a load needs PROT_READ'}.`;
    else if (r.reason === 'past-eof') {
      const fileOffset = offsetPlus(mapping.offset, page * pageSize);
      detail = `Page ${page} of m${op.map} starts at file offset ${fileOffset}, but the file is only ${fileSize} bytes long: no file is behind that page.`;
    }
  }
  return { signal: r.signal, reason: r.reason, c, access, rule: outcome.explanation ?? '', detail };
}
