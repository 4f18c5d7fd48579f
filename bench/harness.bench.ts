// SCIM conformance harness speed: the full `okta` profile against the reference backend on
// loopback, then with 100 ms of added latency per request (fault proxy, no fault).
//   node bench/harness.bench.ts          (or: npm run bench -- harness)
// Exit code 1 if a target is missed: < 5 s on loopback, < 15 s with 100 ms latency.
// First, where a run's time goes: the same run against the backend in its own process (as a
// real tenant runs apart from the client), split into phases from the run's progress events.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runHarness } from '../src-main/harness/runner.ts'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'
import { startFaultProxy } from '../test/support/fault-proxy.ts'
import { startServer } from '../src-server/server.ts'
import { harnessPhases, printPhases } from './harness-phases.ts'

const TOKEN = 'bench-harness-token-0123456789abcdef'
const dataDir = mkdtempSync(join(tmpdir(), 'scimc-harness-bench-'))

{
  const load = loadavg()
  const backend = await launchBackendProcess({
    dataDir: join(dataDir, 'own-process'),
    demoToken: TOKEN,
    rateLimit: 'off',
  })
  try {
    const runs = []
    await harnessPhases(backend.scimBaseUrl, TOKEN) // warm-up
    for (let i = 0; i < 5; i++) runs.push(await harnessPhases(backend.scimBaseUrl, TOKEN))
    console.log(
      `Phases of the okta run, backend in its own process, median of 5 (load average ${load.map((l) => l.toFixed(1)).join(' ')} before, ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} after):`,
    )
    printPhases(runs)
  } finally {
    await backend.stop()
  }
}

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  adminKey: 'bench-harness-admin-0123456789',
  demoToken: TOKEN,
  // Off: back-to-back runs of ~470 requests each exceed the default 100/s per tenant, and the
  // Retry-After waits would be measured instead of the harness.
  rateLimit: 'off',
})

interface Figure {
  name: string
  ms: number
  requests: number
  outcome: string
  target?: number
}

async function timed(
  name: string,
  baseUrl: string,
  concurrency: number,
  target?: number,
): Promise<Figure> {
  const t0 = performance.now()
  const report = await runHarness({ baseUrl, token: TOKEN, profile: 'okta', concurrency })
  const ms = performance.now() - t0
  return {
    name,
    ms,
    requests: report.exchanges.length,
    outcome: report.outcome,
    ...(target ? { target } : {}),
  }
}

const figures: Figure[] = []
try {
  await timed('warm-up', server.scimBaseUrl, 4)
  const loop: Figure[] = []
  for (let i = 0; i < 5; i++) loop.push(await timed('loopback', server.scimBaseUrl, 4))
  loop.sort((a, b) => a.ms - b.ms)
  figures.push({
    ...loop[2]!,
    name: 'okta profile, loopback, concurrency 4 (median of 5)',
    target: 5000,
  })
  figures.push({
    ...loop[4]!,
    name: 'okta profile, loopback, concurrency 4 (worst of 5)',
    target: 5000,
  })
  const proxy = await startFaultProxy({ target: server.scimBaseUrl, token: TOKEN, latencyMs: 100 })
  try {
    figures.push(
      await timed(
        'okta profile, +100 ms per request, concurrency 4 (default)',
        proxy.baseUrl,
        4,
        15_000,
      ),
    )
    figures.push(
      await timed('okta profile, +100 ms per request, concurrency 8', proxy.baseUrl, 8, 15_000),
    )
    figures.push(await timed('okta profile, +100 ms per request, concurrency 1', proxy.baseUrl, 1))
  } finally {
    await proxy.close()
  }
} finally {
  await server.close()
  rmSync(dataDir, { recursive: true, force: true })
}

let missed = 0
for (const f of figures) {
  const over = f.target !== undefined && f.ms > f.target
  if (over) missed++
  console.log(
    `${f.name.padEnd(62)} ${(f.ms / 1000).toFixed(2).padStart(6)} s  ${String(f.requests).padStart(3)} requests  ${f.outcome}${f.target ? `  target < ${f.target / 1000} s ${over ? 'MISSED' : 'ok'}` : ''}`,
  )
  if (f.outcome !== 'passed') missed++
}
process.exit(missed === 0 ? 0 : 1)
