import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'

// The headless CLI as built JavaScript (out/cli/main.mjs plus one chunk per command module), so a
// start does not type-strip ~135 TypeScript files. bin/scim-console.mjs decides when to use it
// (see the README's "How the CLI runs"). The pure-JavaScript dependencies are bundled too: zod
// alone is ~95 files (every locale) when imported from node_modules, more than the CLI's own code;
// tree-shaken into the chunks they are a few kilobytes each. keytar (a native addon) and Node's
// built-ins stay external.
const root = import.meta.dirname
const outDir = resolve(root, 'out/cli')

/**
 * Worker entries built into out/cli beside the chunks (rollup inputs below): the module that
 * starts the worker finds it beside its own chunk, so it keeps the chunk's import.meta. The
 * worker then loads one bundle instead of type-stripping its sources, and works in a package
 * without them.
 */
const WORKERS = {
  'metadata-worker': resolve(root, 'src-main/metadata/metadata-worker.ts'),
  'saml-worker': resolve(root, 'src-main/sso/saml-worker.ts'),
}
const CHUNK_RELATIVE = new Set([
  'src-main/metadata/parse-in-worker.ts',
  'src-main/sso/inspect-in-worker.ts',
])

/**
 * Sources find files beside them through import.meta (web.ts the built renderer, launch-process.ts
 * bin/scim-console.mjs). In a chunk, import.meta is the chunk's own location, so each use is
 * rewritten to the source file's location, relative to the chunk: every chunk sits in out/cli/,
 * two levels below the package root, so the bundle still works when the package is moved.
 */
function sourceLocations(): Plugin {
  return {
    name: 'scim-console-source-locations',
    enforce: 'pre',
    transform(code, id) {
      if (id.includes('/node_modules/') || !id.startsWith(root) || !code.includes('import.meta')) {
        return null
      }
      const file = relative(root, id).split('\\').join('/')
      if (CHUNK_RELATIVE.has(file)) return null
      const dir = dirname(file)
      const out = code
        .replaceAll(
          'import.meta.dirname',
          `(import.meta.dirname + ${JSON.stringify(`/../../${dir}`)})`,
        )
        .replaceAll(
          'import.meta.filename',
          `(import.meta.dirname + ${JSON.stringify(`/../../${file}`)})`,
        )
        .replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(`../../${file}`)}, import.meta.url).href`,
        )
      return out === code ? null : { code: out, map: null }
    },
  }
}

/**
 * `import { createServer } from 'node:http'` in a chunk becomes `process.getBuiltinModule(...)`.
 * An ESM import of node:http builds the module's namespace, which reads its lazy `WebSocket`,
 * `MessageEvent`... getters and so loads all of undici: 30-60 ms of every `backend serve` and
 * `web` start for classes nothing here uses. The sources keep plain imports (the type-stripped
 * CLI is not touched); only node:http is rewritten. electron.vite.config.ts applies it to the
 * main-process bundles too.
 */
export function builtinsWithoutNamespace(): Plugin {
  const LINE = /^import\s+(?:\{([^}]*)\}|\*\s+as\s+([\w$]+)|([\w$]+))\s+from\s+"(?:node:)?http";$/gm
  return {
    name: 'scim-console-builtins-without-namespace',
    renderChunk(code) {
      if (!code.includes('http";')) return null
      const out = code.replace(
        LINE,
        (_line, named: string | undefined, ns?: string, def?: string) => {
          const target = 'process.getBuiltinModule("node:http")'
          if (named === undefined) return `const ${ns ?? def} = ${target};`
          const fields = named
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
            .map((part) => part.split(' as ').join(': '))
          return `const { ${fields.join(', ')} } = ${target};`
        },
      )
      return out === code ? null : { code: out, map: null }
    },
  }
}

/** build-stamp.json beside main.mjs: when the build started, compared with source mtimes at start. */
function buildStamp(): Plugin {
  let dir = outDir
  let startedAt = 0
  return {
    name: 'scim-console-build-stamp',
    configResolved(config) {
      // A build into another directory (the built-CLI test) must not mark out/cli as current.
      dir = resolve(config.root, config.build.outDir)
    },
    buildStart() {
      // Before any source is read: a file saved during the build counts as newer than the bundle.
      startedAt = Date.now()
    },
    writeBundle() {
      mkdirSync(dir, { recursive: true })
      writeFileSync(resolve(dir, 'build-stamp.json'), JSON.stringify({ startedAt }) + '\n')
    },
  }
}

export default defineConfig({
  root,
  // Nothing from public/ or .env belongs in a CLI bundle.
  publicDir: false,
  envDir: false,
  logLevel: 'warn',
  plugins: [sourceLocations(), builtinsWithoutNamespace(), buildStamp()],
  ssr: { noExternal: true, external: ['keytar'] },
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rollupOptions: {
      // zod schemas are built at import by `z.object(...)` calls, which a bundler must keep
      // unless told they are pure: a command that only throws an AppError or reads a constant
      // from a module of schemas would otherwise build them all at every start (~15 ms for
      // `check`). Marked pure, an unused schema is dropped; a used one is kept as before.
      treeshake: { manualPureFunctions: ['z'] },
      input: { main: resolve(root, 'src-main/cli/main.ts'), ...WORKERS },
      output: {
        format: 'esm',
        entryFileNames: '[name].mjs',
        chunkFileNames: '[name]-[hash].mjs',
      },
    },
  },
})
