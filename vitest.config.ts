// Test projects: fast unit tests per package, and integration tests that start real server processes.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'protocol', root: './protocol', include: ['test/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'server', root: './server', include: ['test/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'client', root: './client', include: ['test/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'profile', root: './profile', include: ['test/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          root: './integration',
          include: ['**/*.int.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          root: './e2e',
          include: ['**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
