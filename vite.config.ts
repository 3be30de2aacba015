// The renderer build. Relative base so the desktop app can load it from its custom protocol;
// absolute folders so the config works whatever the current directory.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: at('./renderer'),
  base: './',
  plugins: [react()],
  build: { outDir: at('./dist/renderer'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  // Listed so the dev server pre-bundles them at start instead of reloading the page mid-session.
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      '@xyflow/react',
      'zustand',
      'zustand/react/shallow',
      'zod',
    ],
  },
  server: { host: '127.0.0.1' },
});
