import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src-server/server.ts'
import { runHarness } from './runner.ts'

const TOKEN = 'harness-ref-token-0123456789abcdef'
let server: RunningServer
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'scimc-harness-ref-'))
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminKey: 'harness-admin-key-0123456789',
    demoToken: TOKEN,
  })
})
afterAll(async () => {
  await server.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** A full run of the profile passes with no warning and removes everything it created. */
async function passesAndCleansUp(
  server: RunningServer,
  profile: 'okta' | 'entra' | 'rfc',
): Promise<void> {
  const report = await runHarness({ baseUrl: server.scimBaseUrl, token: TOKEN, profile })
  const bad = report.checks.filter(
    (c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn',
  )
  expect(bad.map((c) => `${c.id}: ${c.status}: ${c.message} ${c.actual ?? ''}`)).toEqual([])
  expect(report.outcome).toBe('passed')
  expect(report.cleanup.leftovers).toEqual([])
  const list = await fetch(`${server.scimBaseUrl}/Users?startIndex=1&count=1`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  })
  expect(((await list.json()) as { totalResults: number }).totalResults).toBe(0)
}

describe('the reference backend (src-server)', () => {
  it.each(['okta', 'entra', 'rfc'] as const)(
    'passes every %s check and is left as it was found',
    async (profile) => {
      // Its own backend (default settings, rate limits included) per profile: three full runs
      // back to back on one tenant send ~1,500 requests in a few seconds, past the default
      // bucket of 1,000, and that test is the rate-limit test's job below.
      const ownDir = await mkdtemp(join(tmpdir(), `scimc-harness-ref-${profile}-`))
      const own = await startServer({
        port: 0,
        host: '127.0.0.1',
        dataDir: ownDir,
        adminKey: 'harness-admin-key-0123456789',
        demoToken: TOKEN,
      })
      try {
        await passesAndCleansUp(own, profile)
      } finally {
        await own.close()
        await rm(ownDir, { recursive: true, force: true })
      }
    },
  )

  it('behind its own rate limit (429 + integer Retry-After) the run waits, retries and still passes', async () => {
    const limitedDir = await mkdtemp(join(tmpdir(), 'scimc-harness-ref-rl-'))
    const limited = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: limitedDir,
      adminKey: 'harness-admin-key-0123456789',
      demoToken: TOKEN,
      rateLimit: 40,
    })
    try {
      const report = await runHarness({
        baseUrl: limited.scimBaseUrl,
        token: TOKEN,
        profile: 'okta',
        concurrency: 8,
      })
      const throttled = report.exchanges.filter((x) => x.response?.status === 429)
      expect(throttled.length).toBeGreaterThan(0)
      expect(throttled.every((x) => /^\d+$/.test(x.response!.headers['retry-after'] ?? ''))).toBe(
        true,
      )
      expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'error')).toEqual([])
      const rl = report.checks.find((c) => c.id === 'transport.rate_limit')!
      expect(rl.status).toBe('pass')
      expect(rl.message).toMatch(/all with an integer Retry-After/)
      expect(report.cleanup.leftovers).toEqual([])
    } finally {
      await limited.close()
      await rm(limitedDir, { recursive: true, force: true })
    }
  })

  it('read-only mode passes against it too', async () => {
    const report = await runHarness({
      baseUrl: server.scimBaseUrl,
      token: TOKEN,
      profile: 'okta',
      readOnly: true,
    })
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'error')).toEqual([])
  })
})
