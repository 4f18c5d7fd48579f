import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { httpRequest, startBackendProcess } from '../test/support/backend-process.ts'
import type { BackendProcess } from '../test/support/backend-process.ts'
import { runCrashHarness } from '../test/support/crash-harness.ts'
import { EventFollower } from '../test/support/event-follower.ts'

const ADMIN_KEY = 'scimc_admin_crash-recovery-test-key'
const TOKEN = 'scimc_scim_crash-recovery-test-token'

let dataDir: string | undefined
let backend: BackendProcess | undefined
afterEach(async () => {
  if (backend && backend.child.exitCode === null && backend.child.signalCode === null) {
    backend.child.kill('SIGKILL')
    await backend.exited
  }
  backend = undefined
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  dataDir = undefined
})

async function createUsers(b: BackendProcess, names: string[]): Promise<void> {
  for (const userName of names) {
    const r = await httpRequest(`${b.scimBaseUrl}/Users`, {
      method: 'POST',
      token: TOKEN,
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName },
    })
    expect(r.status, r.text).toBe(201)
  }
}

// Real processes started several times: minutes on a loaded machine, seconds on an idle one.
describe('crash safety (real backend process, SIGKILL)', { timeout: 180_000 }, () => {
  it('issue #16 reproduction: 150 users, kill -9, restart on the same folder and port, 140 more: every user has exactly one event, the tail sees each once', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'scim-issue16-'))
    backend = await startBackendProcess({ dataDir, adminKey: ADMIN_KEY, demoToken: TOKEN })
    const port = backend.port
    const tenantId = backend.demoTenantId
    const tail = new EventFollower(tenantId, ADMIN_KEY)
    await tail.connect(backend.adminBaseUrl)
    const first = Array.from({ length: 150 }, (_, i) => `r${i + 1}@acme.test`)
    await createUsers(backend, first)
    // Killed right after the 150th 201, as an operator's kill -9 lands: no grace for a late write.
    backend.child.kill('SIGKILL')
    await backend.exited
    tail.disconnect()

    backend = await startBackendProcess({ dataDir, adminKey: ADMIN_KEY, port })
    expect(backend.port).toBe(port)
    await tail.connect(backend.adminBaseUrl)
    const second = Array.from({ length: 140 }, (_, i) => `r${i + 151}@acme.test`)
    await createUsers(backend, second)
    await tail.waitFor(290)

    const seqs = tail.received.map((e) => e.seq)
    expect(seqs).toEqual(Array.from({ length: 290 }, (_, i) => i + 1))
    const created = tail.received.filter((e) => e.outcome === 'created').map((e) => e.userName)
    expect(created).toEqual([...first, ...second])
    // The stored log agrees with the stream: one created event per user, none extra.
    const stored = await httpRequest(
      `${backend.adminBaseUrl}/tenants/${tenantId}/events?limit=500&outcome=created`,
      { token: ADMIN_KEY },
    )
    const items = (stored.json() as { items: { userName: string }[] }).items
    expect(items.map((e) => e.userName).sort()).toEqual([...first, ...second].sort())
    tail.disconnect()
  })

  it('the crash harness (3 tenants, seeded SIGKILLs under load) finds no invariant violation', async () => {
    const lines: string[] = []
    const report = await runCrashHarness({
      seed: 16,
      kills: 3,
      tenants: 3,
      workers: 2,
      progress: (l) => lines.push(l),
    })
    expect(report.violations, lines.join('\n')).toEqual([])
    // The run did what it claims: kills landed under load, requests were answered and cut off.
    expect(report.requests.acknowledged).toBeGreaterThan(0)
    expect(report.requests.unknown).toBeGreaterThan(0)
    expect(report.streamed).toBe(report.events)
  })
})
