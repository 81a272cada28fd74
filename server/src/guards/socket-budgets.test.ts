import { describe, expect, it } from 'vitest';
import { SocketBudgets, type Budget } from './socket-budgets.ts';

// 10 messages a second (one per 100 ms), bursts of 20: empty to full in 2 s.
const BURST = 20;
const RATE = 10;

function setup() {
  const clock = { t: 1_000_000 };
  const budgets = new SocketBudgets(BURST, RATE, () => clock.t);
  return { clock, budgets };
}

/** Take until refused; how many were taken. */
function drain(b: Budget, now: number): number {
  let n = 0;
  while (b.bucket.take(now) === 0) n++;
  return n;
}

describe('socket budgets', () => {
  it('a resumed session goes on with its bucket and refused count; a new connection alone starts full', () => {
    const { clock, budgets } = setup();
    const first = budgets.student(budgets.connection(), 'ROOM', 'tok', '10.0.0.1', true);
    expect(drain(first, clock.t)).toBe(BURST);
    first.overLimit = 7;
    budgets.release(first);
    clock.t += 50;
    const next = budgets.connection();
    expect(next.bucket.full(clock.t)).toBe(true);
    const resumed = budgets.student(next, 'ROOM', 'tok', '10.0.0.1', false);
    expect(resumed).toBe(first);
    expect(resumed.overLimit).toBe(7);
    expect(resumed.bucket.take(clock.t)).toBeGreaterThan(0);
    clock.t += 100;
    expect(resumed.bucket.take(clock.t)).toBe(0);
  });

  it('after a student socket is cut for flooding, a join from its address starts from the cut bucket, refilling', () => {
    const { clock, budgets } = setup();
    const flooder = budgets.student(budgets.connection(), 'ROOM', 'flood', '10.0.0.1', true);
    drain(flooder, clock.t);
    budgets.cut(flooder, '10.0.0.1', true);
    expect(flooder.overLimit).toBe(0);
    budgets.release(flooder);
    clock.t += 300;
    const again = budgets.student(budgets.connection(), 'ROOM', 'flood-2', '10.0.0.1', true);
    expect(again.bucket.level(clock.t)).toBeCloseTo(3, 5);
    // Another address, and a student resuming its own session from the same one, are not affected.
    expect(budgets.student(budgets.connection(), 'ROOM', 'other', '10.0.0.2', true).bucket.full(clock.t)).toBe(true);
    const honest = budgets.student(budgets.connection(), 'ROOM', 'honest', '10.0.0.1', false);
    expect(honest.bucket.full(clock.t)).toBe(true);
    // Once the cut bucket would be full again, joins start full.
    clock.t += 2000;
    expect(budgets.student(budgets.connection(), 'ROOM', 'later', '10.0.0.1', true).bucket.full(clock.t)).toBe(true);
  });

  it('a cut that was not a student marks nothing', () => {
    const { clock, budgets } = setup();
    const stranger = budgets.connection();
    drain(stranger, clock.t);
    budgets.cut(stranger, '10.0.0.1', false);
    expect(budgets.sizes.flooded).toBe(0);
    expect(budgets.student(budgets.connection(), 'ROOM', 'x', '10.0.0.1', true).bucket.full(clock.t)).toBe(true);
  });

  it('forgets idle sessions once full again and flood marks once refilled, so the tables stay small', () => {
    const { clock, budgets } = setup();
    const held: Budget[] = [];
    for (let i = 0; i < 1000; i++) {
      const b = budgets.student(budgets.connection(), 'ROOM', `t${i}`, `10.0.${i >> 8}.${i & 255}`, true);
      drain(b, clock.t);
      if (i < 5) held.push(b);
      else {
        budgets.cut(b, `10.0.${i >> 8}.${i & 255}`, true);
        budgets.release(b);
      }
    }
    expect(budgets.sizes.sessions).toBe(1000);
    expect(budgets.sizes.flooded).toBe(995);
    clock.t += 2001;
    for (let i = 0; i < 100; i++) {
      const b = budgets.student(budgets.connection(), 'ROOM', `u${i}`, '10.1.0.1', true);
      drain(b, clock.t);
      budgets.cut(b, `10.2.0.${i}`, true);
    }
    // The 5 still held, the 100 new; every idle one swept out.
    expect(budgets.sizes.sessions).toBe(105);
    expect(budgets.sizes.flooded).toBe(100);
    // A held session is still found, with its bucket.
    expect(budgets.student(budgets.connection(), 'ROOM', 't0', '10.0.0.0', false)).toBe(held[0]);
  });
});
