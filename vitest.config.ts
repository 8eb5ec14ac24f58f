import { defineConfig } from 'vitest/config';

// One runner for every package. Workspace imports resolve to TypeScript sources through the
// `clearance-source` export condition, so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ['clearance-source'] },
  ssr: { resolve: { conditions: ['clearance-source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
