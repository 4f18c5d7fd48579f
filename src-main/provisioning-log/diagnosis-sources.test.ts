import { afterEach, describe, expect, it } from 'vitest'
import { replayUser } from '../harness/replay-user.ts'
import { runHarness } from '../harness/runner.ts'
import { EventIndex } from './event-index.ts'
import { ProvisioningLog, type UserStoryResult } from './log-service.ts'
import { oktaAssign, startBackend, type Backend } from '../../test/support/log-test-support.ts'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'

/**
 * The diagnosis reasons over the IdP's traffic only. The pre-go-live test (the real harness, with
 * its expected 400/404/409s and its own users), the console's replay and curl all reach the same
 * tenant as Okta here; none of it may make the IdP look connected or a user look seen.
 */

const backends: Backend[] = []
afterEach(async () => {
  for (const b of backends.splice(0)) await b.dispose()
})

async function backend(): Promise<Backend> {
  const b = await startBackend()
  backends.push(b)
  return b
}

async function explain(b: Backend, user: string): Promise<UserStoryResult> {
  const log = new ProvisioningLog({
    adminBaseUrl: b.server.adminBaseUrl,
    adminKey: b.adminKey,
    tenantId: b.server.demoTenantId,
    stream: { live: false },
  })
  await log.start()
  return log.userStory(user)
}

async function harnessRun(b: Backend): Promise<void> {
  const report = await runHarness({
    baseUrl: b.server.scimBaseUrl,
    token: b.demoToken,
    profile: 'okta',
    importSize: 3,
  })
  expect(report.outcome).toBe('passed')
}

async function curl(b: Backend, path: string): Promise<void> {
  const res = await fetch(`${b.server.scimBaseUrl}${path}`, {
    headers: { Authorization: `Bearer ${b.demoToken}`, 'User-Agent': 'curl/8.5.0' },
  })
  await res.arrayBuffer()
}

describe('the diagnosis counts only the IdP’s traffic', () => {
  it('a user never sent: the count of events and other users is Okta’s, not the harness’s', async () => {
    const b = await backend()
    await harnessRun(b)
    await oktaAssign(b.scim, 'bob@acme.com')
    await harnessRun(b)
    await oktaAssign(b.scim, 'carol@acme.com')
    await curl(b, '/Users/nope')

    const story = await explain(b, 'jane@acme.com')
    expect(story.diagnosis.verdict).toBe('problem')
    expect(story.diagnosis.findings.map((f) => f.cause)).toEqual(['no_requests'])
    const f = story.diagnosis.findings[0]!
    // Okta: two users, a lookup and a create each. The harness made dozens of users and refusals.
    expect(f.title).toMatch(/while requests for 2 other users did\./)
    expect(f.explanation).toMatch(/the log has 4 events from it/)
    expect(f.explanation).toMatch(/; \d+ requests from test runs and other clients are not counted/)
    const ignored = Number(/; (\d+) requests from test runs/.exec(f.explanation)![1])
    expect(ignored).toBeGreaterThan(40)
  })

  it('only the harness ever reached the tenant: no request from the IdP, said as such', async () => {
    const b = await backend()
    await harnessRun(b)
    const story = await explain(b, 'jane@acme.com')
    expect(story.diagnosis.findings.map((f) => f.cause)).toEqual(['no_requests'])
    expect(story.diagnosis.findings[0]!.title).toMatch(
      /no request from the IdP reached it at all \(only \d+ requests from test runs and other clients\)/,
    )
  })

  it('a user only the console replayed: the timeline shows the replay, the diagnosis says the IdP never sent it', async () => {
    const b = await backend()
    await oktaAssign(b.scim, 'bob@acme.com')
    const replay = await replayUser({
      baseUrl: b.server.scimBaseUrl,
      token: b.demoToken,
      user: { userName: 'dana@acme.com' },
    })
    expect(replay.outcome).toBe('completed')
    const story = await explain(b, 'dana@acme.com')
    expect(story.events.map((e) => e.source)).toEqual(['replay', 'replay', 'replay'])
    expect(story.diagnosis.nextChecks.join(' ')).toMatch(
      /Only the console’s replay \(seq [\d, ]+\) sent requests for dana@acme\.com; the IdP never did/,
    )
    expect(story.diagnosis.findings.filter((f) => !f.resolved)).toEqual([])
  })

  it('401s from the harness’s own auth probes are not blamed on the IdP', async () => {
    const b = await backend()
    await oktaAssign(b.scim, 'bob@acme.com')
    await harnessRun(b)
    const story = await explain(b, 'jane@acme.com')
    expect(story.diagnosis.findings.map((f) => f.cause)).toEqual(['no_requests'])
    expect(story.diagnosis.findings[0]!.title).toMatch(/while requests for 1 other user did/)
  })
})

describe('EventIndex by source', () => {
  const event = (seq: number, source: ProvisioningEvent['source'], userName: string) =>
    ({
      seq,
      tenantId: 't',
      time: '2026-01-01T00:00:00Z',
      method: 'GET',
      path: '/Users',
      status: 200,
      durationMs: 1,
      resourceType: 'User',
      resourceId: null,
      userName,
      outcome: 'read',
      error: null,
      tokenHashPrefix: null,
      ...(source ? { source } : {}),
      requestBody: null,
      responseBody: null,
    }) satisfies ProvisioningEvent

  it('filters by source (an event without one is "unknown") and counts the IdP’s users apart', () => {
    const index = new EventIndex({ capacity: 10 })
    index.insertMany([
      event(1, 'idp', 'a@x'),
      event(2, 'harness', 'scimc-1-u'),
      event(3, undefined, 'b@x'),
      event(4, 'replay', 'c@x'),
      event(5, 'other', 'd@x'),
      event(6, 'harness', 'a@x'),
    ])
    const seqs = (source: NonNullable<ProvisioningEvent['source']>[]) =>
      index.query({ filter: { source } }).events.map((e) => e.seq)
    expect(seqs(['idp'])).toEqual([1])
    expect(seqs(['idp', 'unknown'])).toEqual([1, 3])
    expect(seqs(['harness', 'replay'])).toEqual([2, 4, 6])
    expect(index.distinctUserNames()).toBe(5)
    expect(index.distinctUserNames([], { idpOnly: true })).toBe(2)
    expect(index.distinctUserNames(['A@x'], { idpOnly: true })).toBe(1)
  })
})
