// Builds the control panel (Preact + TypeScript + plain CSS) from web/ into web/dist, served by the LeadGuard server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Hashed file names let the server cache assets for a year and always serve a fresh index.html.
    assetsDir: 'assets',
  },
  server: {
    // `vite --config web/vite.config.ts` during development forwards the API to a running server.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/embed.js': 'http://127.0.0.1:3000',
    },
  },
});
