import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
          // The depth engine's worker thread, located beside the bundle at run time (src/main/depth/worker/client.ts).
          'depth-worker': resolve(__dirname, 'src/main/depth/worker/depth-worker.ts'),
          // The depth exporters' worker thread, located the same way (src/main/export/worker/client.ts).
          'export-worker': resolve(__dirname, 'src/main/export/worker/export-worker.ts'),
          // The measuring tools' worker thread (plane fits, region sampling), located the same way (src/main/workers/locate.ts).
          'measure-worker': resolve(__dirname, 'src/main/measure/worker/measure-worker.ts')
        },
        // Shared chunks beside the entries, not in chunks/: the worker clients find their entries through __dirname.
        output: { chunkFileNames: '[name]-[hash].js' }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can require only `electron`: bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') }
      }
    },
    plugins: [vue()]
  }
});
