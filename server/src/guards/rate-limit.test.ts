import { describe, expect, it } from 'vitest';
import { AddressBudget } from './rate-limit.ts';

describe('a budget per address', () => {
  it('refuses past the burst until a token comes back, whatever other addresses come and go meanwhile', () => {
    let now = 0;
    const budget = new AddressBudget(2, 1000, () => now);
    budget.spend('10.0.0.1');
    expect(budget.retryAfter('10.0.0.1')).toBe(0);
    budget.spend('10.0.0.1');
    expect(budget.retryAfter('10.0.0.1')).toBe(1000);
    expect(budget.retryAfter('10.0.0.2')).toBe(0);
    now += 400;
    expect(budget.retryAfter('10.0.0.1')).toBe(600);
    // Other addresses come and go (sweeps as the table grows) without refilling the guesser's bucket.
    for (let i = 0; i < 5_000; i++) budget.spend(`192.168.${i >> 8}.${i & 255}`);
    expect(budget.retryAfter('10.0.0.1')).toBe(600);
    now += 2000;
    expect(budget.retryAfter('10.0.0.1')).toBe(0);
  });
});
