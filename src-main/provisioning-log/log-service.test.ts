import { afterEach, describe, expect, it } from 'vitest'
import type { StreamState } from '../../src-shared/provisioning-event.ts'
import { ProvisioningLog } from './log-service.ts'
import { oktaAssign, oktaDeactivate, startBackend, waitFor, type Backend } from './test-support.ts'

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
})
