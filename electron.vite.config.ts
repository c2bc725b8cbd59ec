/**
 * electron-vite build of the three parts: main (`src-main/index.ts` -> `out/main/index.js`, ESM), the sandboxed
 * preload (`src-preload/index.ts` -> `out/preload/index.cjs`: a sandboxed preload must be one CommonJS file) and
 * the React renderer (`src-renderer` -> `out/renderer`), whose built `index.html` gets the strict CSP meta tag.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src-main/service/csp.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Adds the CSP `<meta>` to the built page only (the dev server's HMR preamble is an inline script). */
function cspMeta(): Plugin {
  return {
    name: 'eventfold-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy([], true) },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      lib: { entry: resolve(root, 'src-main/index.ts') },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
