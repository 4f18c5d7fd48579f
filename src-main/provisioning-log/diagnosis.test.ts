import { afterEach, describe, expect, it } from 'vitest'
import { userStorySchema } from '../../src-shared/provisioning-diagnosis.ts'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { diagnose } from './diagnosis.ts'
import { EventIndex } from './event-index.ts'
import { ProvisioningLog, type UserStoryResult } from './log-service.ts'
import {
  createTenant,
  entraProvision,
  oktaAssign,
  oktaDeactivate,
  oktaLookupPath,
  oktaPushGroup,
  oktaUser,
  scimCall,
  startBackend,
  type Backend,
} from '../../test/support/log-test-support.ts'
import { buildUserStory } from './user-story.ts'

/**
 * Each cause of "the user is not showing up" (SCIM-REFERENCE.md §5) is produced for real: the
 * IdP's request sequence (§3 Okta, §4 Entra) is sent with fetch to the reference backend, the
 * console loads the tenant's log through the admin API and explains one user.
 */

const backends: Backend[] = []
afterEach(async () => {
  for (const b of backends.splice(0)) await b.dispose()
})

async function backend(options: Parameters<typeof startBackend>[0] = {}): Promise<Backend> {
  const b = await startBackend(options)
  backends.push(b)
  return b
}

async function explain(
  b: Backend,
  user: string,
  tenantId = b.server.demoTenantId,
): Promise<UserStoryResult> {
  const log = new ProvisioningLog({
    adminBaseUrl: b.server.adminBaseUrl,
    adminKey: b.adminKey,
    tenantId,
    stream: { live: false },
  })
  await log.start()
  return log.userStory(user)
}

function causes(story: UserStoryResult, opts: { open?: boolean } = {}): string[] {
  return story.diagnosis.findings
    .filter((f) => (opts.open ? !f.resolved : true))
    .map((f) => f.cause)
}

describe('diagnosis against the reference backend with real IdP request sequences', () => {
  it('a healthy user (Okta: lookup, create) gets no problem and shows the whole timeline', async () => {
    const b = await backend()
    const id = await oktaAssign(b.scim, 'jane.doe@acme.com')
    expect(id).toBeDefined()
    const story = await explain(b, 'Jane.Doe@acme.com')
    expect(story.diagnosis.verdict).toBe('healthy')
    expect(story.diagnosis.findings).toEqual([])
    expect(story.current).toMatchObject({ kind: 'found', user: { id, active: true } })
    expect(story.events.map((e) => `${e.method} ${e.status}`)).toEqual(['GET 200', 'POST 201'])
    expect(story.events[0]!.outcome).toBe('lookup_empty')
    // The shape the renderer receives.
    expect(userStorySchema.safeParse(story).success).toBe(true)
  })

  it('the story can be searched by SCIM id, external id and email too', async () => {
    const b = await backend()
    const id = (await oktaAssign(b.scim, 'sam.lee@acme.com', {
      extra: {
        externalId: '00uSAM',
        emails: [{ primary: true, value: 'sam@mail.acme.com', type: 'work' }],
      },
    }))!
    await oktaDeactivate(b.scim, id)
    for (const q of [id, '00uSAM', 'sam@mail.acme.com']) {
      const story = await explain(b, q)
      expect(story.events.map((e) => e.method)).toEqual(['GET', 'POST', 'PATCH'])
      expect(story.current.kind).toBe('found')
    }
  })

  it('no request for the user ever arrived while others did (not assigned in Okta)', async () => {
    const b = await backend()
    await oktaAssign(b.scim, 'bob@acme.com')
    await oktaAssign(b.scim, 'carol@acme.com')
    const story = await explain(b, 'jane@acme.com')
    expect(story.diagnosis.verdict).toBe('problem')
    expect(causes(story)).toEqual(['no_requests'])
    const f = story.diagnosis.findings[0]!
    expect(f.title).toMatch(/requests for 2 other users did/)
    expect(f.fix).toMatch(/Assign jane@acme.com/)
  })

  it('nothing reaches the tenant: a wrong base URL (no /v2)', async () => {
    const b = await backend()
    // Okta's lookup to a base URL missing /v2: the backend answers 404 and no tenant is involved.
    const wrongBase = `${b.server.url}/scim`
    const r1 = await scimCall(wrongBase, b.demoToken, oktaLookupPath('jane@acme.com'))
    expect(r1.status).toBe(404)
    const story = await explain(b, 'jane@acme.com')
    expect(causes(story)).toEqual(['no_requests'])
    const f = story.diagnosis.findings[0]!
    expect(f.title).toMatch(/no SCIM request reached it at all/)
    expect(f.explanation).toMatch(/base URL/)
    expect(f.fix).toMatch(/WITHOUT a "Bearer " prefix/)
  })

  it('"Bearer " pasted into Okta\'s token field ("Bearer Bearer <token>"): the 401s are in the tenant\'s log and the fix says to remove it', async () => {
    const b = await backend()
    const t = await createTenant(b, 'Acme')
    // Okta's assignment sequence with the doubled scheme: the lookup is refused, so no create.
    const id = await oktaAssign(b.scim, 'jane@acme.com', {
      authorization: `Bearer Bearer ${t.token}`,
    })
    expect(id).toBeUndefined()
    const story = await explain(b, 'jane@acme.com', t.tenantId)
    expect(causes(story)).toEqual(['auth_rejected'])
    const f = story.diagnosis.findings[0]!
    expect(f.title).toMatch(/rejected with 401/)
    expect(f.explanation).toMatch(/"Bearer " was pasted into the IdP's token field/)
    expect(f.explanation).toMatch(/sent as "Bearer Bearer …"/)
    expect(f.fix).toMatch(/Remove the "Bearer " you pasted into the IdP's token field/)
    expect(story.events.find((e) => e.status === 401)?.error?.reason).toBe('auth.bearer_doubled')
    expect(f.evidence.map((e) => e.summary)).toEqual([
      expect.stringMatching(/GET \/Users\?filter=.* → 401/),
    ])
    expect(JSON.stringify(story)).not.toContain(t.token)
    // Once the field is fixed, Okta's next attempt gets through and the 401 is history.
    expect(await oktaAssign(b.scim, 'jane@acme.com', { token: t.token })).toBeDefined()
    const after = await explain(b, 'jane@acme.com', t.tenantId)
    expect(causes(after, { open: true })).toEqual([])
  })

  it('the token sent without the "Bearer " scheme: recorded in the tenant\'s log, and the fix names bearer authentication', async () => {
    const b = await backend()
    const t = await createTenant(b, 'Acme')
    expect(await oktaAssign(b.scim, 'jane@acme.com', { authorization: t.token })).toBeUndefined()
    const story = await explain(b, 'jane@acme.com', t.tenantId)
    expect(causes(story)).toEqual(['auth_rejected'])
    const f = story.diagnosis.findings[0]!
    expect(f.explanation).toMatch(/without the "Bearer " scheme/)
    expect(f.fix).toMatch(/"HTTP Header" auth/)
    expect(story.events.find((e) => e.status === 401)?.error?.reason).toBe('auth.scheme_missing')
  })

  it('the token sent with the Basic scheme: the reason is auth.scheme_wrong and the fix names bearer authentication', async () => {
    const b = await backend()
    const t = await createTenant(b, 'Acme')
    const sent = await oktaAssign(b.scim, 'jane@acme.com', { authorization: `Basic ${t.token}` })
    expect(sent).toBeUndefined()
    const story = await explain(b, 'jane@acme.com', t.tenantId)
    expect(causes(story)).toEqual(['auth_rejected'])
    expect(story.events.find((e) => e.status === 401)?.error?.reason).toBe('auth.scheme_wrong')
    const f = story.diagnosis.findings[0]!
    expect(f.explanation).toMatch(/another authentication scheme \(such as Basic\)/)
    expect(f.fix).toMatch(/Switch the IdP app to bearer authentication/)
  })

  it('a revoked token sent as "Bearer Bearer …": both mistakes are named', async () => {
    const b = await backend()
    const t = await createTenant(b, 'Acme')
    const revoke = await b.admin(`/tenants/${t.tenantId}/scim/tokens/${t.tokenId}`, {
      method: 'DELETE',
    })
    expect(revoke.status).toBe(204)
    const sent = await oktaAssign(b.scim, 'jane@acme.com', {
      authorization: `Bearer Bearer ${t.token}`,
    })
    expect(sent).toBeUndefined()
    const story = await explain(b, 'jane@acme.com', t.tenantId)
    expect(story.events.find((e) => e.status === 401)?.error?.reason).toBe(
      'auth.bearer_doubled_revoked',
    )
    const f = story.diagnosis.findings[0]!
    expect(f.explanation).toMatch(/Bearer Bearer …"; that token is also revoked/)
    expect(f.fix).toMatch(/current SCIM token \(without "Bearer "\)/)
  })

  it('the IdP uses the token of another tenant: the requests are found there', async () => {
    const b = await backend()
    const other = await createTenant(b, 'Acme staging')
    await oktaAssign(b.scim, 'jane@acme.com', { token: other.token })
    const story = await explain(b, 'jane@acme.com')
    expect(causes(story)).toEqual(['token_other_tenant'])
    expect(story.diagnosis.findings[0]!.explanation).toContain(other.tenantId)
    expect(story.diagnosis.findings[0]!.explanation).toContain('Acme staging')
  })

  it('requests rejected with 401 because the token was revoked', async () => {
    const b = await backend()
    const t = await createTenant(b, 'Acme')
    await oktaAssign(b.scim, 'bob@acme.com', { token: t.token })
    expect(
      (await b.admin(`/tenants/${t.tenantId}/scim/tokens/${t.tokenId}`, { method: 'DELETE' }))
        .status,
    ).toBe(204)
    expect(await oktaAssign(b.scim, 'jane@acme.com', { token: t.token })).toBeUndefined()
    const story = await explain(b, 'jane@acme.com', t.tenantId)
    expect(causes(story)).toEqual(['auth_rejected'])
    const f = story.diagnosis.findings[0]!
    expect(f.explanation).toMatch(/revoked/)
    expect(f.fix).toMatch(/current token/)
    expect(f.evidence[0]!.summary).toMatch(/GET \/Users\?filter=.* → 401/)
    // The token itself never appears in the explanation.
    expect(JSON.stringify(story)).not.toContain(t.token)
  })

  it('lookup found nothing and the create got 409: Entra matches on externalId, the user exists under that userName', async () => {
    const b = await backend()
    await oktaAssign(b.scim, 'jyoung@acme.com')
    const r = await entraProvision(b.scim, { userName: 'jyoung@acme.com', externalId: 'jyoung' })
    expect(r).toMatchObject({ lookup: 200, create: 409 })
    const story = await explain(b, 'jyoung@acme.com')
    expect(causes(story, { open: true })).toEqual(['lookup_miss_conflict'])
    const f = story.diagnosis.findings.find((x) => x.cause === 'lookup_miss_conflict')!
    expect(f.title).toMatch(/Filter mismatch: the IdP looked the user up by externalId "jyoung"/)
    expect(f.evidence.map((e) => e.summary)).toEqual([
      expect.stringMatching(/GET .*externalId.* → 200/),
      expect.stringMatching(/POST \/Users → 409/),
    ])
  })

  it('created, then looked up (found) and POSTed again: the 409 is paired with the lookup that found the user, not the older empty one', async () => {
    const b = await backend()
    // Okta's own sequence for Jane.Doe: lookup (empty), create (201).
    expect(await oktaAssign(b.scim, 'Jane.Doe@x.test')).toBeDefined()
    // Then a client that looks jane.doe up, finds her, and creates her anyway.
    const found = await b.scim(oktaLookupPath('jane.doe@x.test'))
    expect(found.status).toBe(200)
    expect(found.body.totalResults).toBe(1)
    const dup = await b.scim('/Users', { method: 'POST', body: oktaUser('jane.doe@x.test') })
    expect(dup.status).toBe(409)

    const story = await explain(b, 'jane.doe@x.test')
    expect(causes(story, { open: true })).toEqual(['lookup_miss_conflict'])
    const f = story.diagnosis.findings.find((x) => x.cause === 'lookup_miss_conflict')!
    expect(f.title).toBe(
      'The IdP created "jane.doe@x.test" although its lookup just found the user (409).',
    )
    expect(f.explanation).toMatch(/client bug/)
    expect(f.explanation).toMatch(/second app instance/)
    // The verdict line counts; the title is told once, by the finding.
    expect(story.diagnosis.summary).toBe('One open problem for jane.doe@x.test, explained below.')
    // Never the old story: the server hiding users from filters.
    expect(f.explanation).not.toMatch(/hides an existing user/)
    // The evidence is the second lookup (200, found) and the 409; not the first, empty lookup.
    const firstLookup = story.events.find((e) => e.method === 'GET')!
    const secondLookup = story.events.filter((e) => e.method === 'GET').at(-1)!
    expect(firstLookup.outcome).toBe('lookup_empty')
    expect(secondLookup.outcome).not.toBe('lookup_empty')
    const conflict = story.events.find((e) => e.status === 409)!
    expect(f.evidence.map((e) => e.seq)).toEqual([secondLookup.seq, conflict.seq])
    expect(f.evidence.map((e) => e.seq)).not.toContain(firstLookup.seq)
  })

  it('a lookup that found nothing before THIS create still tells the server-hides-users story', async () => {
    const b = await backend()
    expect(await oktaAssign(b.scim, 'Jane.Doe@x.test')).toBeDefined()
    // A second create with no lookup of its own: the first create's lookup must not be used.
    const dup = await b.scim('/Users', { method: 'POST', body: oktaUser('Jane.Doe@x.test') })
    expect(dup.status).toBe(409)
    const story = await explain(b, 'Jane.Doe@x.test')
    const f = story.diagnosis.findings.find((x) => x.cause === 'lookup_miss_conflict')!
    // No lookup between the first create and this POST: the create came without one.
    expect(f.title).toMatch(/^Creating this user failed with 409/)
  })

  it('the create is rejected with 400 naming the attribute', async () => {
    const b = await backend()
    // A custom Okta mapping that sends title as a list.
    expect(
      await oktaAssign(b.scim, 'jane@acme.com', { extra: { title: ['Engineer'] } }),
    ).toBeUndefined()
    const story = await explain(b, 'jane@acme.com')
    expect(causes(story)).toEqual(['create_rejected'])
    expect(story.diagnosis.findings[0]!.title).toMatch(/attribute "title"/)
    expect(story.diagnosis.findings[0]!.fix).toMatch(/mapping of "title"/)
  })

  it('the user was deactivated (Okta unassign: PATCH active false without path)', async () => {
    const b = await backend()
    const id = (await oktaAssign(b.scim, 'jane@acme.com'))!
    expect(await oktaDeactivate(b.scim, id)).toBe(200)
    const story = await explain(b, 'jane@acme.com')
    expect(story.diagnosis.verdict).toBe('problem')
    expect(causes(story)).toEqual(['deactivated'])
    expect(story.diagnosis.findings[0]!.evidence[0]!.summary).toMatch(/PATCH \/Users\/.* → 200/)
    expect(story.current).toMatchObject({ kind: 'found', user: { active: false } })
  })

  it('the user was deleted (Entra hard delete)', async () => {
    const b = await backend()
    const r = await entraProvision(b.scim, { userName: 'jane@acme.com', externalId: 'jane' })
    expect((await b.scim(`/Users/${r.id}`, { method: 'DELETE' })).status).toBe(204)
    const story = await explain(b, 'jane@acme.com')
    expect(causes(story)).toEqual(['deleted'])
    expect(story.current.kind).toBe('not_found')
  })

  it('a group was pushed but the user is not a member because not assigned', async () => {
    const b = await backend()
    const aliceId = (await oktaAssign(b.scim, 'alice@acme.com'))!
    await oktaPushGroup(b.scim, 'Engineering', [{ id: aliceId, userName: 'alice@acme.com' }])
    const story = await explain(b, 'jane@acme.com')
    expect(causes(story)).toEqual(['no_requests', 'not_in_group'])
    const f = story.diagnosis.findings[1]!
    expect(f.explanation).toMatch(/assigned to the app/)
    expect(f.evidence.length).toBeGreaterThan(0)
    // Alice's own story includes the group push that names her.
    const alice = await explain(b, 'alice@acme.com')
    expect(
      alice.events.some((e) => e.resourceType === 'Group' && e.outcome === 'membership_changed'),
    ).toBe(true)
    expect(alice.diagnosis.verdict).toBe('healthy')
  })

  it('rate limited (429 with Retry-After) and waiting', async () => {
    // One request per 5 s: Okta's lookup takes the only token, the create right after gets 429.
    const b = await backend({ rateLimit: 0.2 })
    expect(await oktaAssign(b.scim, 'jane@acme.com')).toBeUndefined()
    const story = await explain(b, 'jane@acme.com')
    expect(causes(story)).toEqual(['rate_limited'])
    expect(story.diagnosis.findings[0]!.explanation).toMatch(/Retry-After \d+ s/)
  })

  it('the IdP looked the user up but never created it: inconclusive, says what to check next', async () => {
    const b = await backend()
    await b.scim(oktaLookupPath('jane@acme.com'))
    const story = await explain(b, 'jane@acme.com')
    expect(story.diagnosis.verdict).toBe('inconclusive')
    expect(story.diagnosis.nextChecks.join(' ')).toMatch(/Create Users/)
  })
})

// ---- causes the reference backend cannot produce: synthetic events in the index ----

function synthetic(seq: number, over: Partial<ProvisioningEvent>): ProvisioningEvent {
  return {
    seq,
    tenantId: 't1',
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    method: 'GET',
    path: '/Users',
    status: 200,
    durationMs: 10,
    resourceType: 'User',
    resourceId: null,
    userName: null,
    outcome: 'read',
    error: null,
    tokenHashPrefix: 'abcd1234',
    requestBody: null,
    responseBody: null,
    ...over,
  }
}

describe('diagnosis of causes the reference backend cannot produce (synthetic events)', () => {
  it('slow responses near the 60 s limit (synthetic: the reference backend answers fast)', async () => {
    const index = new EventIndex({ capacity: 10 })
    index.insertMany([
      synthetic(1, {
        path: oktaLookupPath('jane@acme.com'),
        outcome: 'lookup_empty',
        durationMs: 52_000,
      }),
      synthetic(2, {
        method: 'POST',
        path: '/Users',
        status: 201,
        durationMs: 61_500,
        userName: 'jane@acme.com',
        resourceId: 'j1',
        outcome: 'created',
        requestBody: oktaUser('jane@acme.com'),
      }),
      synthetic(3, {
        method: 'POST',
        path: '/Users',
        status: 409,
        userName: 'jane@acme.com',
        outcome: 'rejected',
        error: { status: '409', scimType: 'uniqueness', detail: 'exists' },
      }),
    ])
    const story = await buildUserStory({ index, query: 'jane@acme.com', tenantId: 't1' })
    const d = diagnose({ ...story, current: { kind: 'not_found' } })
    const slow = d.findings.find((f) => f.cause === 'slow_responses')!
    expect(slow.title).toMatch(/longer than the IdP's 60 s limit/)
    expect(slow.evidence.map((e) => e.seq)).toEqual([1, 2])
    expect(slow.resolved).toBe(false)
  })

  it('case mismatch: lookup of "Jane@Acme.com" found nothing though "jane@acme.com" exists (synthetic: the reference backend matches case-insensitively)', async () => {
    const index = new EventIndex({ capacity: 10 })
    index.insertMany([
      synthetic(1, { path: oktaLookupPath('Jane@Acme.com'), outcome: 'lookup_empty' }),
      synthetic(2, {
        method: 'POST',
        path: '/Users',
        status: 409,
        userName: 'Jane@Acme.com',
        outcome: 'rejected',
        requestBody: oktaUser('Jane@Acme.com'),
        error: {
          status: '409',
          scimType: 'uniqueness',
          detail: 'User already exists in the database.',
        },
      }),
    ])
    const story = await buildUserStory({ index, query: 'jane@acme.com', tenantId: 't1' })
    const d = diagnose({
      ...story,
      current: {
        kind: 'found',
        matchedBy: 'userName',
        user: {
          id: 'u1',
          userName: 'jane@acme.com',
          active: true,
          externalId: null,
          displayName: null,
          groups: [],
        },
      },
    })
    expect(d.verdict).toBe('problem')
    expect(d.findings[0]!.title).toMatch(/^Case mismatch/)
  })

  it('a 401 that a later success resolved is kept for the record but does not make a healthy user a problem', async () => {
    const index = new EventIndex({ capacity: 10 })
    index.insertMany([
      synthetic(1, {
        path: oktaLookupPath('jane@acme.com'),
        status: 401,
        outcome: 'rejected',
        error: {
          status: '401',
          detail: 'This SCIM token was revoked.',
          reason: 'auth.token_revoked',
        },
      }),
      synthetic(2, { path: oktaLookupPath('jane@acme.com'), outcome: 'lookup_empty' }),
      synthetic(3, {
        method: 'POST',
        path: '/Users',
        status: 201,
        userName: 'jane@acme.com',
        resourceId: 'j1',
        outcome: 'created',
      }),
    ])
    const story = await buildUserStory({ index, query: 'jane@acme.com', tenantId: 't1' })
    const d = diagnose({
      ...story,
      current: {
        kind: 'found',
        matchedBy: 'userName',
        user: {
          id: 'j1',
          userName: 'jane@acme.com',
          active: true,
          externalId: null,
          displayName: null,
          groups: [],
        },
      },
    })
    expect(d.verdict).toBe('healthy')
    expect(d.findings.map((f) => [f.cause, f.resolved])).toEqual([['auth_rejected', true]])
  })
})

describe('the diagnosis branches on reason codes, not on the wording of the detail (synthetic events)', () => {
  async function authFindingFor(error: ProvisioningEvent['error']) {
    const index = new EventIndex({ capacity: 10 })
    index.insertMany([
      synthetic(1, {
        path: oktaLookupPath('jane@acme.com'),
        status: 401,
        outcome: 'rejected',
        error,
      }),
    ])
    const story = await buildUserStory({ index, query: 'jane@acme.com', tenantId: 't1' })
    const d = diagnose(story)
    expect(d.findings.map((f) => f.cause)).toEqual(['auth_rejected'])
    return d.findings[0]!
  }

  it('a reworded detail with the reason auth.bearer_doubled is still the doubled scheme', async () => {
    const f = await authFindingFor({
      status: '401',
      detail: 'Wrong header (reworded by a newer backend).',
      reason: 'auth.bearer_doubled',
    })
    expect(f.explanation).toMatch(/"Bearer " was pasted into the IdP's token field/)
  })

  it('a detail that reads like the doubled scheme but carries another reason follows the reason', async () => {
    const f = await authFindingFor({
      status: '401',
      detail: 'The token is right but was sent as "Bearer Bearer …".',
      reason: 'auth.token_unknown',
    })
    expect(f.explanation).toMatch(/not registered with any tenant/)
    expect(f.explanation).not.toMatch(/was pasted into/)
  })

  it('an event recorded before reasons existed gets the general token advice and quotes the detail', async () => {
    const f = await authFindingFor({ status: '401', detail: 'Sent as "Bearer Bearer …".' })
    expect(f.explanation).toMatch(/wrong or expired/)
    expect(f.explanation).toContain('the backend said: "Sent as "Bearer Bearer …"."')
  })
})

describe('user story', () => {
  it('finds a group push that adds the user among many members', async () => {
    const index = new EventIndex({ capacity: 10 })
    index.insertMany([
      synthetic(1, {
        method: 'POST',
        path: '/Users',
        status: 201,
        userName: 'jane@acme.com',
        resourceId: 'j1',
        outcome: 'created',
      }),
      synthetic(2, {
        method: 'PATCH',
        path: '/Groups/g1',
        resourceType: 'Group',
        resourceId: 'g1',
        outcome: 'membership_changed',
        membersAdded: ['a', 'b', 'c', 'd', 'e', 'j1'],
        membersRemoved: [],
      }),
    ])
    const story = await buildUserStory({ index, query: 'jane@acme.com', tenantId: 't1' })
    expect(story.events.map((e) => e.seq)).toEqual([1, 2])
  })
})
