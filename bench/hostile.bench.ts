// Issue #12's hostile POST: a 500 KB `POST /Users` whose userName is 'a.' repeated (the input
// that made the redactor quadratic: 154 s), against the reference backend in its own process,
// compared with a normal POST of the same size, while `GET /admin/v1/health` is polled.
//   node bench/hostile.bench.ts      (targets: hostile within 10x a normal POST; health answered)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'

const TOKEN = 'bench-token-0123456789abcdef'
const ADMIN = 'bench-admin-0123456789abcdef'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const SIZE = 500 * 1024

const dataDir = mkdtempSync(join(tmpdir(), 'scim-hostile-'))
const backend = await launchBackendProcess({
  dataDir,
  adminKey: ADMIN,
  demoToken: TOKEN,
  rateLimit: '100000/s',
})

async function post(userName: string): Promise<{ ms: number; status: number }> {
  const body = JSON.stringify({ schemas: [USER], userName })
  const t = performance.now()
  const res = await fetch(`${backend.scimBaseUrl}/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    body,
  })
  await res.arrayBuffer()
  return { ms: performance.now() - t, status: res.status }
}

/** Polls health until `until` settles; returns how many answers came back and the slowest. */
async function pollHealth(until: Promise<unknown>): Promise<{ answered: number; worstMs: number }> {
  let done = false
  void until.finally(() => (done = true))
  let answered = 0
  let worstMs = 0
  while (!done) {
    const t = performance.now()
    const res = await fetch(`${backend.adminBaseUrl}/health`)
    await res.arrayBuffer()
    if (res.ok) answered++
    worstMs = Math.max(worstMs, performance.now() - t)
  }
  return { answered, worstMs }
}

let failed = false
try {
  await post('warm-up@bench.example')
  const rows: string[] = []
  const normal: number[] = []
  const hostile: number[] = []
  for (let run = 0; run < 3; run++) {
    const n = await post(`normal.${run}.${'x'.repeat(SIZE - 20)}@bench.example`)
    normal.push(n.ms)
    const p = post(`${run}${'a.'.repeat(SIZE / 2)}`)
    const [h, health] = await Promise.all([p, pollHealth(p)])
    hostile.push(h.ms)
    rows.push(
      `run ${run + 1}: normal ${n.ms.toFixed(0)} ms (${n.status}), hostile ${h.ms.toFixed(0)} ms (${h.status}); health answered ${health.answered}x meanwhile, slowest ${health.worstMs.toFixed(0)} ms`,
    )
    if (health.answered === 0) failed = true
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1]!
  const ratio = median(hostile) / median(normal)
  if (ratio > 10) failed = true
  for (const r of rows) console.log(r)
  console.log(
    `${failed ? 'FAIL' : 'PASS'}  500 KB hostile POST: median ${median(hostile).toFixed(0)} ms vs normal ${median(normal).toFixed(0)} ms (${ratio.toFixed(1)}x, target < 10x); health answered during every hostile POST`,
  )
} finally {
  await backend.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0
