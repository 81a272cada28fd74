export * from './templates.ts';
export * from './explanations.ts';
export * from './c-line.ts';
