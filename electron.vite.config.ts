import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { builtinsWithoutNamespace } from './vite.cli.config.ts'

const root = import.meta.dirname

export default defineConfig({
  main: {
    // node:http through process.getBuiltinModule, as in the CLI bundle: an ESM import of it loads
    // all of undici (vite.cli.config.ts says why), in the app's main process and in the embedded
    // backend's utility process alike. process.getBuiltinModule is in Node 20.16+/22.3+; the
    // package's Electron (^45, package.json) embeds Node 24 (its @types/node is ^24), and the
    // harness wire in the same bundle already relies on it.
    plugins: [builtinsWithoutNamespace()],
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
