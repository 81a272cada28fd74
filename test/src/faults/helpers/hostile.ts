import { randomBytes } from 'node:crypto';
import { CLIENT_EVENT_NAMES, isClientEventName } from '@mmap-lab/shared/protocol/events.ts';
import type { ErrorCode } from '@mmap-lab/shared/protocol/ack.ts';
import { ROOM_CODE_ALPHABET } from '@mmap-lab/shared/protocol/room-code.ts';
import type { Random } from '../../conformance/fuzz/random.ts';

/**
 * A seeded generator of hostile Socket.IO messages. Each message says how it
 * goes out (an ordinary emit, or a hand-made packet for what the client
 * library would never send: -0, 1e999, deep nesting, bad attachments) and
 * what a correct server must do with it.
 */

/** What the server must do with a message. */
export type Expectation =
  /** Refuse it: an acknowledgement with ok false and one of these codes. */
  | { kind: 'error'; codes: readonly ErrorCode[] }
  /** The shape is valid (or the value is odd but legal): any well-formed answer, never INTERNAL. */
  | { kind: 'answer' }
  /** No acknowledgement was asked for: nothing comes back. */
  | { kind: 'silent' }
  /** A packet Socket.IO itself cannot accept (or over the frame cap): the connection is cut. */
  | { kind: 'disconnect' };

export type Sending =
  | { how: 'emit'; event: string; args: unknown[]; ack: boolean }
  /** A Socket.IO packet as text; `{ID}` is replaced with the ack id; attachments follow as binary frames. */
  | { how: 'raw'; text: string; attachments?: Uint8Array[]; ack: boolean };

export interface Hostile {
  category: string;
  send: Sending;
  expect: Expectation;
}

/** What a hostile socket knows about the world (it may aim at other rooms). */
export interface Aim {
  role: 'stranger' | 'student' | 'teacher';
  /** Its own pid in the fuzz room, when it is a student there. */
  pid?: number;
  fuzzCode: string;
  /** Rooms in use by others, locked to newcomers. */
  otherCodes: string[];
  /** Pids of processes in those rooms (the same numbers may be pids of the fuzz room too). */
  otherPids: number[];
}

type Kind =
  | 'uint' | 'uint1' | 'offset' | 'viewLength' | 'index' | 'byte' | 'int64' | 'bool' | 'code' | 'name' | 'secret' | 'bytes'
  | 'pageSize' | 'template' | 'text' | `enum:${string}`;

interface FieldSpec {
  kind: Kind;
  optional?: boolean;
}

const OPEN = 'enum:O_RDONLY|O_WRONLY|O_RDWR';
const FLAGS = 'enum:MAP_SHARED|MAP_PRIVATE';
const CMD = 'enum:F_SETLK|F_SETLKW';
const LTYPE = 'enum:F_RDLCK|F_WRLCK|F_UNLCK';
const GTYPE = 'enum:F_RDLCK|F_WRLCK';
const pid: FieldSpec = { kind: 'uint1', optional: true };

/** The payload fields of the events we know; events added later get junk payloads only. */
const FIELDS: Record<string, Record<string, FieldSpec>> = {
  'student:join': { code: { kind: 'code' }, name: { kind: 'name' } },
  'student:resume': { code: { kind: 'code' }, token: { kind: 'secret' } },
  'student:respawn': {},
  'view:memory': { map: { kind: 'uint1' }, offset: { kind: 'offset', optional: true }, length: { kind: 'viewLength', optional: true } },
  'teacher:attach': { code: { kind: 'code' }, credential: { kind: 'secret' } },
  'teacher:lock-joins': { locked: { kind: 'bool' } },
  'teacher:kill': { pid: { kind: 'uint1' } },
  'teacher:stop-all': {},
  'teacher:continue-all': {},
  'teacher:reboot': { pageSize: { kind: 'pageSize' }, template: { kind: 'template', optional: true }, text: { kind: 'text', optional: true } },
  'teacher:close': {},
  'op:open': { pid, mode: { kind: OPEN } },
  'op:close': { pid, fd: { kind: 'uint' } },
  'op:mmap': { pid, len: { kind: 'int64' }, prot: { kind: 'uint' }, flags: { kind: FLAGS }, fd: { kind: 'uint' }, off: { kind: 'int64' } },
  'op:munmap': { pid, map: { kind: 'uint1' }, off: { kind: 'int64' }, len: { kind: 'int64' } },
  'op:mprotect': { pid, map: { kind: 'uint1' }, off: { kind: 'int64' }, len: { kind: 'int64' }, prot: { kind: 'uint' } },
  'op:load': { pid, map: { kind: 'uint1' }, index: { kind: 'index' } },
  'op:store': { pid, map: { kind: 'uint1' }, index: { kind: 'index' }, value: { kind: 'byte' } },
  'op:msync': { pid, map: { kind: 'uint1' } },
  'op:pread': { pid, fd: { kind: 'uint' }, off: { kind: 'int64' }, count: { kind: 'int64' } },
  'op:pwrite': { pid, fd: { kind: 'uint' }, off: { kind: 'int64' }, data: { kind: 'bytes' } },
  'op:ftruncate': { pid, fd: { kind: 'uint' }, len: { kind: 'int64' } },
  'op:fstat': { pid, fd: { kind: 'uint' } },
  'op:lock': { pid, fd: { kind: 'uint' }, cmd: { kind: CMD }, type: { kind: LTYPE }, start: { kind: 'int64' }, len: { kind: 'int64' } },
  'op:getlk': { pid, fd: { kind: 'uint' }, type: { kind: GTYPE }, start: { kind: 'int64' }, len: { kind: 'int64' } },
  'op:exit': { pid },
};

const U31 = 0x7fffffff;
const SAFE = Number.MAX_SAFE_INTEGER;
const WRONG_TYPES: unknown[] = [true, false, {}, [], [1], { $ne: null }, { toString: 'x' }, null];

/** Values of the wrong JSON type for a kind (an array is bytes, a boolean is a bool). */
function wrongTypesFor(kind: Kind): unknown[] {
  return WRONG_TYPES.filter((v) => !(kind === 'bytes' && Array.isArray(v)) && !(kind === 'bool' && typeof v === 'boolean'));
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

function randomCode(r: Random): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += r.pick([...ROOM_CODE_ALPHABET]);
  return code;
}

/** Values of a kind the schema refuses. */
function invalidValues(kind: Kind, r: Random): unknown[] {
  switch (kind) {
    case 'uint': return [-1, 1.5, U31 + 1, 2 ** 53, 2 ** 64, 1e300, -1e300, '1', NaN, Infinity, -Infinity];
    case 'uint1': return [0, -1, 1.5, U31 + 1, 2 ** 53, 2 ** 64, '1', NaN, Infinity];
    case 'offset': return [-1, 1.5, 2 ** 53, 2 ** 64, '1', NaN, Infinity, -Infinity];
    case 'viewLength': return [-1, 65_537, 1.5, 2 ** 53, '1', NaN, Infinity];
    case 'index': return [1.5, -0.5, 2 ** 53, -(2 ** 53), 2 ** 64, 1e300, '0', NaN, Infinity];
    case 'byte': return [256, -1, 1.5, 1e9, '1', NaN, 'A'];
    case 'int64': return [
      1.5, '1.5', '0x10', '1e3', ' 1', '', '+1', '18446744073709551616', '-18446744073709551616', '123456789012345678901',
      2 ** 64, 1e300, NaN, Infinity, '١٢٣',
    ];
    case 'bool': return ['true', 1, 0, 'false'];
    case 'code': return [123456, '', 'x', '000000', 'OOOOOO', '!!!!!!', 'ABCDEFGHJKMNPQRST', 'ABC\u0000EF', 'ABCDEF'.repeat(3)];
    case 'name': return ['', '   ', 'x'.repeat(25), 'x'.repeat(201), 'a\u0000b', 'a\u202eb', 'a\u200bb', '\u0007', 123];
    case 'secret': return ['short', 'a'.repeat(129), 'has spaces in it, twenty+', '../../etc/passwd/../../x', 'é'.repeat(43), 123];
    case 'bytes': return ['zz', 'abc', '0g', [256], [-1], [1.5], ['a'], [null], 123];
    case 'pageSize': return [32, 0, 8, '16', 65536 * 2, 1.5];
    case 'template': return ['custom', 'nope', 1, ''];
    case 'text': return [123, ['a'], 'x'.repeat(65_537)];
    default: {
      const options = kind.slice(5).split('|');
      return ['', options[0].toLowerCase(), `${options[0]}|${options[options.length - 1]}`, 'F_GETLK', 0, ` ${options[0]}`, r.pick(options) + '\u0000'];
    }
  }
}

/** Legal but extreme values of a kind: the server must cope, and answer. */
function extremeValues(kind: Kind, r: Random, aim: Aim): unknown[] {
  switch (kind) {
    case 'uint': return [0, U31, -0, 1 << 20];
    case 'uint1': return [1, U31, 2 ** 20];
    case 'offset': return [0, -0, U31 + 1, SAFE];
    case 'viewLength': return [0, -0, 65_536];
    case 'index': return [-1, -SAFE, SAFE, U31, -0, -(2 ** 31)];
    case 'byte': return [0, 255, -0];
    case 'int64': return [
      '18446744073709551615', '-18446744073709551615', '9223372036854775807', '-9223372036854775808',
      SAFE, -SAFE, -1, 0, '00000000000000000001', '-0',
    ];
    case 'bool': return [true, false];
    case 'code': {
      // Codes as people type them; a stranger's go to a locked room, so it never joins by accident.
      const code = aim.role === 'stranger' ? aim.otherCodes[0] : aim.fuzzCode;
      return [code.toLowerCase(), `${code.slice(0, 3)}-${code.slice(3)}`, ` ${code} `];
    }
    case 'name': return ['x'.repeat(24), '  a   b  ', 'Ada', '<script>alert(1)</script>'.slice(0, 24), '=cmd|/c calc!A1', '🦀'.repeat(12)];
    case 'secret': return [secret(), 'A'.repeat(128), 'a'.repeat(16)];
    case 'bytes': return ['', [], 'ff'.repeat(r.int(1, 64)), Array.from({ length: r.int(1, 64) }, () => r.int(0, 255))];
    case 'pageSize': return [16, 64, 256, 4096];
    case 'template': return ['counter', 'blank', 'seat-map'];
    case 'text': return ['', 'x'.repeat(65_536)];
    default: return kind.slice(5).split('|');
  }
}

/** A valid payload for a known event, aimed at the fuzz room (or at the socket's own process). */
function validPayload(event: string, r: Random, aim: Aim): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(FIELDS[event])) {
    if (spec.optional && field !== 'template') {
      if (field === 'pid' && aim.pid !== undefined && r.chance(0.3)) out.pid = aim.pid;
      continue;
    }
    if (spec.optional) continue;
    switch (spec.kind) {
      // A stranger stays one: its valid-looking joins go to a room that does not exist.
      case 'code': out[field] = aim.role === 'stranger' && event === 'student:join' ? 'ZZZZZZ' : aim.fuzzCode; break;
      case 'name': out[field] = `fz${r.int(0, 99_999)}`; break;
      case 'secret': out[field] = secret(); break;
      case 'uint': out[field] = r.int(0, 6); break;
      case 'uint1': out[field] = r.int(1, 4); break;
      case 'index': out[field] = r.int(-4, 80); break;
      case 'byte': out[field] = r.int(0, 255); break;
      case 'int64': out[field] = r.pick([0, 16, 64, 4096, '16']); break;
      case 'bool': out[field] = r.chance(0.5); break;
      case 'bytes': out[field] = 'ab'; break;
      case 'pageSize': out[field] = 16; break;
      default: out[field] = r.pick(extremeValues(spec.kind, r, aim));
    }
  }
  return out;
}

/** A payload that passes validation may still be refused for who sends it: any clear answer will do. */
const validAnswer: Expectation = { kind: 'answer' };

const invalid: Expectation = { kind: 'error', codes: ['INVALID_PAYLOAD'] };

/** Events whose valid form would spoil the run itself (a hostile teacher closing the fuzz room). */
function allowedValid(event: string, aim: Aim): boolean {
  return !(aim.role === 'teacher' && (event === 'teacher:close' || event === 'teacher:reboot'));
}

function knownEvent(r: Random, aim: Aim): string {
  for (;;) {
    const event = r.pick(Object.keys(FIELDS));
    if (isClientEventName(event) && allowedValid(event, aim)) return event;
  }
}

function emit(event: string, payload: unknown, ack = true, extra: unknown[] = []): Sending {
  return { how: 'emit', event, args: [payload, ...extra], ack };
}

function deep(depth: number, leaf: string, object: boolean): string {
  return object ? '{"a":'.repeat(depth) + leaf + '}'.repeat(depth) : '['.repeat(depth) + leaf + ']'.repeat(depth);
}

type Generator = (r: Random, aim: Aim) => Hostile;

const GENERATORS: Record<string, [number, Generator]> = {
  'unknown-event': [8, (r) => {
    const names = [
      'op:mremap', 'op:', 'OP:STORE', 'op:store ', 'student:join\u0000', 'admin', '__proto__', 'constructor', 'hasOwnProperty',
      'toString', 'teacher:*', '*', '', 'x'.repeat(r.int(100, 20_000)), `op:${'store'.repeat(r.int(2, 50))}`, String.fromCharCode(r.int(0, 0xffff)).repeat(r.int(1, 9)),
    ];
    let event = r.pick(names);
    if (isClientEventName(event)) event += '!';
    return { category: 'unknown-event', send: emit(event, r.chance(0.5) ? {} : validPayload('op:store', r, { ...aimless })), expect: { kind: 'error', codes: ['UNKNOWN_EVENT'] } };
  }],
  'wrong-type': [20, (r, aim) => {
    const event = knownEvent(r, aim);
    const payload = validPayload(event, r, aim);
    const fields = Object.entries(FIELDS[event]);
    if (fields.length === 0 || r.chance(0.15)) {
      // The payload itself of the wrong type (null and undefined read as {} and are valid for empty requests).
      const whole = r.pick<unknown>(['m1[0] = 1', 42, [payload], true]);
      return { category: 'wrong-type', send: emit(event, whole), expect: invalid };
    }
    const [field, spec] = r.pick(fields);
    payload[field] = r.chance(0.5) ? r.pick(wrongTypesFor(spec.kind)) : r.pick(invalidValues(spec.kind, r));
    return { category: 'wrong-type', send: emit(event, payload), expect: invalid };
  }],
  'missing-field': [8, (r, aim) => {
    const event = knownEvent(r, aim);
    const required = Object.entries(FIELDS[event]).filter(([, s]) => !s.optional);
    if (required.length === 0) return GENERATORS['wrong-type'][1](r, aim);
    const payload = validPayload(event, r, aim);
    for (const [field] of required) if (r.chance(0.6)) delete payload[field];
    delete payload[r.pick(required)[0]];
    return { category: 'missing-field', send: emit(event, payload), expect: invalid };
  }],
  'extra-fields': [6, (r, aim) => {
    const event = knownEvent(r, aim);
    const payload: Record<string, unknown> = validPayload(event, r, aim);
    const extras: [string, unknown][] = [
      ['__proto__', { admin: true }], ['constructor', { prototype: { isTeacher: true } }], ['credential', secret()],
      ['role', 'teacher'], ['pid2', 1], ['k'.repeat(r.int(1, 5000)), 'v'], ['nested', { a: [1, { b: 2 }] }],
    ];
    for (const [k, v] of extras) if (r.chance(0.4)) Object.defineProperty(payload, k, { value: v, enumerable: true, configurable: true, writable: true });
    return { category: 'extra-fields', send: emit(event, payload), expect: validAnswer };
  }],
  'out-of-range': [14, (r, aim) => {
    const event = knownEvent(r, aim);
    const fields = Object.entries(FIELDS[event]).filter(([f]) => f !== 'pid');
    if (fields.length === 0) return GENERATORS['wrong-type'][1](r, aim);
    const payload = validPayload(event, r, aim);
    const [field, spec] = r.pick(fields);
    if (r.chance(0.5)) {
      payload[field] = r.pick(invalidValues(spec.kind, r));
      return { category: 'out-of-range', send: emit(event, payload), expect: invalid };
    }
    payload[field] = r.pick(extremeValues(spec.kind, r, aim));
    return { category: 'in-range-extreme', send: emit(event, payload), expect: validAnswer };
  }],
  'raw-numbers': [5, (r, aim) => {
    // Numbers JSON.stringify never writes: -0, overflowing exponents, long mantissas.
    const odd = r.pick(['-0', '1e999', '-1e999', '1e-400', '123456789012345678901234567890', '0.1e1', '1E2', '-0.0']);
    const event = r.pick(['op:store', 'op:load', 'op:ftruncate', 'op:lock', 'view:memory']);
    const body =
      event === 'op:store' ? `{"map":1,"index":${odd},"value":${r.pick(['1', odd])}}`
      : event === 'op:load' ? `{"map":${odd},"index":0}`
      : event === 'op:ftruncate' ? `{"fd":3,"len":${odd}}`
      : event === 'op:lock' ? `{"fd":3,"cmd":"F_SETLK","type":"F_RDLCK","start":${odd},"len":${odd}}`
      : `{"map":1,"offset":${odd},"length":4}`;
    void aim;
    return { category: 'raw-numbers', send: { how: 'raw', text: `2{ID}[${JSON.stringify(event)},${body}]`, ack: true }, expect: { kind: 'answer' } };
  }],
  'huge': [1, (r, aim) => {
    const size = r.int(70_000, 200_000);
    const choice = r.int(0, 4);
    const payload =
      choice === 0 ? { code: aim.fuzzCode, name: 'x'.repeat(size) }
      : choice === 1 ? { fd: 3, off: 0, data: 'ab'.repeat(Math.min(size, 150_000)) }
      : choice === 2 ? { fd: 3, off: 0, data: new Array(Math.min(size, 90_000)).fill(7) }
      : choice === 3 ? { map: 1, index: 0, value: 1, junk: new Array(Math.min(size, 60_000)).fill('xxxx') }
      : { code: aim.fuzzCode, token: 'A'.repeat(size) };
    const event = choice === 0 ? 'student:join' : choice === 1 || choice === 2 ? 'op:pwrite' : choice === 3 ? 'op:store' : 'student:resume';
    return { category: 'huge', send: emit(event, payload), expect: choice === 3 ? { kind: 'answer' } : invalid };
  }],
  'over-the-cap': [0.15, (r) => ({
    category: 'over-the-cap',
    send: emit('op:pwrite', { fd: 3, off: 0, data: 'ab'.repeat(r.int(270_000, 400_000)) }),
    expect: { kind: 'disconnect' },
  })],
  'deep-nesting': [3, (r) => {
    const depth = r.int(100, 60_000);
    const object = r.chance(0.5);
    const text =
      r.chance(0.7) ? `2{ID}[${JSON.stringify(r.pick(['op:store', 'student:join', 'teacher:attach', 'op:pwrite']))},${deep(depth, '1', object)}]`
      : `2{ID}["op:lock",{"fd":3,"cmd":"F_SETLK","type":"F_RDLCK","start":0,"len":${deep(depth, '0', object)}}]`;
    return { category: 'deep-nesting', send: { how: 'raw', text, ack: true }, expect: invalid };
  }],
  'binary': [4, (r, aim) => {
    const bytes = new Uint8Array(r.int(0, r.chance(0.1) ? 200_000 : 64)).map(() => r.int(0, 255));
    const choice = r.int(0, 4);
    if (choice === 0) return { category: 'binary', send: emit('op:pwrite', { fd: 3, off: 0, data: bytes }), expect: invalid };
    if (choice === 1) {
      // A Uint8Array is an object to zod: for an event with no required field it reads as {} and is valid.
      const event = knownEvent(r, aim);
      const empty = Object.values(FIELDS[event]).every((f) => f.optional);
      return { category: 'binary', send: emit(event, bytes), expect: empty ? { kind: 'answer' } : invalid };
    }
    if (choice === 2) return { category: 'binary', send: emit('student:join', { code: bytes, name: 'x' }), expect: invalid };
    if (choice === 3) {
      // A binary argument after a valid payload: ignored, the call is answered.
      return { category: 'binary', send: emit('op:fstat', { fd: 3 }, true, [bytes]), expect: { kind: 'answer' } };
    }
    return { category: 'binary', send: emit('view:memory', { map: 1, offset: bytes, length: 4 }), expect: invalid };
  }],
  'bad-packet': [0.3, (r) => {
    // What Socket.IO's own parser refuses: the connection is closed.
    const bin = new Uint8Array([1, 2, 3]);
    const choice = r.int(0, 6);
    const send: Sending =
      choice === 0 ? { how: 'raw', text: '2{ID}[', ack: false }
      : choice === 1 ? { how: 'raw', text: '2{ID}[["op:store"],{}]', ack: false }
      : choice === 2 ? { how: 'raw', text: '2{ID}["disconnect",{}]', ack: false }
      : choice === 3 ? { how: 'raw', text: '51-{ID}["op:pwrite",{"fd":3,"off":0,"data":{"_placeholder":true,"num":7}}]', attachments: [bin], ack: false }
      : choice === 4 ? { how: 'raw', text: '52-{ID}["op:pwrite",{"_placeholder":true,"num":0}]', attachments: [bin], ack: false }
      : choice === 5 ? { how: 'raw', text: '9{ID}["x"]', ack: false }
      : { how: 'raw', text: `51-{ID}["op:store",${deep(r.int(20_000, 60_000), '{"_placeholder":true,"num":0}', false)}]`, attachments: [bin], ack: false };
    return { category: 'bad-packet', send, expect: { kind: 'disconnect' } };
  }],
  'numeric-event': [1, (r) => ({
    category: 'numeric-event',
    send: { how: 'raw', text: `2{ID}[${r.pick(['0', '42', '-1', '1e999', '3.14'])},{}]`, ack: true },
    expect: { kind: 'error', codes: ['UNKNOWN_EVENT'] },
  })],
  'other-rooms': [10, (r, aim) => {
    const code = r.chance(0.8) ? r.pick(aim.otherCodes) : randomCode(r);
    const known = aim.otherCodes.includes(code);
    const stranger = aim.role === 'stranger';
    const foreignPid = r.pick(aim.otherPids);
    const choice = r.int(0, 5);
    if (choice === 0) {
      return { category: 'other-rooms', send: emit('student:join', { code, name: 'intruder' }), expect: { kind: 'error', codes: stranger ? (known ? ['ROOM_LOCKED'] : ['ROOM_NOT_FOUND']) : ['ALREADY_JOINED'] } };
    }
    if (choice === 1) {
      return { category: 'other-rooms', send: emit('student:resume', { code, token: secret() }), expect: { kind: 'error', codes: stranger ? (known ? ['SESSION_GONE'] : ['ROOM_NOT_FOUND']) : ['ALREADY_JOINED'] } };
    }
    if (choice === 2) {
      return { category: 'other-rooms', send: emit('teacher:attach', { code, credential: secret() }), expect: { kind: 'error', codes: stranger ? (known ? ['BAD_CREDENTIAL'] : ['ROOM_NOT_FOUND']) : ['ALREADY_JOINED'] } };
    }
    if (choice === 3) {
      // The fuzz room's own pids start above every pid of the other rooms, so this is never the caller's.
      const expect: Expectation = { kind: 'error', codes: aim.role === 'stranger' ? ['NOT_JOINED'] : ['FORBIDDEN'] };
      const event = r.pick(['op:store', 'op:exit', 'op:lock', 'op:close', 'op:open']);
      const payload = { ...validPayload(event, r, aim), pid: foreignPid };
      return { category: 'other-rooms', send: emit(event, payload), expect };
    }
    if (choice === 4 && aim.role !== 'teacher') {
      const event = r.pick(['teacher:kill', 'teacher:stop-all', 'teacher:reboot', 'teacher:close', 'teacher:lock-joins']);
      const payload = event === 'teacher:kill' ? { pid: foreignPid } : event === 'teacher:reboot' ? { pageSize: 16 } : event === 'teacher:lock-joins' ? { locked: false } : {};
      return { category: 'other-rooms', send: emit(event, payload), expect: { kind: 'error', codes: stranger ? ['NOT_JOINED'] : ['FORBIDDEN'] } };
    }
    // A student event from a socket that is not a student.
    if (aim.role === 'student') return { category: 'other-rooms', send: emit('student:respawn', {}), expect: { kind: 'answer' } };
    return { category: 'other-rooms', send: emit('view:memory', { map: 1 }), expect: { kind: 'error', codes: stranger ? ['NOT_JOINED'] : ['FORBIDDEN'] } };
  }],
  'no-ack': [6, (r, aim) => {
    const inner = r.pick(['wrong-type', 'unknown-event', 'other-rooms', 'extra-fields', 'out-of-range']);
    const h = GENERATORS[inner][1](r, aim);
    if (h.send.how !== 'emit') return h;
    return { category: 'no-ack', send: { ...h.send, ack: false }, expect: { kind: 'silent' } };
  }],
  'junk-payload': [8, (r, aim) => {
    // Any event the server knows, including ones added after this test: random junk in the payload.
    const event = r.pick(CLIENT_EVENT_NAMES as readonly string[]);
    if (aim.role === 'teacher' && (!allowedValid(event, aim) || !(event in FIELDS))) {
      // A hostile teacher of its own room must not switch it into a mode where operations wait for
      // the teacher (scheduler, slow motion): it gets payloads no schema takes.
      return { category: 'junk-payload', send: emit(event, r.pick<unknown>(['junk', 12, [1, 2, 3], true])), expect: invalid };
    }
    const junk = r.pick<unknown>([
      {}, { a: 1 }, [1, 2, 3], 'junk', 12, -0, { map: 'm1' }, { code: 'ZZZZZZ', name: 'x', token: 'y', credential: 'z' },
      { fd: 3, off: 0, len: 0, map: 1, index: 0, value: 0 }, Object.fromEntries(Array.from({ length: r.int(1, 2000) }, (_, i) => [`k${i}`, i])),
    ]);
    return { category: 'junk-payload', send: emit(event, junk), expect: { kind: 'answer' } };
  }],
};

const aimless: Aim = { role: 'stranger', fuzzCode: 'ZZZZZZ', otherCodes: [], otherPids: [] };

export const CATEGORIES = Object.keys(GENERATORS);

/** One hostile message for a socket aimed as `aim`. */
export function hostileMessage(r: Random, aim: Aim): Hostile {
  const weights = Object.fromEntries(Object.entries(GENERATORS).map(([k, [w]]) => [k, w])) as Record<string, number>;
  const category = r.weighted(weights);
  return GENERATORS[category][1](r, aim);
}

/** A flood: the same message many times, without waiting for answers. */
export function floodMessage(r: Random, aim: Aim): Sending {
  return emit(r.pick(['op:fstat', 'op:store', 'student:join', 'nope']), validPayload('op:store', r, aim));
}
