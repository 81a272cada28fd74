import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'test/src/**/*.test.ts'],
    expect: { requireAssertions: true },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files in parallel would only contend; the C harness forks its own children.
    fileParallelism: false,
  },
});
