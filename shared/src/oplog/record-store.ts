import { byte, OK } from '../kernel/results.ts';
import type { Pid } from '../kernel/types.ts';
import { recordToJsonText } from './json.ts';
import type { LogRecord, OpRecord } from './types.ts';

/** Flags of a packed record: a load (else a store), and whether it has a time. */
const LOAD = 1;
const HAS_AT = 2;
/** A packed record: flags, pid, at, map, index, value. */
const WORDS = 6;

const isInt32 = (n: number): boolean => (n | 0) === n;

/** The bytes a record carries besides its fixed fields. */
function payloadOf(r: LogRecord): number {
  if (r.kind !== 'op') return 0;
  return (r.op.op === 'pwrite' ? r.op.data.length : 0) + (r.result.kind === 'bytes' ? r.result.data.length : 0);
}

/** A typed array twice as long, with the old one's contents. */
function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * A log's records, kept small. A record object costs about 200 bytes of
 * heap, and a lecture makes a thousand a second: in a few minutes the log
 * alone would pass the server's memory budget per student, and every full
 * collection would walk it. Nearly all of them are a student's plain load
 * or store (nothing woken, nothing refused), and those are kept as six
 * int32s; anything else keeps its object. `get` gives back a record equal
 * to the one pushed, its op's keys in the order toKernelOp gives them (the
 * order of the protocol's schemas, which every producer of ops follows).
 */
export class RecordStore {
  /** Per record: its index in `#packed`, or -1 - its index in `#objects`. */
  #slots = new Int32Array(256);
  #length = 0;
  #packed = new Int32Array(WORDS * 256);
  #packedCount = 0;
  #objects: LogRecord[] = [];
  /** Bytes the object records carry (a pwrite's data, a read's bytes): what makes a log big, not its count. */
  #payloadBytes = 0;
  /** The name a pid's packed records carry (a pid's records all name its one student), and as JSON for `jsonText`. */
  readonly #names = new Map<Pid, { name: string; json: string }>();

  get length(): number {
    return this.#length;
  }

  get payloadBytes(): number {
    return this.#payloadBytes;
  }

  push(record: LogRecord): void {
    if (this.#length === this.#slots.length) this.#slots = grown(this.#slots);
    const packed = this.#pack(record);
    if (packed >= 0) this.#slots[this.#length++] = packed;
    else {
      this.#slots[this.#length++] = -1 - this.#objects.length;
      this.#objects.push(record);
      this.#payloadBytes += payloadOf(record);
    }
  }

  get(i: number): LogRecord {
    const slot = this.#slot(i);
    if (slot < 0) return this.#objects[-1 - slot];
    const p = this.#packed;
    const o = slot * WORDS;
    const flags = p[o];
    const pid = p[o + 1];
    const name = this.#names.get(pid)!.name;
    const map = p[o + 3];
    const index = p[o + 4];
    const value = p[o + 5];
    // Keys in the order RecordedKernel and toKernelOp make them, so JSON text is unchanged.
    const op: OpRecord['op'] = flags & LOAD ? { op: 'load', map, index } : { op: 'store', map, index, value };
    const result = flags & LOAD ? byte(value) : OK;
    return flags & HAS_AT
      ? { seq: i, pid, name, woke: [], at: p[o + 2], kind: 'op', op, result }
      : { seq: i, pid, name, woke: [], kind: 'op', op, result };
  }

  /**
   * Record i as recordToJsonText writes it, character for character; a
   * packed one without making its objects (the room encodes every record).
   */
  jsonText(i: number): string {
    const slot = this.#slot(i);
    if (slot < 0) return recordToJsonText(this.#objects[-1 - slot]);
    const p = this.#packed;
    const o = slot * WORDS;
    const flags = p[o];
    const pid = p[o + 1];
    const head = `{"seq":${i},"pid":${pid},"name":${this.#names.get(pid)!.json},"woke":[],${flags & HAS_AT ? `"at":${p[o + 2]},` : ''}"kind":"op",`;
    return flags & LOAD
      ? `${head}"op":{"op":"load","map":${p[o + 3]},"index":${p[o + 4]}},"result":{"kind":"byte","value":${p[o + 5]}}}`
      : `${head}"op":{"op":"store","map":${p[o + 3]},"index":${p[o + 4]},"value":${p[o + 5]}},"result":{"kind":"ok"}}`;
  }

  /** Records `from` to the end, as objects. */
  slice(from = 0): LogRecord[] {
    const out: LogRecord[] = [];
    for (let i = Math.max(0, from); i < this.#length; i++) out.push(this.get(i));
    return out;
  }

  /** Keep the first `count` records; the rest are returned. */
  truncate(count: number): LogRecord[] {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`cannot keep ${count} records`);
    const removed = this.slice(count);
    for (const r of removed) this.#payloadBytes -= payloadOf(r);
    for (let i = count; i < this.#length; i++) {
      const slot = this.#slots[i];
      if (slot >= 0) this.#packedCount = Math.min(this.#packedCount, slot);
      else this.#objects.length = Math.min(this.#objects.length, -1 - slot);
    }
    this.#length = Math.min(this.#length, count);
    return removed;
  }

  /** Record i's slot (see `#slots`); a RangeError for an index with no record. */
  #slot(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.#length)) throw new RangeError(`no record ${i} in a log of ${this.#length}`);
    return this.#slots[i];
  }

  /** The record's index in `#packed`, or -1 when it has to stay an object. */
  #pack(r: LogRecord): number {
    if (r.kind !== 'op' || r.woke.length !== 0 || r.seq !== this.#length) return -1;
    const { op, result } = r;
    let flags: number;
    let value: number;
    if (op.op === 'load' && result.kind === 'byte' && byte(result.value) === result) {
      flags = LOAD;
      value = result.value;
    } else if (op.op === 'store' && result === OK) {
      flags = 0;
      value = op.value;
    } else return -1;
    const at = r.at;
    if (at !== undefined) flags |= HAS_AT;
    if (!isInt32(r.pid) || !isInt32(op.map) || !isInt32(op.index) || !isInt32(value) || (at !== undefined && !isInt32(at))) return -1;
    const known = this.#names.get(r.pid);
    if (known === undefined) this.#names.set(r.pid, { name: r.name, json: JSON.stringify(r.name) });
    else if (known.name !== r.name) return -1;
    if ((this.#packedCount + 1) * WORDS > this.#packed.length) this.#packed = grown(this.#packed);
    const o = this.#packedCount * WORDS;
    const p = this.#packed;
    p[o] = flags;
    p[o + 1] = r.pid;
    p[o + 2] = at ?? 0;
    p[o + 3] = op.map;
    p[o + 4] = op.index;
    p[o + 5] = value;
    return this.#packedCount++;
  }
}
