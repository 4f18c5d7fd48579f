import { describe, expect, it } from 'vitest'
import { runHarness } from '../../src-main/harness/runner.ts'
import { startJacksonScimServer, type JacksonScimServer } from './jackson-scim-server.ts'

/**
 * The harness against an independent SCIM implementation from npm: Jackson's directory sync
 * (@boxyhq/saml-jackson, in-memory engine) behind its documented HTTP route. Every finding it
 * reports there is a real deviation, pinned and explained here; the last test shows the causes
 * with direct requests. Everything else passes.
 */

const findingsOf = (report: Awaited<ReturnType<typeof runHarness>>) =>
  Object.fromEntries(
    report.checks
      .filter((c) => c.status !== 'pass' && c.severity !== 'skip')
      .map((c) => [c.id, c.status]),
  )

/** What both profiles see, with Okta's severity (the entra test overrides what Entra grades up). */
const COMMON = {
  // Its errors carry schemas and detail but no status (RFC 7644 §3.12 REQUIRED): the 401s,
  // the 404s and the 409 alike; the 409 also lacks scimType "uniqueness".
  'auth.no_token': 'warn',
  'auth.wrong_token': 'warn',
  'errors.status_string': 'warn',
  'users.create.duplicate': 'warn',
  // The 401 has no WWW-Authenticate (RFC 6750 §3 MUST).
  'auth.www_authenticate': 'warn',
  // No /ServiceProviderConfig, /ResourceTypes or /Schemas: only /Users and /Groups exist.
  'discovery.service_provider_config': 'info',
  // Resources are the IdP's request body echoed back plus an id: no meta, no Location header,
  // and attributes/excludedAttributes are ignored.
  'users.create.location_meta': 'warn',
  'responses.location': 'warn',
  'responses.meta': 'warn',
  'responses.attributes': 'warn',
  // A user without userName is stored (its first e-mail becomes the key): no 400.
  'users.create.missing_user_name': 'warn',
  // DELETE answers 200 with the deleted resource (users) or {} (groups), not 204.
  'groups.delete': 'warn',
  // Every filter is `filter.split('eq ')[1]` looked up in one index keyed on the FIRST E-MAIL
  // (userName only when there is no e-mail), case-sensitively, and the index is written on
  // create only. So: a userName that is not an e-mail is never found, a second user with the
  // same userName and another e-mail is accepted, renames are not found, externalId and
  // emails[type eq "work"] filters miss, and a filter without " eq " throws (500).
  'identity.user_name_not_email': 'fail',
  'identity.same_user_name_other_email': 'fail',
  'identity.rename_patch': 'fail',
  'identity.group_rename': 'fail',
  'filters.user_name_case_insensitive': 'fail',
  'filters.invalid': 'warn',
  'transport.server_errors': 'warn',
  // totalResults is counted from one store page, capped at the engine's pageLimit (50), so an
  // import stops at 50; /Groups ignores startIndex and count and returns every group at once.
  'import.users': 'fail',
  // A group always reads back with members: [] (membership is kept aside, never returned).
  'groups.members': 'fail',
  // Its body parsing is the embedder's: the documented route's JSON.parse throws, a bare 500.
  'errors.malformed_json': 'warn',
  // The documented route answers with res.json(): application/json (text/plain for the 500s).
  'transport.content_type': 'warn',
} as const

describe('the harness against Jackson directory sync (@boxyhq/saml-jackson)', () => {
  it('okta: the lookup, rename, paging and membership failures, and the run leaves nothing behind', async () => {
    const server = await startJacksonScimServer({ type: 'okta-scim-v2' })
    try {
      const report = await runHarness({ baseUrl: server.baseUrl, token: server.token })
      expect(findingsOf(report)).toEqual({
        ...COMMON,
        'discovery.resource_types': 'info',
        'discovery.schemas': 'info',
        'users.delete': 'warn',
        'identity.rename_put': 'fail',
        'identity.email_external_id': 'warn',
        'filters.external_id': 'info',
        'filters.email_work': 'info',
        'import.groups': 'fail',
        // Okta's group rename is a PUT: the name changes, the members still read back [].
        'groups.rename': 'fail',
      })
      const by = Object.fromEntries(report.checks.map((c) => [c.id, c]))
      expect(by['import.users']!.message).toMatch(/totalResults 50, but this run alone created/)
      expect(by['import.groups']!.message).toMatch(/count=\d+ on \/Groups returned \d+ resources/)
      expect(by['identity.same_user_name_other_email']!.message).toMatch(
        /expected HTTP 409, got 201/,
      )
      expect(by['groups.rename']!.message).toMatch(/members are \[\]/)
      expect(by['filters.invalid']!.message).toMatch(/answered HTTP 500/)
      expect(report.outcome).toBe('failed')
      expect(report.cleanup.leftovers).toEqual([])
      expect(await server.liveResources()).toBe(0)
    } finally {
      await server.close()
    }
  })

  it('entra: also its capitalised PATCH ops ignored and its "False" stored as a string', async () => {
    // Not type azure-scim-v2: Jackson gives that one the URL ".../<id>?aadOptscim062020" (Entra's
    // opt-in flag), and the harness takes a base URL without a query. The SCIM code is the same.
    const server = await startJacksonScimServer({ type: 'generic-scim-v2' })
    try {
      const report = await runHarness({
        baseUrl: server.baseUrl,
        token: server.token,
        profile: 'entra',
      })
      expect(findingsOf(report)).toEqual({
        ...COMMON,
        'discovery.resource_types': 'warn',
        'discovery.schemas': 'warn',
        'users.delete': 'fail',
        'identity.email_external_id': 'fail',
        'filters.external_id': 'fail',
        'filters.external_id_unquoted': 'warn',
        'filters.email_work': 'warn',
        'import.groups': 'warn',
        // Entra's "active": "False" is stored verbatim: the user stays active to the app.
        'users.lifecycle.deactivate_reactivate': 'fail',
        'patch.entra_string_boolean': 'fail',
        // Group ops are compared with op === 'replace': Entra's "Replace" of displayName is dropped.
        'groups.rename': 'fail',
        // The enterprise manager path is lodash.set on the raw body: it lands under a split key.
        'users.manager': 'warn',
      })
      const by = Object.fromEntries(report.checks.map((c) => [c.id, c]))
      expect(by['patch.entra_string_boolean']!.message).toMatch(/"False"/)
      expect(by['groups.rename']!.message).toMatch(/displayName reads back as/)
      expect(report.cleanup.leftovers).toEqual([])
      expect(await server.liveResources()).toBe(0)
    } finally {
      await server.close()
    }
  })

  it('direct requests show the causes: first-e-mail index, stale after rename, capped totals, no members', async () => {
    const server = await startJacksonScimServer()
    const send = jsonClient(server)
    try {
      const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
      const a = await send('POST', '/Users', {
        schemas: [USER],
        userName: 'jdoe',
        emails: [{ value: 'jane@acme.example', primary: true }],
      })
      expect(a.status).toBe(201)
      const id = (a.body as { id: string }).id
      const count = async (filter: string) =>
        (
          (await send('GET', `/Users?filter=${encodeURIComponent(filter)}`)).body as {
            totalResults: number
          }
        ).totalResults
      // The userName misses; the e-mail "is" the userName; any attribute is an e-mail lookup.
      expect(await count('userName eq "jdoe"')).toBe(0)
      expect(await count('userName eq "jane@acme.example"')).toBe(1)
      expect(await count('externalId eq "jane@acme.example"')).toBe(1)
      // A second jdoe with another e-mail is accepted.
      const twin = await send('POST', '/Users', {
        schemas: [USER],
        userName: 'jdoe',
        emails: [{ value: 'john@acme.example' }],
      })
      expect(twin.status).toBe(201)
      // After a PUT that changes the e-mail, the old one still finds her and the new one does not.
      const put = await send('PUT', `/Users/${id}`, {
        schemas: [USER],
        userName: 'jdoe',
        emails: [{ value: 'jane.doe@acme.example', primary: true }],
      })
      expect(put.status).toBe(200)
      expect(await count('userName eq "jane.doe@acme.example"')).toBe(0)
      expect(await count('userName eq "jane@acme.example"')).toBe(1)

      // 60 users: totalResults says 50 (the store's page limit), and so does every page.
      await Promise.all(
        Array.from({ length: 58 }, (_, i) =>
          send('POST', '/Users', { schemas: [USER], userName: `u${i}@acme.example` }),
        ),
      )
      const page = (await send('GET', '/Users?startIndex=1&count=100')).body as {
        totalResults: number
        Resources: unknown[]
      }
      expect(page).toMatchObject({ totalResults: 50 })
      expect(page.Resources).toHaveLength(50)

      // Okta's membership PATCH is accepted, and the group still reads back without members.
      const g = await send('POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Engineering',
      })
      const gid = (g.body as { id: string }).id
      const add = await send('PATCH', `/Groups/${gid}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
      })
      expect(add.status).toBe(200)
      expect((await send('GET', `/Groups/${gid}`)).body).toMatchObject({ members: [] })

      // Entra's string boolean is kept as a string.
      await send('PATCH', `/Users/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      })
      expect((await send('GET', `/Users/${id}`)).body).toMatchObject({ active: 'False' })

      // The 401: no WWW-Authenticate, no status; every answer is application/json.
      const denied = await fetch(`${server.baseUrl}/Users`, {
        headers: { Authorization: 'Bearer wrong' },
      })
      expect(denied.status).toBe(401)
      expect(denied.headers.get('www-authenticate')).toBeNull()
      expect(denied.headers.get('content-type')).toMatch(/^application\/json/)
      expect(await denied.json()).not.toHaveProperty('status')
    } finally {
      await server.close()
    }
  })
})

function jsonClient(server: JacksonScimServer) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${server.token}`,
        ...(body ? { 'Content-Type': 'application/scim+json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: res.status, body: (await res.json()) as unknown }
  }
}
