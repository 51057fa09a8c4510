// Vite build of the browser client: client/ is the root, the output goes to client/dist, which the
// server serves at /. Sprites are imported from ../assets. The dev server proxies the game and lobby sockets and
// the matchmaking API to :8080.
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // The protocol's TypeScript sources (its "tickwire-source" export), not the compiled protocol/dist
  // that only the built server runs.
  resolve: { conditions: ['tickwire-source', ...defaultClientConditions] },
  server: {
    fs: { allow: ['..'] },
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
      '/lobby': { target: 'ws://127.0.0.1:8080', ws: true },
      '/matchmake': 'http://127.0.0.1:8080',
      '/rooms': 'http://127.0.0.1:8080',
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Phaser alone is about 1.4 MB minified; one chunk is fine for a game that loads once.
    chunkSizeWarningLimit: 2000,
  },
});
