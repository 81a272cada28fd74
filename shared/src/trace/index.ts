export { parseTrace } from './parse.ts';
export { escapeBytes, formatResult } from './format.ts';
export { runTrace, runTraceWith, kernelDriver, type MachineOptions, type StepDriver, type TraceRun } from './run.ts';
export { toHarnessInput } from './harness-input.ts';
export { MalformedTrace, type Trace, type TraceStep } from './types.ts';
export { exportTrace, exportTraceDetailed, processNames, traceName, type TraceExport } from './export.ts';
