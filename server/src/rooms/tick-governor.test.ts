import { describe, expect, it } from 'vitest';
import { TickGovernor } from './tick-governor.ts';

describe('the tick governor', () => {
  it('stretches ticks while the loop is overloaded, up to its limit, and shrinks them back after', () => {
    const g = new TickGovernor(3);
    g.observe(0.6);
    expect(g.scale).toBe(1);
    const scales: number[] = [];
    for (let i = 0; i < 8; i++) {
      g.observe(0.99);
      scales.push(g.scale);
    }
    expect(scales.slice(0, 3)).toEqual([1.25, 1.5625, 1.953125]);
    expect(scales[7]).toBe(3);
    g.observe(0.9); // between the two thresholds: hold
    expect(g.scale).toBe(3);
    for (let i = 0; i < 10; i++) g.observe(0.3);
    expect(g.scale).toBe(1);
  });
});
