#!/usr/bin/env node
// The headless front door. It runs the built CLI (out/cli/, `npm run build`) when that build is
// current, else the TypeScript sources directly (Node >= 22.12 type stripping), so a checkout
// needs no build step and an edit is never shadowed by an older bundle. SCIM_CONSOLE_CLI=source
// or =built forces one; a package without src-main/ beside bin/ always runs the build.
import module from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `scim-console needs Node.js 22.12 or newer; this is ${process.version}. Install a current Node (for example from the npm package node@24) and try again.\n`,
  )
  process.exit(2)
}

// V8 keeps compiled code between runs (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE);
// a cache that cannot be written only costs the saving.
try {
  module.enableCompileCache?.()
} catch {
  // An unwritable temp dir or an older Node: start without the cache.
}

// node:fs through getBuiltinModule, not `import`: an ESM import builds the module's namespace,
// which runs its lazy getters (ReadStream and friends load all of fs's streams), ~3.5 ms of every
// start for nothing.
const { existsSync, readdirSync, readFileSync, statSync } = process.getBuiltinModule('node:fs')

const root = join(import.meta.dirname, '..')
const builtEntry = join(root, 'out', 'cli', 'main.mjs')

/** Newest mtime among what the bundle is built from (directories too, for deleted files). */
function newestSourceMtime() {
  let newest = 0
  const note = (path) => {
    const m = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0
    if (m > newest) newest = m
  }
  for (const f of ['package.json', 'package-lock.json', 'vite.cli.config.ts']) note(join(root, f))
  for (const dir of ['src-main', 'src-server', 'src-domain', 'src-shared']) {
    const base = join(root, dir)
    if (!existsSync(base)) continue
    note(base)
    for (const e of readdirSync(base, { recursive: true, withFileTypes: true })) {
      if (e.isDirectory() || (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))) {
        note(join(e.parentPath, e.name))
      }
    }
  }
  return newest
}

function useBuilt() {
  const choice = process.env.SCIM_CONSOLE_CLI
  if (choice && choice !== 'source' && choice !== 'built') {
    process.stderr.write(
      `cli.usage: SCIM_CONSOLE_CLI is "${choice}", which is not a way to run scim-console.\nhint: Set it to "source" (the TypeScript sources) or "built" (out/cli), or unset it to let bin/ choose.\n`,
    )
    process.exit(2)
  }
  if (choice === 'source') return false
  if (choice === 'built' || !existsSync(join(root, 'src-main'))) return true
  if (!existsSync(builtEntry)) return false
  try {
    const { startedAt } = JSON.parse(readFileSync(join(root, 'out', 'cli', 'build-stamp.json')))
    return typeof startedAt === 'number' && newestSourceMtime() < startedAt
  } catch {
    return false
  }
}

let entry
if (useBuilt()) {
  if (!existsSync(builtEntry)) {
    process.stderr.write(
      `cli.usage: no built CLI at ${builtEntry}.\nhint: run \`npm run build\`, or unset SCIM_CONSOLE_CLI to run the sources.\n`,
    )
    process.exit(2)
  }
  entry = builtEntry
} else {
  // Type stripping warns once per process; scim-console's output is not the place for it.
  process.removeAllListeners('warning')
  process.on('warning', (w) => {
    if (w.name !== 'ExperimentalWarning') process.stderr.write(`${w.name}: ${w.message}\n`)
  })
  entry = join(root, 'src-main', 'cli', 'main.ts')
}
const { main } = await import(pathToFileURL(entry).href)
process.exitCode = await main(process.argv.slice(2))
