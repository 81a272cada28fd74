import { z } from 'zod';
import { PageCache } from '../kernel/page-cache.ts';
import type { Op, OpName } from '../kernel/types.ts';
import { fromHex, hexOut, toHex } from '../protocol/bytes.ts';
import { OP_NAMES, opSchemas, opToWire, toKernelOp } from '../protocol/ops.ts';
import { fromWireResult, toWireResult, wireResult } from '../protocol/results.ts';
import type { LogRecord, OpLog } from './types.ts';

/**
 * An OpLog as plain JSON (for the database, the class export and the
 * browser): 64-bit values as decimal strings, bytes as hex, exactly the
 * wire forms of shared/protocol, so one set of schemas reads them back.
 */
const wokenJson = z.object({ pid: z.int(), result: wireResult });
const base = {
  seq: z.int().min(0),
  pid: z.int().min(1),
  name: z.string(),
  at: z.number().optional(),
  woke: z.array(wokenJson),
};
const opJson = z.looseObject({ op: z.enum(OP_NAMES as [OpName, ...OpName[]]) });

export const logRecordJson = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('op'), op: opJson, result: wireResult }),
  z.object({ ...base, kind: z.literal('signal'), signal: z.enum(['SIGKILL', 'SIGSTOP', 'SIGCONT']) }),
]);
export const opLogJson = z.object({ pageSize: z.int(), fileHex: hexOut, memoryBytes: z.number().optional(), records: z.array(logRecordJson) });

export type LogRecordJson = z.input<typeof logRecordJson>;
export type OpLogJson = z.input<typeof opLogJson>;

function opToJson(op: Op): { op: OpName } & Record<string, unknown> {
  return { op: op.op, ...opToWire(op).payload };
}

function opFromJson(json: { op: OpName } & Record<string, unknown>): Op {
  const { op: name, ...payload } = json;
  return toKernelOp(name, opSchemas[name].parse(payload) as never);
}

export function recordToJson(record: LogRecord): LogRecordJson {
  const woke = record.woke.map((w) => ({ pid: w.pid, result: toWireResult(w.result) }));
  const base = { seq: record.seq, pid: record.pid, name: record.name, ...(record.at === undefined ? {} : { at: record.at }), woke };
  return record.kind === 'op'
    ? { ...base, kind: 'op', op: opToJson(record.op), result: toWireResult(record.result) }
    : { ...base, kind: 'signal', signal: record.signal };
}

export function logToJson(log: OpLog): OpLogJson {
  const file = log.file instanceof Uint8Array ? log.file : new PageCache(log.pageSize, log.file).read(0, log.file.size);
  const json: OpLogJson = { pageSize: log.pageSize, fileHex: toHex(file), records: log.records.map(recordToJson) };
  if (log.memoryBytes !== undefined) json.memoryBytes = log.memoryBytes;
  return json;
}

/** bigints as decimal strings, bytes as hex: the wire forms, for JSON.stringify. */
const wireValue = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint' ? value.toString(10) : value instanceof Uint8Array ? toHex(value) : value;

/** Operations with no bigint or byte field, whose results have none either: as JSON, already in wire shape. */
const PLAIN_OPS = new Set<OpName>(['close', 'load', 'store', 'msync', 'fstat']);

/**
 * `JSON.stringify(recordToJson(record))`, about four times faster: a room
 * writes every record it applies. The record is already in its wire shape
 * once bigints and bytes are converted, except a `bytes` result (`data`
 * travels as `hex`), which takes the long way. Most of a class's records
 * (loads and stores) have nothing to convert and skip the replacer, which
 * costs a call per key.
 */
export function recordToJsonText(record: LogRecord): string {
  if (record.woke.length === 0) {
    if (record.kind === 'signal') return JSON.stringify(record);
    if (PLAIN_OPS.has(record.op.op)) return JSON.stringify(record);
  }
  if (record.kind === 'op' && record.result.kind === 'bytes') return JSON.stringify(recordToJson(record));
  return JSON.stringify(record, wireValue);
}

/** Read a record back; throws (a ZodError) if the JSON is not one. */
export function recordFromJson(json: unknown): LogRecord {
  const r = logRecordJson.parse(json);
  const woke = r.woke.map((w) => ({ pid: w.pid, result: fromWireResult(w.result) }));
  const base = { seq: r.seq, pid: r.pid, name: r.name, ...(r.at === undefined ? {} : { at: r.at }), woke };
  return r.kind === 'op'
    ? { ...base, kind: 'op', op: opFromJson(r.op), result: fromWireResult(r.result) }
    : { ...base, kind: 'signal', signal: r.signal };
}

/** Read a log back; throws (a ZodError) if the JSON is not one. */
export function logFromJson(json: unknown): OpLog {
  const parsed = opLogJson.parse(json);
  const log: OpLog = { pageSize: parsed.pageSize, file: fromHex(parsed.fileHex), records: parsed.records.map(recordFromJson) };
  if (parsed.memoryBytes !== undefined) log.memoryBytes = parsed.memoryBytes;
  return log;
}
