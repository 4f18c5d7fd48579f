import { afterEach, describe, expect, it } from 'vitest'
import type { StreamState } from '../../src-shared/provisioning-event.ts'
import { ProvisioningLog } from './log-service.ts'
import { bodiesUnavailable, RETENTION_REASON } from './event-bodies.ts'
import {
  oktaAssign,
  oktaDeactivate,
  oktaLookupPath,
  startBackend,
  waitFor,
  type Backend,
} from '../../test/support/log-test-support.ts'

const open: Array<{ log?: ProvisioningLog; backend: Backend }> = []
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.log?.stop()
    await o.backend.dispose()
  }
})

describe('ProvisioningLog (the service the log screen and the CLI use)', () => {
  it('streams into the index live; the table query, one event, copy as curl and the story all read from it', async () => {
    const backend = await startBackend()
    const entry: { log?: ProvisioningLog; backend: Backend } = { backend }
    open.push(entry)
    const states: StreamState[] = []
    const log = new ProvisioningLog({
      adminBaseUrl: backend.server.adminBaseUrl,
      adminKey: backend.adminKey,
      tenantId: backend.server.demoTenantId,
      capacity: 1_000,
      onState: (s) => states.push(s),
      stream: { settleMs: 20, backoff: { initialMs: 50, maxMs: 200 } },
    })
    entry.log = log
    await log.start()
    await waitFor(() => log.state.state === 'live', 'live')
    const id = (await oktaAssign(backend.scim, 'jane@acme.com'))!
    await oktaDeactivate(backend.scim, id)
    await waitFor(() => log.stats().size === 3, 'three events in the index')
    expect(states.map((s) => s.state)).toEqual(['connecting', 'live'])

    const page = log.query({ filter: { method: ['PATCH'] }, limit: 10 })
    expect(page.total).toBe(1)
    const patch = page.events[0]!
    expect(log.event(patch.seq)?.outcome).toBe('deactivated')
    const curl = await log.curl(patch.seq)
    expect(curl).toContain(`curl -X PATCH '${backend.server.scimBaseUrl}/Users/${id}'`)
    expect(curl).toContain('"active":false')
    expect(curl).not.toContain(backend.demoToken)

    const story = await log.userStory('JANE@acme.com')
    expect(story.diagnosis.findings.map((f) => f.cause)).toEqual(['deactivated'])
    expect(story.indexed).toBe(3)
  })

  it('refuses an empty user search and an event that is not loaded, with codes the UI can branch on', async () => {
    const backend = await startBackend()
    const log = new ProvisioningLog({
      adminBaseUrl: backend.server.adminBaseUrl,
      adminKey: backend.adminKey,
      tenantId: backend.server.demoTenantId,
      stream: { live: false },
    })
    open.push({ log, backend })
    await log.start()
    await expect(log.userStory('  ')).rejects.toMatchObject({ code: 'log.bad_input' })
    await expect(log.curl(424242)).rejects.toMatchObject({ code: 'log.event_not_found' })
  })

  it('an unknown tenant stops the stream with the admin API’s 404 instead of retrying', async () => {
    const backend = await startBackend()
    const log = new ProvisioningLog({
      adminBaseUrl: backend.server.adminBaseUrl,
      adminKey: backend.adminKey,
      tenantId: 'no-such-tenant',
    })
    open.push({ log, backend })
    await expect(log.start()).rejects.toMatchObject({
      code: 'backend.http_error',
      details: { status: 404 },
    })
    expect(log.state.state).toBe('stopped')
  })

  it('reads bodies the budget dropped back from the reference backend for the detail, curl, export and story; a fetched event is kept for the next look', async () => {
    const backend = await startBackend()
    const tenantId = backend.server.demoTenantId
    await oktaAssign(backend.scim, 'jane@acme.com')
    await oktaAssign(backend.scim, 'bob@acme.com')
    const log = new ProvisioningLog({
      adminBaseUrl: backend.server.adminBaseUrl,
      adminKey: backend.adminKey,
      tenantId,
      bodyBudget: 0,
      stream: { live: false },
    })
    open.push({ log, backend })
    await log.start()
    const [janePost, bobPost] = log.query({ filter: { method: ['POST'] } }).events
    const lookup = log.query({ filter: { method: ['GET'] } }).events[0]!
    expect(log.index.bodiesHeld(janePost!.seq)).toBe(false)
    expect('requestBody' in log.event(janePost!.seq)!).toBe(false)
    expect(log.event(lookup.seq)!.requestBody).toBeNull()

    const stored = await backend.admin(
      `/tenants/${tenantId}/events?cursor=${janePost!.seq + 1}&limit=1`,
    )
    const detail = await log.eventDetail(janePost!.seq)
    expect(detail).toMatchObject({ seq: janePost!.seq, userName: 'jane@acme.com', status: 201 })
    expect(detail!.requestBody).toEqual(stored.body.items[0].requestBody)
    expect(detail!.responseBody).toEqual(stored.body.items[0].responseBody)
    expect((detail!.requestBody as { userName: string }).userName).toBe('jane@acme.com')

    const curl = await log.curl(janePost!.seq)
    expect(curl).toContain('--data-raw')
    expect(curl).toContain('"userName":"jane@acme.com"')

    let jsonl = ''
    for await (const chunk of log.export({ method: ['POST'] }, 'jsonl')) jsonl += chunk
    const exported = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { requestBody: { userName: string } })
    expect(exported.map((e) => e.requestBody.userName)).toEqual(['jane@acme.com', 'bob@acme.com'])

    const story = await log.userStory('bob@acme.com')
    const post = story.events.find((e) => e.seq === bobPost!.seq)!
    expect((post.requestBody as { userName: string }).userName).toBe('bob@acme.com')

    // With the backend down, a fetched event still comes from the small cache; another one says
    // why its bodies are missing instead of failing the detail.
    await backend.stop()
    expect((await log.eventDetail(janePost!.seq))!.requestBody).toEqual(detail!.requestBody)
    const other = await log.eventDetail(lookup.seq)
    expect(other).toMatchObject({ seq: lookup.seq, requestBody: null, method: 'GET' })
    expect(other!.responseBody).toMatch(
      /^\[body no longer available: it could not be read from the backend/,
    )
  })

  it("an event whose bodies were dropped and then pruned by the backend's retention shows its summary and says the bodies are no longer available", async () => {
    const backend = await startBackend({ retention: 10 })
    const tenantId = backend.server.demoTenantId
    await oktaAssign(backend.scim, 'jane@acme.com')
    const log = new ProvisioningLog({
      adminBaseUrl: backend.server.adminBaseUrl,
      adminKey: backend.adminKey,
      tenantId,
      bodyBudget: 0,
      stream: { live: false },
    })
    open.push({ log, backend })
    await log.start()
    const post = log.query({ filter: { method: ['POST'] } }).events[0]!
    // Retention (10, pruned once 256 over) deletes the oldest events.
    for (let i = 0; i < 280; i++) await backend.scim(oktaLookupPath(`later-${i}@acme.com`))
    const oldest = await backend.admin(`/tenants/${tenantId}/events?limit=1&cursor=${post.seq + 1}`)
    expect(oldest.body.items).toEqual([])

    const detail = await log.eventDetail(post.seq)
    expect(detail).toMatchObject({
      seq: post.seq,
      method: 'POST',
      userName: 'jane@acme.com',
      status: 201,
    })
    expect(detail!.requestBody).toBe(bodiesUnavailable(post.seq, RETENTION_REASON))
    expect(detail!.responseBody).toMatch(/no longer available: the backend's retention has pruned/)
    await expect(log.curl(post.seq)).rejects.toMatchObject({
      code: 'log.event_not_found',
      message: expect.stringMatching(/request body of event \d+ is no longer available/),
    })
  })
})
