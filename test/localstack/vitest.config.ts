import { defineConfig } from 'vitest/config';

/** The LocalStack suite: run by `npm run test:localstack` after `cdklocal deploy`. */
export default defineConfig({
  test: {
    include: ['test/localstack/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
