#!/usr/bin/env node
// The long crash run: `npm run crash -- --kills 1000 --seed 7`. Kills a real backend with SIGKILL
// under load from several tenants, restarts it on the same data, and checks the invariants of
// test/support/crash-invariants.ts after every kill. Exits 1 on any violation and keeps the data
// folder for a look; the same --seed replays the same operations and kill delays.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runCrashHarness } from '../test/support/crash-harness.ts'

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    tenants: { type: 'string', default: '3' },
    workers: { type: 'string', default: '3' },
    quiet: { type: 'boolean', default: false },
  },
})
const seed = Number(values.seed)
// A thousand restarts: the serve entry is bundled first (rolldown, which vite brings), so each
// start loads one file instead of type-stripping the sources again; the code is the same.
const bundleDir = mkdtempSync(join(tmpdir(), 'scim-crash-bundle-'))
const entry = join(bundleDir, 'serve.mjs')
const rolldown = join(
  dirname(createRequire(import.meta.url).resolve('rolldown/package.json')),
  'bin/cli.mjs',
)
const source = fileURLToPath(new URL('../test/support/backend-serve-process.ts', import.meta.url))
const built = spawnSync(
  process.execPath,
  [rolldown, source, '--platform', 'node', '--format', 'esm', '--file', entry],
  { encoding: 'utf8' },
)
if (built.status !== 0) {
  console.error(`bundling the serve entry failed: ${built.stderr}`)
  process.exit(2)
}
console.log(
  `crash run: ${values.kills} kills, seed ${seed}, ${values.tenants} tenants x ${values.workers} clients`,
)
const report = await runCrashHarness({
  seed,
  kills: Number(values.kills),
  tenants: Number(values.tenants),
  workers: Number(values.workers),
  entry,
  progress: (line) => {
    if (!values.quiet || line.includes('final') || !line.includes(': 0 violation'))
      console.log(line)
  },
})
console.log(JSON.stringify({ ...report, violations: report.violations.slice(0, 50) }, null, 2))
console.log(
  report.violations.length === 0
    ? `PASS: ${report.kills} kills, ${report.requests.acknowledged} acknowledged + ${report.requests.unknown} cut-off requests, ${report.events} events, ${report.streamed} streamed, 0 violations, ${(report.elapsedMs / 60000).toFixed(1)} min`
    : `FAIL: ${report.violations.length} violation(s); replay with --seed ${seed}`,
)
rmSync(bundleDir, { recursive: true, force: true })
process.exit(report.violations.length === 0 ? 0 : 1)
