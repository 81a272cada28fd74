export type { LogRecord, OpLog, OpRecord, SignalRecord, Woken } from './types.ts';
export { RecordedKernel, type RecordedKernelOptions } from './recorded-kernel.ts';
export { freshKernel, replayLog, spawnUpTo, wokenOf, ReplayDiverged, type ReplayHooks, type ReplayOptions } from './replay.ts';
export { logFromJson, logToJson, recordFromJson, recordToJson, recordToJsonText, logRecordJson, opLogJson, type LogRecordJson, type OpLogJson } from './json.ts';
