#!/usr/bin/env node
// Runs every bench/*.bench.ts in turn, each in its own process so memory figures do not mix.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv[2]
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort()
let failedRuns = 0
for (const file of files) {
  console.log(`\n### ${file}`)
  const r = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' })
  if (r.status !== 0) failedRuns++
}
process.exit(failedRuns === 0 ? 0 : 1)
