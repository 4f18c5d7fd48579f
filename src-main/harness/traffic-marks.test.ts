import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { startServer, type RunningServer } from '../../src-server/server.ts'
import { replayUser } from './replay-user.ts'
import { runHarness } from './runner.ts'

/**
 * The harness and the replay mark every request they send, so the reference backend records
 * them as the console's test traffic (with the run's id) although they play Okta's User-Agent.
 */

const TOKEN = 'marks-test-token-0123456789abcdef'
const ADMIN_KEY = 'marks-admin-key-0123456789'
let server: RunningServer
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'scimc-marks-'))
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminKey: ADMIN_KEY,
    demoToken: TOKEN,
  })
})
afterAll(async () => {
  await server.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function events(afterSeq: number): Promise<ProvisioningEvent[]> {
  const res = await fetch(
    `${server.adminBaseUrl}/tenants/${server.demoTenantId}/events?limit=500`,
    { headers: { Authorization: `Bearer ${ADMIN_KEY}` } },
  )
  const page = (await res.json()) as { items: ProvisioningEvent[] }
  return page.items.filter((e) => e.seq > afterSeq)
}

async function newestSeq(): Promise<number> {
  return (await events(0))[0]?.seq ?? 0
}

describe('the console’s own requests say so', () => {
  it('every request of a harness run is recorded as source harness with the report’s run id', async () => {
    const before = await newestSeq()
    const report = await runHarness({
      baseUrl: server.scimBaseUrl,
      token: TOKEN,
      profile: 'okta',
      importSize: 3,
    })
    const mine = await events(before)
    expect(mine.length).toBeGreaterThan(20)
    // Its expected refusals (400, 404, 409, 401) are among them: exactly what must not look like Okta's.
    expect(mine.some((e) => e.status >= 400)).toBe(true)
    expect(new Set(mine.map((e) => `${e.source}/${e.runId}`))).toEqual(
      new Set([`harness/${report.runId}`]),
    )
    expect(mine[0]!.userAgent).toMatch(
      new RegExp(
        `^Okta SCIM Client 1\\.0\\.0 scim-console-harness/\\S+ \\(run ${report.runId}\\)$`,
      ),
    )
  })

  it('the replay of a user is recorded as source replay, one id for the whole replay', async () => {
    const before = await newestSeq()
    const result = await replayUser({
      baseUrl: server.scimBaseUrl,
      token: TOKEN,
      user: { userName: 'replayed@acme.test' },
    })
    expect(result.outcome).toBe('completed')
    const mine = await events(before)
    expect(mine.length).toBe(result.steps.length)
    expect(mine.every((e) => e.source === 'replay')).toBe(true)
    expect(new Set(mine.map((e) => e.runId)).size).toBe(1)
    expect(mine[0]!.runId).toMatch(/^[0-9a-f]{8}$/)
  })
})
