import type { Pid } from '../kernel/types.ts';
import type { OpLog } from '../oplog/types.ts';

/** A student as results name them: by display name (it survives a respawn), with every pid they had. */
export interface StudentRef {
  name: string;
  pids: Pid[];
}

/** Who each pid belongs to, from the log's records. */
export class Students {
  readonly #names = new Map<Pid, string>();
  readonly #byName = new Map<string, StudentRef>();

  constructor(log: OpLog) {
    for (const r of log.records) this.#add(r.pid, r.name);
  }

  #add(pid: Pid, name: string): void {
    if (this.#names.has(pid)) return;
    this.#names.set(pid, name);
    let ref = this.#byName.get(name);
    if (ref === undefined) this.#byName.set(name, (ref = { name, pids: [] }));
    ref.pids.push(pid);
  }

  /** The display name of a pid (`pid 7` for one the log never named). */
  name(pid: Pid): string {
    return this.#names.get(pid) ?? `pid ${pid}`;
  }

  ref(name: string): StudentRef {
    return this.#byName.get(name) ?? { name, pids: [] };
  }

  /** Every student in the order they first appear in the log. */
  all(): StudentRef[] {
    return [...this.#byName.values()];
  }
}
