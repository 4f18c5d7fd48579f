#!/usr/bin/env node
// `npm test`: every check the project has, in one run, ending with "N passed, N failed".
// Static checks (format, lint, typecheck) count as one test each; vitest and Playwright report
// their own counts through their JSON reporters.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

// The keychain tests need a D-Bus session with an unlocked Secret Service. When we are not in
// one and the tools exist, re-run this script inside one (scripts/with-keychain.sh).
if (!process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.SCIM_CONSOLE_NO_KEYCHAIN_WRAP) {
  const hasTools =
    spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], {
      stdio: 'ignore',
    }).status === 0
  if (hasTools && existsSync('scripts/with-keychain.sh')) {
    const r = spawnSync(
      'bash',
      ['scripts/with-keychain.sh', process.execPath, ...process.argv.slice(1)],
      {
        stdio: 'inherit',
        env: { ...process.env, SCIM_CONSOLE_NO_KEYCHAIN_WRAP: '1' },
      },
    )
    process.exit(r.status ?? 1)
  }
  console.log(
    'test: no D-Bus session tools (dbus-run-session, gnome-keyring-daemon); keychain tests will be skipped',
  )
}

const bin = (name) => join(root, 'node_modules', '.bin', name)
let passed = 0
let failed = 0
let skipped = 0
const failures = []

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status === 0
}

function staticCheck(name, cmd, args) {
  if (step(name, cmd, args)) passed++
  else {
    failed++
    failures.push(name)
  }
}

staticCheck('format', bin('prettier'), ['--check', '--log-level', 'warn', '.'])
staticCheck('lint', bin('eslint'), ['.'])
staticCheck('typecheck (node)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit'])
staticCheck('typecheck (web)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit'])
// Electronegativity over the Electron sources; unexplained high/medium findings fail it.
staticCheck('security scan', process.execPath, ['scripts/security-scan.mjs'])

// Unit and integration tests (vitest).
const vitestJson = join(root, '.vitest-report.json')
rmSync(vitestJson, { force: true })
step('vitest', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${vitestJson}`,
])
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'))
  passed += report.numPassedTests ?? 0
  failed += report.numFailedTests ?? 0
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? []
    for (const t of tests) if (t.status === 'failed') failures.push(`vitest: ${t.fullName}`)
    // A file that failed without a failing test (an import error, a crashed hook) counts once.
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      failed++
      failures.push(`vitest file: ${file.name}`)
    }
  }
} else {
  failed++
  failures.push('vitest produced no report')
}

// Browser tests: build the app, then Playwright in Debian's Chromium through the web host.
// The same two builds as `npm run build`: the app, then the CLI bundle (out/cli), so the e2e specs
// that spawn bin/scim-console.mjs run the built CLI.
const built =
  step('build', bin('electron-vite'), ['build'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }) &&
  step('build (cli)', bin('vite'), ['build', '--config', 'vite.cli.config.ts'])
if (!built) {
  failed++
  failures.push('build')
} else {
  passed++
  const pwJson = join(root, '.playwright-report.json')
  rmSync(pwJson, { force: true })
  step('playwright', bin('playwright'), ['test'])
  if (existsSync(pwJson)) {
    const stats = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {}
    passed += (stats.expected ?? 0) + (stats.flaky ?? 0)
    failed += stats.unexpected ?? 0
    skipped += stats.skipped ?? 0
    if (stats.unexpected) failures.push(`playwright: ${stats.unexpected} failed`)
  } else {
    failed++
    failures.push('playwright produced no report')
  }
}

if (failures.length) console.log(`\nFailed:\n  ${failures.join('\n  ')}`)
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed === 0 ? 0 : 1)
