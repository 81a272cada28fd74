export * from './kernel/index.ts';
export * from './trace/index.ts';
