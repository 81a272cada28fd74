/**
 * pnpm bench:kernel — figures for the kernel's speed targets (issue 2):
 * loads/stores per second through a mapping, lock/unlock per second with
 * 1,000 locks held by 100 processes, and a 500-process view snapshot.
 * It prints figures, not a verdict: these machines are shared and noisy.
 */
import { Kernel, kernelView, type Pid } from '@mmap-lab/shared';

/**
 * Best of several rounds, each timed by this process's own CPU time: on a
 * shared machine, time spent waiting for a core is not the kernel's cost, and
 * the least disturbed round is the fastest. BENCH_CLOCK=wall uses wall time.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WALL = process.env.BENCH_CLOCK === 'wall';

function now(): number {
  if (WALL) return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = now();
    value = fn();
    best = Math.min(best, now() - t0);
  }
  return { ms: best, value };
}

function loadsStores(): number {
  const k = new Kernel({ pageSize: 4096, file: new Uint8Array(65536) });
  const pid = k.spawn();
  k.apply(pid, { op: 'open', mode: 'O_RDWR' });
  k.apply(pid, { op: 'mmap', len: 65536n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
  const N = 2_000_000;
  const run = () => {
    let sum = 0;
    for (let i = 0; i < N; i++) {
      const index = (i * 7919) & 65535;
      if (i & 1) k.apply(pid, { op: 'store', map: 1, index, value: i & 255 });
      else {
        const r = k.apply(pid, { op: 'load', map: 1, index }).result;
        if (r.kind === 'byte') sum += r.value;
      }
    }
    return sum;
  };
  run(); // warm up the JIT
  return N / (time(run).ms / 1000);
}

function lockOps(): number {
  const k = new Kernel({ pageSize: 4096, file: new Uint8Array(4096) });
  const pids: Pid[] = [];
  for (let i = 0; i < 100; i++) {
    const pid = k.spawn();
    pids.push(pid);
    k.apply(pid, { op: 'open', mode: 'O_RDWR' });
    // Ten separate ranges each, with gaps so that nothing merges: 1,000 locks in the list.
    for (let j = 0; j < 10; j++) {
      k.apply(pid, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: BigInt((i * 10 + j) * 10), len: 5n });
    }
  }
  if (k.state.locks.count !== 1000) throw new Error(`expected 1000 locks, have ${k.state.locks.count}`);
  const N = 200_000;
  const run = () => {
    for (let i = 0; i < N; i += 2) {
      // Each process locks and unlocks a free byte among its own ranges: a full walk of the list each time.
      const pid = pids[i % 100];
      const start = BigInt(((i % 100) * 10 + (i % 10)) * 10 + 7);
      k.apply(pid, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start, len: 1n });
      k.apply(pid, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_UNLCK', start, len: 1n });
    }
  };
  run();
  if (k.state.locks.count !== 1000) throw new Error(`lock count drifted to ${k.state.locks.count}`);
  return N / (time(run).ms / 1000);
}

function snapshot500(): number {
  const k = new Kernel({ pageSize: 64, file: new Uint8Array(4096) });
  for (let i = 0; i < 500; i++) {
    const pid = k.spawn();
    k.apply(pid, { op: 'open', mode: 'O_RDWR' });
    k.apply(pid, { op: 'mmap', len: 4096n, prot: 3, flags: i % 2 ? 'MAP_SHARED' : 'MAP_PRIVATE', fd: 3, off: 0n });
    k.apply(pid, { op: 'store', map: 1, index: i % 4096, value: 1 });
    k.apply(pid, { op: 'lock', fd: 3, cmd: 'F_SETLK', type: 'F_RDLCK', start: BigInt(i * 4), len: 2n });
  }
  for (let i = 0; i < 20; i++) kernelView(k.state); // warm up
  const { ms, value } = time(() => kernelView(k.state).processes.length);
  if (value !== 500) throw new Error('snapshot lost processes');
  return ms;
}

const loads_stores_per_s = Math.round(loadsStores());
console.log(`loads+stores through a mapping: ${(loads_stores_per_s / 1e6).toFixed(1)} M/s (target >= 10 M/s)`);
const lock_ops_per_s = Math.round(lockOps());
console.log(`lock/unlock with 1,000 locks held by 100 processes: ${Math.round(lock_ops_per_s / 1000)} k/s (target >= 300 k/s)`);
const snapshot_500_ms = Number(snapshot500().toFixed(3));
console.log(`view snapshot of 500 processes: ${snapshot_500_ms} ms (target < 5 ms)`);
console.log(`(${WALL ? 'wall' : 'CPU'} time, best of ${ROUNDS} rounds; load average ${(await import('node:os')).loadavg()[0].toFixed(2)})`);
console.log(JSON.stringify({ loads_stores_per_s, lock_ops_per_s, snapshot_500_ms }));
