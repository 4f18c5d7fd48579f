import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { contract, type ChannelOutput } from '../../src-shared/contract.ts'
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../../test/support/test-server.ts'
import { call } from '../dispatcher.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'

let t: HandlerTestContext
let other: TestServer

beforeAll(async () => {
  t = await openHandlerTestContext()
  other = await startTestServer()
})
afterAll(async () => {
  await t.close()
  await other.stop()
})

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

describe('connections handlers', () => {
  it('reports the memory store without starting any backend', async () => {
    expect(value(await call(t.dispatch, 'secrets.storeInfo', {}))).toEqual({
      kind: 'memory',
      memoryOnly: true,
    })
    expect(t.services.backends.embedded()).toBeNull()
  })

  it('starts the embedded backend on first use when nothing is saved, with its demo tenant', async () => {
    const list = value(await call(t.dispatch, 'connections.list', {}))
    expect(list.defaultConnection).toBe('embedded')
    expect(list.secretStore.memoryOnly).toBe(true)
    const embedded = list.connections[0]!
    expect(embedded).toMatchObject({ name: 'embedded', embedded: true, adminKeyStored: true })
    expect(embedded.adminBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin\/v1$/)
    expect(embedded.defaultTenantId).toBe(t.services.backends.embedded()!.tenantId)

    const tested = value(await call(t.dispatch, 'connections.test', { connection: 'embedded' }))
    expect(tested.tenants.map((x) => x.id)).toContain(embedded.defaultTenantId)
  })

  it('adds, tests, edits and removes a saved connection; the admin key never comes back', async () => {
    const added = await call(t.dispatch, 'connections.add', {
      name: 'other',
      adminBaseUrl: other.server.adminBaseUrl,
      adminKey: TEST_ADMIN_KEY,
    })
    expect(value(added)).toEqual({ name: 'other', adminBaseUrl: other.server.adminBaseUrl })
    const list = value(await call(t.dispatch, 'connections.list', {}))
    expect(list.connections.map((c) => c.name)).toEqual(['embedded', 'other'])
    expect(JSON.stringify(list)).not.toContain(TEST_ADMIN_KEY)

    const tested = value(await call(t.dispatch, 'connections.test', { connection: 'other' }))
    expect(tested.tenants.map((x) => x.id)).toEqual([other.server.demoTenantId])

    // A wrong key is stored, then the test says so with the backend's 401 code.
    value(await call(t.dispatch, 'connections.edit', { name: 'other', adminKey: 'wrong-key' }))
    const refused = await call(t.dispatch, 'connections.test', { connection: 'other' })
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.error.code).toBe('backend.unauthorized')

    value(await call(t.dispatch, 'connections.remove', { name: 'other' }))
    const after = value(await call(t.dispatch, 'connections.list', {}))
    expect(after.connections.map((c) => c.name)).toEqual(['embedded'])
  })

  it('refuses a bad URL with a hint and saves nothing', async () => {
    const bad = await call(t.dispatch, 'connections.add', {
      name: 'broken',
      adminBaseUrl: 'ftp://example.com',
      adminKey: 'k',
    })
    expect(!bad.ok && bad.error.code).toBe('connection.bad_input')
    expect(!bad.ok && bad.error.hint).toBeTruthy()
    const list = value(await call(t.dispatch, 'connections.list', {}))
    expect(list.connections.map((c) => c.name)).toEqual(['embedded'])
  })

  it('gives the tenant overview: SP values, SCIM base URL, tokens, recent events', async () => {
    const tenantId = t.services.backends.embedded()!.tenantId
    const overview = value(
      await call(t.dispatch, 'connections.overview', { connection: 'embedded', tenantId }),
    )
    expect(overview.tenant.id).toBe(tenantId)
    expect(overview.tenant.name).toBe('Demo tenant')
    expect(overview.sso.configured).toBe(false)
    expect(overview.sso.sp.acsUrl).toMatch(/^http/)
    expect(overview.scim.baseUrl).toMatch(/\/scim\/v2$/)
    expect(overview.scim.tokens.some((x) => x.label === 'demo')).toBe(true)
    expect(Array.isArray(overview.recentEvents)).toBe(true)
  })
})

/** Every property name anywhere in a JSON schema. */
function propertyNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => propertyNames(s, out))
  else if (schema && typeof schema === 'object') {
    const props = (schema as { properties?: Record<string, unknown> }).properties
    if (props) Object.keys(props).forEach((k) => out.add(k))
    Object.values(schema).forEach((v) => propertyNames(v, out))
  }
  return out
}

describe('secret-free outputs', () => {
  const secretFree = ['connections.list', 'connections.overview', 'tokens.list'] as const

  it.each(secretFree)(
    '%s has no field that could carry a secret, and is closed to extra ones',
    (channel) => {
      const schema = z.toJSONSchema(contract[channel].output, { io: 'output' })
      const names = [...propertyNames(schema)]
      expect(names.length).toBeGreaterThan(3)
      for (const name of names)
        expect(name).not.toMatch(/^(secret|password|adminKey|last4|plaintext|token|bearer)$/i)
      // Strict objects: a service that starts returning a secret field fails the output check.
      expect(JSON.stringify(schema)).toContain('"additionalProperties":false')
    },
  )

  it('drops the output of a handler that returns an extra field (output off contract)', () => {
    const parsed = contract['tokens.list'].output.safeParse({
      tenantId: 't',
      scimBaseUrl: 'http://x/scim/v2',
      tokens: [],
      idpWindow: { window: 100, complete: true },
      revoked: [],
      orphanedKeychainEntries: 0,
      secret: 'scimc_leak',
    } satisfies ChannelOutput<'tokens.list'> & { secret: string })
    expect(parsed.success).toBe(false)
  })
})
