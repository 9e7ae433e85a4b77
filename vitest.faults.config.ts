import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault suite over the real stack, separate from `npm test` (minutes long).
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/quiet-temporal-runtime.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
