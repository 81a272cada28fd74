import { PROT_READ, PROT_WRITE, type MapFlags, type OpenMode } from '../../kernel/constants.ts';
import type { Op, Pid, Result } from '../../kernel/types.ts';
import { RecordedKernel } from '../../oplog/recorded-kernel.ts';

/** A room for tests: students by name acting on a recorded kernel, as the server will. */
export class TestRoom {
  readonly rk: RecordedKernel;
  #now = 0;

  constructor(file: Uint8Array, pageSize = 16, timed = false) {
    this.rk = new RecordedKernel({ file, pageSize, clock: timed ? () => (this.#now += 100) : undefined });
  }

  get log() {
    return this.rk.log;
  }

  join(name: string): TestStudent {
    return new TestStudent(this, name, this.rk.spawn());
  }
}

export class TestStudent {
  constructor(readonly room: TestRoom, readonly name: string, public pid: Pid) {}

  do(op: Op): Result {
    return this.room.rk.apply(this.pid, this.name, op).record.result;
  }

  /** open O_RDWR and map the first `len` bytes. */
  map(flags: MapFlags = 'MAP_SHARED', len = 16, mode: OpenMode = 'O_RDWR', prot = PROT_READ | PROT_WRITE): Result {
    this.do({ op: 'open', mode });
    return this.do({ op: 'mmap', len: BigInt(len), prot, flags, fd: 3, off: 0n });
  }

  load(index: number, map = 1): number {
    const r = this.do({ op: 'load', map, index });
    return r.kind === 'byte' ? r.value : -1;
  }

  store(index: number, value: number, map = 1): Result {
    return this.do({ op: 'store', map, index, value });
  }

  lock(start: number, len = 1, type: 'F_WRLCK' | 'F_RDLCK' | 'F_UNLCK' = 'F_WRLCK', cmd: 'F_SETLK' | 'F_SETLKW' = 'F_SETLKW'): Result {
    return this.do({ op: 'lock', fd: 3, cmd, type, start: BigInt(start), len: BigInt(len) });
  }

  unlock(start: number, len = 1): Result {
    return this.lock(start, len, 'F_UNLCK', 'F_SETLK');
  }

  respawn(): void {
    this.pid = this.room.rk.spawn();
  }
}
