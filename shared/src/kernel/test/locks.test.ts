import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

const twoRw = `file zeros 100
A open O_RDWR
B open O_RDWR
`;

describe('6. Record locks (LK)', () => {
  it('[LK1] mode, negative start and overflow are checked; F_UNLCK needs no mode', () => {
    expect(sim(`file zeros 100
A open O_RDONLY
A lock 3 F_SETLK F_WRLCK 0 1
A lock 3 F_SETLK F_RDLCK 0xffffffffffffffff 1
A lock 3 F_SETLK F_RDLCK 0x7fffffffffffffff 2
A lock 3 F_SETLK F_UNLCK 0 0
A lock 4 F_SETLK F_UNLCK 0 0`)).toEqual(['fd 3', 'EBADF', 'EINVAL', 'EOVERFLOW', 'ok', 'EBADF']);
  });

  it('[LK1] length 0 reaches the largest offset and reads back as len=0', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_WRLCK 5 0
B getlk 3 F_RDLCK 1000000 1`)).toEqual(['fd 3', 'fd 3', 'ok', 'F_WRLCK pid=A start=5 len=0']);
  });

  it('[LK2] a process that takes its first lock goes to the end of the list; getlk shows the first conflict', () => {
    expect(sim(`file zeros 100
A open O_RDWR
B open O_RDWR
C open O_RDWR
B lock 3 F_SETLK F_RDLCK 50 10
A lock 3 F_SETLK F_RDLCK 0 10
C getlk 3 F_WRLCK 0 100`)).toEqual(['fd 3', 'fd 3', 'fd 3', 'ok', 'ok', 'F_RDLCK pid=B start=50 len=10']);
  });

  it('[LK3] adjacent locks of one type merge; unlocking the middle leaves two', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_WRLCK 0 10
A lock 3 F_SETLK F_WRLCK 10 10
B getlk 3 F_RDLCK 0 100
A lock 3 F_SETLK F_UNLCK 5 10
B getlk 3 F_RDLCK 0 100
B getlk 3 F_RDLCK 5 10`)).toEqual([
      'fd 3', 'fd 3', 'ok', 'ok', 'F_WRLCK pid=A start=0 len=20', 'ok', 'F_WRLCK pid=A start=0 len=5', 'F_UNLCK',
    ]);
  });

  it('[LK3] a read lock in the middle of a write lock splits it in three', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_WRLCK 0 30
A lock 3 F_SETLK F_RDLCK 10 10
B lock 3 F_SETLK F_RDLCK 10 10
B lock 3 F_SETLK F_RDLCK 20 1`)).toEqual(['fd 3', 'fd 3', 'ok', 'ok', 'ok', 'EAGAIN']);
  });

  it('[LK4] read locks share; a write lock conflicts with EAGAIN', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_RDLCK 0 10
B lock 3 F_SETLK F_RDLCK 5 10
B lock 3 F_SETLK F_WRLCK 9 1`)).toEqual(['fd 3', 'fd 3', 'ok', 'ok', 'EAGAIN']);
  });

  it('[LK5] F_SETLKW waits and wakes when the holder unlocks', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_WRLCK 0 10
B lock 3 F_SETLKW F_WRLCK 5 1
A lock 3 F_SETLK F_UNLCK 0 10`)).toEqual(['fd 3', 'fd 3', 'ok', 'blocked', 'ok', 'B wakes -> ok']);
  });

  it('[LK5] a request that conflicts with a waiter waits under it, and wakes only when that waiter is done', () => {
    expect(sim(`file zeros 100
A open O_RDWR
B open O_RDWR
C open O_RDWR
A lock 3 F_SETLK F_WRLCK 0 10
B lock 3 F_SETLKW F_WRLCK 0 5
C lock 3 F_SETLKW F_WRLCK 3 1
A lock 3 F_SETLK F_UNLCK 0 10
B lock 3 F_SETLK F_UNLCK 0 5`)).toEqual([
      'fd 3', 'fd 3', 'fd 3', 'ok', 'blocked', 'blocked', 'ok', 'B wakes -> ok', 'ok', 'C wakes -> ok',
    ]);
  });

  it('[LK6] the second F_SETLKW of a cycle gets EDEADLK', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_WRLCK 0 10
B lock 3 F_SETLK F_WRLCK 10 10
A lock 3 F_SETLKW F_WRLCK 10 10
B lock 3 F_SETLKW F_WRLCK 0 10`)).toEqual(['fd 3', 'fd 3', 'ok', 'ok', 'blocked', 'EDEADLK']);
  });

  it('[LK6] the chain runs through every waiting owner: a three-process cycle is seen', () => {
    const lines = sim(`file zeros 100
A open O_RDWR
B open O_RDWR
C open O_RDWR
A lock 3 F_SETLK F_WRLCK 0 10
B lock 3 F_SETLK F_WRLCK 20 10
C lock 3 F_SETLK F_WRLCK 40 10
A lock 3 F_SETLKW F_WRLCK 20 10
B lock 3 F_SETLKW F_WRLCK 40 10
C lock 3 F_SETLKW F_WRLCK 0 10`);
    expect(lines.slice(6)).toEqual(['blocked', 'blocked', 'EDEADLK']);
  });

  it('[LK6] a cycle through a lock that is not the first conflict is not seen; it fails later as wakes -> EDEADLK', () => {
    expect(sim(`file zeros 100
A open O_RDWR
B open O_RDWR
C open O_RDWR
C lock 3 F_SETLK F_WRLCK 0 10
B lock 3 F_SETLK F_WRLCK 10 10
A lock 3 F_SETLK F_WRLCK 20 10
B lock 3 F_SETLKW F_WRLCK 20 10
A lock 3 F_SETLKW F_WRLCK 0 20
C lock 3 F_SETLK F_UNLCK 0 10`).slice(6)).toEqual(['blocked', 'blocked', 'ok', 'A wakes -> EDEADLK']);
  });

  it('[LK7] a downgrade wakes read waiters', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_WRLCK 0 10
B lock 3 F_SETLKW F_RDLCK 0 10
A lock 3 F_SETLK F_RDLCK 0 10`)).toEqual(['fd 3', 'fd 3', 'ok', 'blocked', 'ok', 'B wakes -> ok']);
  });

  it('[LK7] a woken waiter that still conflicts waits again without a line', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_WRLCK 0 20
B lock 3 F_SETLKW F_WRLCK 0 20
A lock 3 F_SETLK F_UNLCK 0 5
A lock 3 F_SETLK F_UNLCK 0 20`)).toEqual(['fd 3', 'fd 3', 'ok', 'blocked', 'ok', 'ok', 'B wakes -> ok']);
  });

  it('[LK7] woken requests run again in wake order (the holder\'s list order), and their lines print in block order', () => {
    expect(sim(`file zeros 100
A open O_RDWR
A lock 3 F_SETLK F_WRLCK 0 10
A lock 3 F_SETLK F_WRLCK 50 10
P open O_RDWR
P lock 3 F_SETLKW F_RDLCK 50 10
Q open O_RDWR
Q lock 3 F_SETLKW F_RDLCK 0 10
A lock 3 F_SETLK F_UNLCK 0 0
A getlk 3 F_WRLCK 0 0`).slice(7)).toEqual(['ok', 'P wakes -> ok', 'Q wakes -> ok', 'F_RDLCK pid=Q start=0 len=10']);
  });

  it('[LK8] closing any descriptor releases every lock; locks never stop stores', () => {
    expect(sim(`${twoRw}A open O_RDONLY
A lock 3 F_SETLK F_WRLCK 0 10
B mmap 100 PROT_READ|PROT_WRITE MAP_SHARED 3 0
B store m1 0 'w'
A close 4
B getlk 3 F_WRLCK 0 10`)).toEqual(['fd 3', 'fd 3', 'fd 4', 'ok', 'map m1', 'ok', 'ok', 'F_UNLCK']);
  });

  it('[LK9] a process never conflicts with itself; the lowest-starting lock of a holder is reported', () => {
    expect(sim(`${twoRw}A lock 3 F_SETLK F_WRLCK 50 10
A lock 3 F_SETLK F_WRLCK 10 10
A getlk 3 F_WRLCK 0 100
B getlk 3 F_WRLCK 0 100`)).toEqual(['fd 3', 'fd 3', 'ok', 'ok', 'F_UNLCK', 'F_WRLCK pid=A start=10 len=10']);
  });
});
