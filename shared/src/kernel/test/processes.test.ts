import { describe, expect, it } from 'vitest';
import { Kernel } from '../kernel.ts';
import { kernelView } from '../views.ts';
import { sim } from './helpers.ts';

/** A holds a write lock over the whole file; B waits for it in F_SETLKW. */
function holderAndWaiter() {
  const k = new Kernel({ pageSize: 16, file: new Uint8Array(32) });
  const a = k.spawn();
  const b = k.spawn();
  k.apply(a, { op: 'open', mode: 'O_RDWR' });
  k.apply(b, { op: 'open', mode: 'O_RDWR' });
  k.apply(a, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0n, len: 0n });
  const wait = k.apply(b, { op: 'lock', fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0n, len: 0n });
  expect(wait.result.kind).toBe('blocked');
  return { k, a, b };
}

describe('7. Processes and signals (PR)', () => {
  it('[PR1] a new process has no descriptors', () => {
    expect(sim(`file zeros 1
A open O_RDONLY
B fstat 3`)).toEqual(['fd 3', 'EBADF']);
  });

  it('[PR2] exit releases locks and wakes the waiter', () => {
    expect(sim(`file zeros 10
A open O_RDWR
B open O_RDWR
A lock 3 F_SETLK F_WRLCK 0 0
B lock 3 F_SETLKW F_WRLCK 0 0
A exit`)).toEqual(['fd 3', 'fd 3', 'ok', 'blocked', 'ok', 'B wakes -> ok']);
  });

  it('[PR2] SIGKILL of a blocked process leaves its wait; the holder keeps its lock', () => {
    const { k, a, b } = holderAndWaiter();
    expect(kernelView(k.state).waitsFor).toEqual([{ from: b, to: a }]);
    const { events } = k.signal(b, 'SIGKILL');
    expect(events.map((e) => e.type)).toContain('died');
    const view = kernelView(k.state);
    expect(view.waitsFor).toEqual([]);
    expect(view.locks.map((l) => l.pid)).toEqual([a]);
  });

  it('[PR3] a dead process reports dead', () => {
    expect(sim(`file zeros 1
A exit
A open O_RDONLY`)).toEqual(['ok', 'dead']);
  });

  it('[PR4] a stopped process takes no step; SIGSTOP interrupts a wait and SIGCONT restarts it', () => {
    const { k, a, b } = holderAndWaiter();
    k.signal(b, 'SIGSTOP');
    expect(k.apply(b, { op: 'fstat', fd: 3 }).result).toEqual({ kind: 'not-runnable', state: 'stopped' });
    expect(kernelView(k.state).locks[0].waiters).toEqual([]);
    // The holder unlocks while B is stopped: B is not waiting, so nothing wakes.
    const unlock = k.apply(a, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start: 0n, len: 0n });
    expect(unlock.events.some((e) => e.type === 'woke')).toBe(false);
    const cont = k.signal(b, 'SIGCONT');
    expect(cont.events).toContainEqual({ type: 'woke', pid: b, result: { kind: 'ok' } });
  });

  it('[PR4] every change to who waits is a locks-changed event (kill, stop, a continue that waits again)', () => {
    const killed = holderAndWaiter();
    expect(killed.k.signal(killed.b, 'SIGKILL').events).toContainEqual({ type: 'locks-changed' });
    const { k, b } = holderAndWaiter();
    expect(k.signal(b, 'SIGSTOP').events).toContainEqual({ type: 'locks-changed' });
    // A still holds the lock: B waits again, and the wait-for graph shows it again.
    expect(k.signal(b, 'SIGCONT').events).toContainEqual({ type: 'locks-changed' });
    expect(kernelView(k.state).waitsFor).toHaveLength(1);
    // Stopped, B waits for nothing: killing it changes no wait.
    k.signal(b, 'SIGSTOP');
    expect(k.signal(b, 'SIGKILL').events).not.toContainEqual({ type: 'locks-changed' });
  });

  it('[PR5] the same calls give the same results and events', () => {
    const run = () => {
      const k = new Kernel({ pageSize: 64, file: new Uint8Array(100) });
      const a = k.spawn();
      return [
        k.apply(a, { op: 'open', mode: 'O_RDWR' }),
        k.apply(a, { op: 'mmap', len: 100n, prot: 3, flags: 'MAP_PRIVATE', fd: 3, off: 0n }),
        k.apply(a, { op: 'store', map: 1, index: 70, value: 1 }),
        k.apply(a, { op: 'load', map: 1, index: 200 }),
      ];
    };
    expect(run()).toEqual(run());
  });
});
