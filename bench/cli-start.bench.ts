// CLI start-up: wall time of whole `scim-console` processes against `node -e 0`, the built CLI
// (out/cli) and the type-stripped sources, runs interleaved so machine load hits all alike.
//   node bench/cli-start.bench.ts [runs]        (or: npm run bench -- cli-start); default 9 runs
// Builds the CLI first so the figures are for the current code. Exit code 1 if a ratio target is
// missed (built CLI: --help within 3x of `node -e 0`, metadata inspect within 4x); the < 0.4 s
// target for `check --profile okta` is an idle-machine figure, so it is printed, not enforced.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'

const root = resolve(import.meta.dirname, '..')
const bin = join(root, 'bin', 'scim-console.mjs')
const runs = Number(process.argv[2] ?? 9)
const TOKEN = 'bench-cli-start-token-0123456789abcdef'

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.cli.config.ts'],
  { cwd: root, stdio: 'inherit' },
)
if (build.status !== 0) {
  console.error('cli-start: the CLI build failed; see above.')
  process.exit(1)
}

/** Wall time of one process from spawn to exit; a non-zero exit fails the bench. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', fail)
    child.on('exit', (code) => {
      const ms = performance.now() - t0
      if (code === 0) done(ms)
      else fail(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))
    })
  })
}

/** CPU time (ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    // utime and stime (fields 14 and 15 of stat, 12 and 13 after the command name), in ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return undefined
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

// The reference backend in its own process on a free port, started beforehand as a real tenant
// would be, so the timed `check` process is the only thing measured. Rate limits off: the bench
// sends ~470 requests per run, many runs back to back, beyond the default 100/s per tenant.
const dataDir = mkdtempSync(join(tmpdir(), 'scimc-cli-bench-'))
const server = await launchBackendProcess({
  dataDir: join(dataDir, 'backend'),
  adminKey: 'bench-cli-start-admin-0123456789',
  demoToken: TOKEN,
  rateLimit: 'off',
})

const okta = join(root, 'test', 'fixtures', 'idp-metadata', 'okta-app-trial-org.xml')
// Signed: its signature is checked in the worker thread, so this row is the worker's start.
const entra = join(
  root,
  'test',
  'fixtures',
  'idp-metadata',
  'entra-app-federationmetadata-bom-signed.xml',
)
const commands: Record<string, string[]> = {
  '--help': ['--help'],
  'metadata inspect (Okta file)': ['metadata', 'inspect', okta],
  'metadata inspect (signed Entra file)': ['metadata', 'inspect', entra],
  'check --profile okta': [
    'check',
    '--url',
    server.scimBaseUrl,
    '--token-env',
    'BENCH_SCIM_TOKEN',
    '--profile',
    'okta',
  ],
}
// built: out/cli forced; auto: what a checkout gets after `npm run build` (bin/ checks the
// bundle is newer than every source, then runs it); source: type-stripped TypeScript.
const modes = { built: 'built', auto: undefined, source: 'source' } as const
const env = (mode: string | undefined): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, BENCH_SCIM_TOKEN: TOKEN }
  delete e.SCIM_CONSOLE_CLI
  if (mode) e.SCIM_CONSOLE_CLI = mode
  return e
}

const times = new Map<string, number[]>()
const record = (key: string, ms: number): void => {
  times.set(key, [...(times.get(key) ?? []), ms])
}
const loadBefore = loadavg()
try {
  // One untimed round fills Node's compile cache, as any second start would find it.
  for (const args of Object.values(commands)) {
    for (const mode of Object.values(modes)) await timeProcess([bin, ...args], env(mode))
  }
  for (let i = 0; i < runs; i++) {
    record('node -e 0', await timeProcess(['-e', '0'], env(undefined)))
    for (const [name, args] of Object.entries(commands)) {
      for (const [modeName, mode] of Object.entries(modes)) {
        const key = `${name} [${modeName}]`
        if (name.startsWith('check')) {
          // The command as the target names it, then once more with --report: the harness's own
          // run time from the report, and the rest of that process's wall time is start-up and
          // exit (writing the report included).
          const cpu0 = cpuMs(server.pid)
          record(key, await timeProcess([bin, ...args], env(mode)))
          const cpu1 = cpuMs(server.pid)
          const report = join(dataDir, 'report.json')
          const ms = await timeProcess([bin, ...args, '--report', report], env(mode))
          const { durationMs } = JSON.parse(readFileSync(report, 'utf8')) as { durationMs: number }
          record(`  with --report FILE.json [${modeName}]`, ms)
          record(`  of which the harness run [${modeName}]`, durationMs)
          record(`  of which start-up and exit [${modeName}]`, ms - durationMs)
          if (cpu0 !== undefined && cpu1 !== undefined)
            record(`  backend CPU during the first [${modeName}]`, cpu1 - cpu0)
        } else {
          record(key, await timeProcess([bin, ...args], env(mode)))
        }
      }
    }
  }
  // The embedded backend's start (launch-process.ts spawns `backend serve` through bin/): from
  // spawn to its first stdout line (the URLs), built against sources.
  for (let i = 0; i < Math.min(runs, 5); i++) {
    for (const [modeName, mode] of Object.entries(modes)) {
      if (mode) process.env.SCIM_CONSOLE_CLI = mode
      else delete process.env.SCIM_CONSOLE_CLI
      const backendDir = mkdtempSync(join(tmpdir(), 'scimc-cli-bench-backend-'))
      const t0 = performance.now()
      const launched = await launchBackendProcess({ dataDir: backendDir })
      record(`backend serve, ready [${modeName}]`, performance.now() - t0)
      await launched.stop()
      rmSync(backendDir, { recursive: true, force: true })
    }
  }
} finally {
  delete process.env.SCIM_CONSOLE_CLI
  await server.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
const loadAfter = loadavg()

const baseline = median(times.get('node -e 0')!)
const targets: Record<string, number> = {
  '--help [built]': 3,
  'metadata inspect (Okta file) [built]': 4,
}
let missed = 0
console.log(
  `\nNode ${process.version}, ${runs} interleaved runs, load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after`,
)
console.log(`${'process'.padEnd(44)} ${'median'.padStart(8)} ${'x node'.padStart(7)}  target`)
for (const [name, xs] of times) {
  const m = median(xs)
  const ratio = m / baseline
  const target = targets[name]
  const over = target !== undefined && ratio > target
  if (over) missed++
  const note =
    target !== undefined
      ? `within ${target}x ${over ? 'MISSED' : 'ok'}`
      : name === 'check --profile okta [built]'
        ? `< 0.4 s idle: ${m < 400 ? 'ok' : 'over (see load)'}`
        : ''
  console.log(
    `${name.padEnd(44)} ${(m / 1000).toFixed(3).padStart(7)}s ${ratio.toFixed(1).padStart(6)}x  ${note}`,
  )
}
process.exit(missed === 0 ? 0 : 1)
