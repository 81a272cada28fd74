import { describe, expect, it } from 'vitest';
import { ExpiringMap } from './expiring-map.ts';

describe('a table whose entries expire', () => {
  // An entry is a deadline: it expires once `now` has passed it.
  const table = (max: number) => new ExpiringMap<string, number>((deadline, now) => now >= deadline, max);

  it('reads an expired entry as absent and sweeps expired ones out as it grows', () => {
    const t = table(1_000);
    t.set('old', 10, 0);
    expect(t.get('old', 5)).toBe(10);
    expect(t.get('old', 10)).toBeUndefined();
    for (let i = 0; i < 63; i++) t.set(`gone${i}`, 50, 0);
    t.set('kept', 500, 0);
    expect(t.size).toBe(64);
    t.set('new', 500, 100); // at 64 entries the table sweeps: the 63 expired ones go
    expect(t.size).toBe(2);
    expect(t.get('kept', 100)).toBe(500);
  });

  it('past its bound drops the oldest entries, even live ones', () => {
    const t = table(100);
    for (let i = 0; i < 250; i++) t.set(`k${i}`, 1_000, i);
    expect(t.size).toBeLessThanOrEqual(100);
    expect(t.get('k249', 300)).toBe(1_000);
    expect(t.get('k0', 300)).toBeUndefined();
  });
});
