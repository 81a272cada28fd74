import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import type { Later } from './later.ts';
import { SlowMotionQueue } from './slow-motion.ts';

/** An answer as a promise, for the test to await. */
const settled = <T>(later: Later<T>) => new Promise<T>((resolve, reject) => later.whenSettled(resolve, reject));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('slow motion', () => {
  it('applies each operation after the delay, in arrival order, and answers with what it returned', async () => {
    const q = new SlowMotionQueue(100);
    const applied: string[] = [];
    const a = settled(q.submit(1, () => (applied.push('a'), 'A')));
    vi.advanceTimersByTime(40);
    const b = settled(q.submit(2, () => (applied.push('b'), 'B')));
    vi.advanceTimersByTime(59);
    expect(applied).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(applied).toEqual(['a']);
    vi.advanceTimersByTime(40);
    expect(applied).toEqual(['a', 'b']);
    await expect(Promise.all([a, b])).resolves.toEqual(['A', 'B']);
    expect(q.size).toBe(0);
  });

  it('caps what one process may have on its way; flush applies everything now; cancel answers CANCELLED', async () => {
    const q = new SlowMotionQueue(1000);
    const held = Array.from({ length: LIMITS.QUEUED_PER_PROCESS }, (_, i) => settled(q.submit(7, () => i)));
    await expect(settled(q.submit(7, () => -1))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    const other = settled(q.submit(8, () => 'other'));
    q.flush();
    await expect(Promise.all(held)).resolves.toEqual(held.map((_, i) => i));
    await expect(other).resolves.toBe('other');
    const dropped = settled(q.submit(7, () => 'never'));
    q.cancel('rebooted');
    await expect(dropped).rejects.toMatchObject({ code: 'CANCELLED', message: 'rebooted' });
  });

  it('answers with the error an operation threw, and goes on with the next', async () => {
    const q = new SlowMotionQueue(10);
    const bad = settled(q.submit(1, () => {
      throw new Error('bug');
    }));
    const good = settled(q.submit(1, () => 'fine'));
    vi.advanceTimersByTime(10);
    await expect(bad).rejects.toThrow('bug');
    await expect(good).resolves.toBe('fine');
  });
});

describe('slow motion when a process dies', () => {
  it('answers what the dead process still held CANCELLED, after the operation that killed it', async () => {
    const q = new SlowMotionQueue(10);
    const order: string[] = [];
    const note = <T>(name: string, later: Later<T>) => later.whenSettled(() => order.push(`${name} ran`), (e) => order.push(`${name} ${(e as { code: string }).code}`));
    note('fault', q.submit(1, () => q.died(1)));
    note('next', q.submit(1, () => 'never'));
    note('other', q.submit(2, () => 'other'));
    vi.advanceTimersByTime(10);
    expect(order).toEqual(['fault ran', 'next CANCELLED', 'other ran']);
    expect(q.size).toBe(0);
    // Its count of operations on their way went with them.
    const again = Array.from({ length: LIMITS.QUEUED_PER_PROCESS }, () => settled(q.submit(1, () => 'again')));
    q.flush();
    await expect(Promise.all(again)).resolves.toHaveLength(LIMITS.QUEUED_PER_PROCESS);
  });
});
