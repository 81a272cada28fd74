import {
  DEFAULT_PAGE_SIZE, isPageSize, LOCK_CMDS, LOCK_TYPES, MAP_FLAGS, OPEN_MODES,
  PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE,
} from '../kernel/constants.ts';
import type { Op } from '../kernel/types.ts';
import { tokenize, type Token } from './lexer.ts';
import { MalformedTrace, type Trace, type TraceStep } from './types.ts';

const U64_LIMIT = 1n << 64n;
const PROTS: Record<string, number> = { PROT_READ, PROT_WRITE, PROT_EXEC };
const PROC_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** The largest file a trace may start with: a header, not a way to exhaust memory. */
const MAX_HEADER_FILE = 1 << 24;

/** Reads the arguments of one statement, naming the line in every complaint. */
class Args {
  #i = 0;
  constructor(private readonly tokens: Token[], private readonly line: number, private readonly what: string) {}

  fail(message: string): never {
    throw new MalformedTrace(this.line, `${this.what}: ${message}`);
  }

  #next(expected: string): Token {
    const t = this.tokens[this.#i++];
    if (t === undefined) this.fail(`missing ${expected}`);
    return t;
  }

  word(expected: string): string {
    const t = this.#next(expected);
    if (t.kind !== 'word') this.fail(`expected ${expected}`);
    return t.text;
  }

  /** Decimal or hex, 0 to 2^64-1; negative decimal only where allowed. */
  number(expected: string, allowNegative = false): bigint {
    const text = this.word(expected);
    let value: bigint;
    if (/^0[xX][0-9a-fA-F]+$/.test(text) || /^[0-9]+$/.test(text)) value = BigInt(text);
    else if (allowNegative && /^-[0-9]+$/.test(text)) value = BigInt(text);
    else this.fail(`expected ${expected}, a number, not ${JSON.stringify(text)}`);
    if (value >= U64_LIMIT || value <= -U64_LIMIT) this.fail(`${expected} does not fit in 64 bits`);
    return value;
  }

  /** A small number (descriptor, count) as a JS number. */
  small(expected: string): number {
    const v = this.number(expected);
    return v > 0x7fffffffn ? 0x7fffffff : Number(v);
  }

  index(): number {
    const v = this.number('index', true);
    const cap = BigInt(Number.MAX_SAFE_INTEGER);
    return Number(v > cap ? cap : v < -cap ? -cap : v);
  }

  oneOf<T extends string>(options: readonly T[], expected: string): T {
    const w = this.word(expected);
    if (!(options as readonly string[]).includes(w)) this.fail(`expected ${options.join(' or ')}, not ${JSON.stringify(w)}`);
    return w as T;
  }

  map(): number {
    const w = this.word('a mapping m<k>');
    if (!/^m[1-9][0-9]*$/.test(w)) this.fail(`expected a mapping like m1, not ${JSON.stringify(w)}`);
    return Number(w.slice(1));
  }

  prot(): number {
    const w = this.word('a protection');
    if (w === 'PROT_NONE') return PROT_NONE;
    let mask = 0;
    for (const part of w.split('|')) {
      const bit = PROTS[part];
      if (bit === undefined) this.fail(`bad protection ${JSON.stringify(w)}`);
      mask |= bit;
    }
    return mask;
  }

  byte(): number {
    const t = this.#next('a byte');
    if (t.kind === 'char') return t.byte;
    if (t.kind === 'word' && /^0[xX][0-9a-fA-F]{1,2}$/.test(t.text)) return parseInt(t.text, 16);
    this.fail("expected a byte like 0x41 or 'A'");
  }

  string(): Uint8Array {
    const t = this.#next('a string');
    if (t.kind !== 'string') this.fail('expected a double-quoted string');
    return t.bytes;
  }

  end(): void {
    if (this.#i < this.tokens.length) this.fail('too many arguments');
  }
}

function parseOp(name: string, a: Args): Op {
  switch (name) {
    case 'open': return { op: 'open', mode: a.oneOf(OPEN_MODES, 'an open mode') };
    case 'close': return { op: 'close', fd: a.small('fd') };
    case 'mmap': return { op: 'mmap', len: a.number('length'), prot: a.prot(), flags: a.oneOf(MAP_FLAGS, 'MAP_SHARED or MAP_PRIVATE'), fd: a.small('fd'), off: a.number('offset') };
    case 'munmap': return { op: 'munmap', map: a.map(), off: a.number('offset'), len: a.number('length') };
    case 'mprotect': return { op: 'mprotect', map: a.map(), off: a.number('offset'), len: a.number('length'), prot: a.prot() };
    case 'load': return { op: 'load', map: a.map(), index: a.index() };
    case 'store': return { op: 'store', map: a.map(), index: a.index(), value: a.byte() };
    case 'msync': return { op: 'msync', map: a.map() };
    case 'pread': return { op: 'pread', fd: a.small('fd'), off: a.number('offset'), count: a.number('count') };
    case 'pwrite': return { op: 'pwrite', fd: a.small('fd'), off: a.number('offset'), data: a.string() };
    case 'ftruncate': return { op: 'ftruncate', fd: a.small('fd'), len: a.number('length') };
    case 'fstat': return { op: 'fstat', fd: a.small('fd') };
    case 'lock': return { op: 'lock', fd: a.small('fd'), cmd: a.oneOf(LOCK_CMDS, 'F_SETLK or F_SETLKW'), type: a.oneOf(LOCK_TYPES, 'a lock type'), start: a.number('start'), len: a.number('length') };
    case 'getlk': return { op: 'getlk', fd: a.small('fd'), type: a.oneOf(['F_RDLCK', 'F_WRLCK'] as const, 'F_RDLCK or F_WRLCK'), start: a.number('start'), len: a.number('length') };
    case 'exit': return { op: 'exit' };
    default: return a.fail(`unknown operation ${JSON.stringify(name)}`);
  }
}

function fileBytes(a: Args): Uint8Array {
  const kind = a.oneOf(['text', 'zeros', 'pattern'] as const, 'text, zeros or pattern');
  if (kind === 'text') return a.string();
  const n = a.number('a size');
  if (n > BigInt(MAX_HEADER_FILE)) a.fail(`an initial file is at most ${MAX_HEADER_FILE} bytes`);
  const bytes = new Uint8Array(Number(n));
  if (kind === 'pattern') for (let i = 0; i < bytes.length; i++) bytes[i] = 97 + (i % 26);
  return bytes;
}

/** Parse a trace, or throw MalformedTrace naming the first bad line. */
export function parseTrace(text: string): Trace {
  let file: Uint8Array | undefined;
  let pageSize: number | undefined;
  const steps: TraceStep[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const tokens = tokenize(raw, line);
    if (tokens.length === 0) return;
    const head = tokens[0];
    if (head.kind !== 'word') throw new MalformedTrace(line, 'a statement starts with a word');
    if (head.text === 'file' || head.text === 'page') {
      const a = new Args(tokens.slice(1), line, head.text);
      if (steps.length > 0) a.fail('the header comes before the first step');
      if (head.text === 'file') {
        if (file !== undefined) a.fail('only one file statement is allowed');
        file = fileBytes(a);
      } else {
        if (pageSize !== undefined) a.fail('only one page statement is allowed');
        const n = a.number('a page size');
        if (!isPageSize(Number(n))) a.fail('the page size is a power of two from 16 to 65536');
        pageSize = Number(n);
      }
      a.end();
      return;
    }
    if (!PROC_NAME.test(head.text)) throw new MalformedTrace(line, `bad process name ${JSON.stringify(head.text)}`);
    if (file === undefined) throw new MalformedTrace(line, 'a file statement must come before the first step');
    const opName = tokens[1];
    if (opName === undefined || opName.kind !== 'word') throw new MalformedTrace(line, 'missing operation');
    const a = new Args(tokens.slice(2), line, opName.text);
    const op = parseOp(opName.text, a);
    a.end();
    steps.push({ line, proc: head.text, op });
  });
  if (file === undefined) throw new MalformedTrace(text.split('\n').length, 'a trace needs a file statement');
  return { pageSize: pageSize ?? DEFAULT_PAGE_SIZE, file, steps };
}
