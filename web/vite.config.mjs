// Vite builds the web app into web/dist, which the Mutua server serves at /.
// Preact's automatic JSX runtime; no dev-only plugins, so the build is the
// same on every machine.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/graphql': { target: 'http://localhost:3000', ws: true },
      '/exports': 'http://localhost:3000',
    },
  },
});
