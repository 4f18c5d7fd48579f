import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isScimErrorReason } from '../../src-shared/scim-error-reasons.ts'
import { startTestServer, TEST_TOKEN } from '../../test/support/test-server.ts'
import type { ScimInit, TestServer } from '../../test/support/test-server.ts'

/**
 * Every SCIM error the reference backend answers carries a catalogued reason code beside its
 * detail, and the provisioning event records it; driven through the real server.
 */

let t: TestServer

beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.stop()
})

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

const cases: Array<[string, string, ScimInit, number, string]> = [
  ['no Authorization header', '/Users', { token: null }, 401, 'auth.no_token'],
  ['an unregistered token', '/Users', { token: 'nobody-knows-this' }, 401, 'auth.token_unknown'],
  [
    '"Bearer Bearer <token>"',
    '/Users',
    { headers: { Authorization: `Bearer Bearer ${TEST_TOKEN}` } },
    401,
    'auth.bearer_doubled',
  ],
  [
    'the bare token',
    '/Users',
    { headers: { Authorization: TEST_TOKEN } },
    401,
    'auth.scheme_missing',
  ],
  [
    'the Basic scheme',
    '/Users',
    { headers: { Authorization: `Basic ${TEST_TOKEN}` } },
    401,
    'auth.scheme_wrong',
  ],
  ['an unknown endpoint', '/Widgets', {}, 404, 'request.no_endpoint'],
  [
    'a method the endpoint lacks',
    '/Schemas',
    { method: 'DELETE' },
    405,
    'request.method_not_allowed',
  ],
  ['an unknown user', '/Users/no-such-id', {}, 404, 'resource.not_found'],
  ['a malformed filter', '/Users?filter=userName%20eq', {}, 400, 'scim.invalid_filter'],
  [
    'a body that is not JSON',
    '/Users',
    { method: 'POST', body: '{"userName":', raw: true },
    400,
    'scim.invalid_syntax',
  ],
  [
    'an attribute of the wrong type',
    '/Users',
    { method: 'POST', body: { schemas: [USER], userName: 'x@acme.com', title: ['Engineer'] } },
    400,
    'scim.invalid_value',
  ],
  [
    'a text/plain body',
    '/Users',
    { method: 'POST', body: '{}', raw: true, headers: { 'Content-Type': 'text/plain' } },
    415,
    'request.media_type',
  ],
]

describe('SCIM error bodies carry a reason code', () => {
  for (const [what, path, init, status, reason] of cases) {
    it(`${what}: ${status} ${reason}`, async () => {
      const r = await t.scim(path, init)
      expect(r.status).toBe(status)
      expect(r.body).toMatchObject({ status: String(status), reason })
      expect(typeof r.body.detail).toBe('string')
      expect(isScimErrorReason(r.body.reason)).toBe(true)
    })
  }

  it('a taken userName is scim.uniqueness, and the event records the reason beside the detail', async () => {
    const body = { schemas: [USER], userName: 'dup@acme.com' }
    expect((await t.scim('/Users', { method: 'POST', body })).status).toBe(201)
    const r = await t.scim('/Users', { method: 'POST', body })
    expect(r.status).toBe(409)
    expect(r.body).toMatchObject({ scimType: 'uniqueness', reason: 'scim.uniqueness' })
    const page = await t.admin(`/tenants/${t.server.demoTenantId}/events?limit=1`)
    expect(page.body.items[0]).toMatchObject({
      status: 409,
      error: { status: '409', scimType: 'uniqueness', reason: 'scim.uniqueness' },
    })
  })
})
