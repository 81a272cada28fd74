export * from './constants.ts';
export type * from './types.ts';
export { Kernel, type Signal } from './kernel.ts';
export type { KernelOptions } from './state.ts';
export { kernelView, processView, type KernelView, type ProcessView, type MappingView, type LockView } from './views.ts';
