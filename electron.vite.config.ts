import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/electron/main.ts'),
          // The embedded reference backend's own process (utilityProcess.fork in the app): the
          // packaged app has no TypeScript sources and its RunAsNode fuse is off, so the backend
          // needs a bundled entry of its own. The key is EMBEDDED_BACKEND_BUNDLE.
          'embedded-backend': resolve(root, 'src-server/launcher/embedded-entry.ts'),
          // Untrusted metadata is parsed in a worker thread; parse-in-worker.ts finds this
          // bundle beside index.js. The key is METADATA_WORKER_BUNDLE.
          'metadata-worker': resolve(root, 'src-main/metadata/metadata-worker.ts'),
          // Pasted SAML (the inspector) likewise; the key is SAML_WORKER_BUNDLE.
          'saml-worker': resolve(root, 'src-main/sso/saml-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload cannot require node_modules and must be CommonJS: bundle zod and the
      // contract into one .cjs file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    // Relative asset URLs so the same build loads from app://renderer/ and from the web host.
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
})
