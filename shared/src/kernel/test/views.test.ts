import { describe, expect, it } from 'vitest';
import { kernelViewSchema } from '../../protocol/views.ts';
import { Kernel } from '../kernel.ts';
import { kernelView } from '../views.ts';

/** Offsets past 2^53 reach a view exactly, as Linux reports them: never clamped or rounded. */
describe('views carry huge offsets exactly', () => {
  it('[VW1] locks at 2^60, a wait for one, and a mapping at file offset 2^60', () => {
    const k = new Kernel({ pageSize: 16, file: new Uint8Array(32) });
    const a = k.spawn();
    const b = k.spawn();
    k.apply(a, { op: 'open', mode: 'O_RDWR' });
    k.apply(b, { op: 'open', mode: 'O_RDWR' });
    const big = 2n ** 60n;
    expect(k.apply(a, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: big, len: 101n }).result.kind).toBe('ok');
    expect(k.apply(a, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_RDLCK', start: 0n, len: 10n }).result.kind).toBe('ok');
    expect(k.apply(b, { op: 'lock', fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: big + 100n, len: 0n }).result.kind).toBe('blocked');
    const view = kernelView(k.state);
    expect(view.locks.map((l) => [l.type, l.start, l.end])).toEqual([
      ['F_RDLCK', '0', '9'],
      ['F_WRLCK', '1152921504606846976', '1152921504606847076'],
    ]);
    const blocked = view.processes.find((p) => p.pid === b)!.state;
    expect(blocked).toMatchObject({ state: 'blocked', request: { start: '1152921504606847076', end: null }, on: { start: '1152921504606846976', end: '1152921504606847076' } });
    expect(kernelViewSchema.parse(JSON.parse(JSON.stringify(view)))).toEqual(view);
  });

  it('[VW2] a mapping at file offset 2^60 shows that offset', () => {
    const k = new Kernel({ pageSize: 16, file: new Uint8Array(32) });
    const a = k.spawn();
    k.apply(a, { op: 'open', mode: 'O_RDWR' });
    const off = 2n ** 60n + 16n;
    expect(k.apply(a, { op: 'mmap', len: 16n, prot: 1, flags: 'MAP_SHARED', fd: 3, off }).result.kind).toBe('map');
    const view = kernelView(k.state);
    expect(view.processes[0]!.mappings[0]!.offset).toBe('1152921504606846992');
    expect(kernelViewSchema.parse(JSON.parse(JSON.stringify(view)))).toEqual(view);
  });
});
