import tseslint from 'typescript-eslint';

/** The kernel decides every outcome, so it must be pure: no clock, no timers, no randomness, no I/O. */
const impureGlobals = ['Date', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'requestAnimationFrame',
  'performance', 'crypto', 'fetch', 'process', 'XMLHttpRequest', 'WebSocket', 'console'].map((name) => ({
  name,
  message: 'The kernel is pure and deterministic: pass what it needs in, do not reach for the outside world.',
}));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test/.build/**', 'data/**', 'client/**/*.svelte'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.object.name=/^(describe|it|test)$/][callee.property.name='only']",
        message: 'No focused tests: they silently skip the rest of the suite.',
      }],
    },
  },
  {
    files: ['shared/src/kernel/**/*.ts', 'shared/src/trace/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'The kernel is deterministic: no randomness.' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'child_process', 'net'], message: 'The kernel does no I/O.' }] }],
    },
  },
);
