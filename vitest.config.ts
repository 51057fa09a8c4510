// Test projects: fast unit tests per package, and integration tests that start real server processes.
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Tests run the TypeScript sources: @tickwire/protocol's "tickwire-source" export condition points at
 * protocol/src, its default at the compiled protocol/dist that only the built server uses. Every
 * project runs in node, which Vite resolves as "ssr".
 */
const fromSources = { ssr: { resolve: { conditions: ['tickwire-source', ...defaultServerConditions] } } };

export default defineConfig({
  test: {
    projects: [
      {
        ...fromSources,
        test: { name: 'protocol', root: './protocol', include: ['test/**/*.test.ts'], environment: 'node' },
      },
      {
        ...fromSources,
        test: { name: 'server', root: './server', include: ['test/**/*.test.ts'], environment: 'node' },
      },
      {
        ...fromSources,
        test: { name: 'client', root: './client', include: ['test/**/*.test.ts'], environment: 'node' },
      },
      {
        ...fromSources,
        test: { name: 'profile', root: './profile', include: ['test/**/*.test.ts'], environment: 'node' },
      },
      {
        ...fromSources,
        test: {
          name: 'integration',
          root: './integration',
          include: ['**/*.int.ts'],
          // The tests start the compiled server (support/serverProcess.ts): build it first.
          globalSetup: ['./support/buildServer.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        ...fromSources,
        test: {
          name: 'e2e',
          root: './e2e',
          include: ['**/*.e2e.ts'],
          globalSetup: ['../integration/support/buildServer.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
