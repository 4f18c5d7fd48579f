import { describe, expect, it } from 'vitest'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { EventIndex } from './event-index.ts'

function ev(seq: number, over: Partial<ProvisioningEvent> = {}): ProvisioningEvent {
  return {
    seq,
    tenantId: 't1',
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    method: 'GET',
    path: '/Users?startIndex=1&count=2',
    status: 200,
    durationMs: 5,
    resourceType: 'User',
    resourceId: null,
    userName: null,
    outcome: 'read',
    error: null,
    tokenHashPrefix: null,
    requestBody: null,
    responseBody: null,
    ...over,
  }
}

const lookup = (seq: number, userName: string): ProvisioningEvent =>
  ev(seq, {
    path: `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`,
    outcome: 'lookup_empty',
  })

const create = (seq: number, userName: string, id: string, status = 201): ProvisioningEvent =>
  ev(seq, {
    method: 'POST',
    path: '/Users',
    status,
    userName,
    resourceId: status === 201 ? id : null,
    outcome: status === 201 ? 'created' : 'rejected',
    requestBody: {
      userName,
      externalId: `ext-${id}`,
      emails: [{ value: `mail.${userName}` }],
      password: '[REDACTED]',
    },
    responseBody: status === 201 ? { id, userName } : { status: String(status), detail: 'nope' },
  })

describe('EventIndex', () => {
  it('finds a user by userName (any case), email, externalId and SCIM id, including the lookup that named it only in its filter', () => {
    const idx = new EventIndex({ capacity: 100 })
    idx.insertMany([
      lookup(1, 'Jane@Acme.com'),
      create(2, 'jane@acme.com', 'id-jane'),
      ev(3, {
        method: 'PATCH',
        path: '/Users/id-jane',
        resourceId: 'id-jane',
        outcome: 'deactivated',
      }),
      create(4, 'bob@acme.com', 'id-bob'),
    ])
    const seqs = (key: string) => idx.eventsForUserKeys([key]).map((e) => e.seq)
    expect(seqs('JANE@acme.com')).toEqual([1, 2])
    expect(seqs('id-jane')).toEqual([2, 3])
    expect(seqs('ext-id-jane')).toEqual([2])
    expect(seqs('mail.jane@acme.com')).toEqual([2])
    expect(seqs('bob@acme.com')).toEqual([4])
    expect(seqs('nobody@acme.com')).toEqual([])
  })

  it('ignores events that are not newer than the newest (duplicates, out of order)', () => {
    const idx = new EventIndex({ capacity: 10 })
    expect(idx.insert(ev(5))).toBe(true)
    expect(idx.insert(ev(5))).toBe(false)
    expect(idx.insert(ev(3))).toBe(false)
    expect(idx.size).toBe(1)
  })

  it('evicts the oldest events beyond its capacity, and their user chains with them', () => {
    const idx = new EventIndex({ capacity: 3 })
    idx.insertMany([
      create(1, 'a@x.org', 'a'),
      create(2, 'b@x.org', 'b'),
      lookup(3, 'a@x.org'),
      lookup(4, 'a@x.org'),
      lookup(5, 'c@x.org'),
    ])
    expect(idx.size).toBe(3)
    expect(idx.stats()).toMatchObject({ oldestSeq: 3, newestSeq: 5, evicted: 2, inserted: 5 })
    expect(idx.eventsForUserKeys(['a@x.org']).map((e) => e.seq)).toEqual([3, 4])
    expect(idx.eventsForUserKeys(['b@x.org'])).toEqual([])
    expect(idx.getBySeq(1)).toBeUndefined()
    expect(idx.getBySeq(4)?.seq).toBe(4)
  })

  it('filters by status class, exact status, method, resource type, outcome, time range and free text, with a total for paging', () => {
    const idx = new EventIndex({ capacity: 100 })
    idx.insertMany([
      lookup(1, 'jane@acme.com'),
      create(2, 'jane@acme.com', 'j', 409),
      ev(3, {
        status: 401,
        outcome: 'rejected',
        error: { status: '401', detail: 'This SCIM token was revoked.' },
      }),
      ev(4, {
        method: 'POST',
        path: '/Groups',
        resourceType: 'Group',
        status: 201,
        outcome: 'created',
      }),
      ev(5, { status: 429, outcome: 'rejected' }),
    ])
    const seqs = (filter: Parameters<EventIndex['query']>[0]) =>
      idx.query(filter).events.map((e) => e.seq)
    expect(seqs({ filter: { statusClass: ['4xx'] } })).toEqual([2, 3, 5])
    expect(seqs({ filter: { status: [401, 429] } })).toEqual([3, 5])
    expect(seqs({ filter: { method: ['post'] } })).toEqual([2, 4])
    expect(seqs({ filter: { resourceType: ['Group'] } })).toEqual([4])
    expect(seqs({ filter: { outcome: ['lookup_empty'] } })).toEqual([1])
    expect(
      seqs({
        filter: {
          since: new Date(Date.UTC(2026, 0, 1, 0, 0, 2)).toISOString(),
          until: new Date(Date.UTC(2026, 0, 1, 0, 0, 4)).toISOString(),
        },
      }),
    ).toEqual([2, 3])
    expect(seqs({ filter: { text: 'REVOKED' } })).toEqual([3])
    // A filter string as the person types it matches the URL-encoded path.
    expect(seqs({ filter: { text: 'userName eq "jane@acme.com"' } })).toEqual([1])
    expect(seqs({ filter: { user: 'jane@acme.com', statusClass: ['4xx'] } })).toEqual([2])
    const page = idx.query({
      filter: { statusClass: ['4xx', '2xx'] },
      offset: 1,
      limit: 2,
      order: 'desc',
    })
    expect(page.total).toBe(5)
    expect(page.events.map((e) => e.seq)).toEqual([4, 3])
  })

  it('keeps a filter result current as events arrive and as old ones are evicted', () => {
    const idx = new EventIndex({ capacity: 4 })
    idx.insertMany([ev(1, { status: 500 }), ev(2), ev(3, { status: 503 })])
    expect(idx.query({ filter: { statusClass: ['5xx'] } }).total).toBe(2)
    idx.insertMany([ev(4, { status: 502 }), ev(5), ev(6)])
    const page = idx.query({ filter: { statusClass: ['5xx'] } })
    expect(page.events.map((e) => e.seq)).toEqual([3, 4])
  })

  it('indexes the members a group change names, so a user story finds its group pushes', () => {
    const idx = new EventIndex({ capacity: 10 })
    idx.insert(
      ev(1, {
        method: 'PATCH',
        path: '/Groups/g1',
        resourceType: 'Group',
        resourceId: 'g1',
        outcome: 'membership_changed',
        membersAdded: ['id-jane'],
        membersRemoved: [],
      }),
    )
    expect(idx.eventsForUserKeys(['id-jane']).map((e) => e.seq)).toEqual([1])
  })

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventIndex({ capacity: 0 })).toThrow(/positive integer/)
  })
})

describe('EventIndex overflow', () => {
  it('a group change naming more members than the chains hold is still found through the overflow scan', () => {
    const idx = new EventIndex({ capacity: 10 })
    const members = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']
    idx.insert(
      ev(1, {
        method: 'PATCH',
        path: '/Groups/g1',
        resourceType: 'Group',
        resourceId: 'g1',
        outcome: 'membership_changed',
        membersAdded: members,
        membersRemoved: [],
      }),
    )
    expect(idx.eventsForUserKeys(['m6'])).toEqual([])
    expect(idx.overflowEvents().map((e) => e.seq)).toEqual([1])
  })

  it('keeps bodies within the byte budget, dropping the oldest first; summaries stay and the user is still found', () => {
    const one = JSON.stringify([
      create(1, 'u1@acme.com', 'id-1').requestBody,
      { id: 'id-1', userName: 'u1@acme.com' },
    ]).length
    // Room for the bodies of about three creates.
    const idx = new EventIndex({ capacity: 100, bodyBudget: one * 3 + 10 })
    for (let i = 1; i <= 10; i++) idx.insert(create(i, `u${i}@acme.com`, `id-${i}`))
    idx.insert(lookup(11, 'u1@acme.com'))

    const held = Array.from({ length: 11 }, (_, i) => idx.bodiesHeld(i + 1))
    expect(held).toEqual([false, false, false, false, false, false, false, true, true, true, true])
    expect(idx.bodiesHeld(99)).toBeUndefined()
    const stats = idx.stats()
    expect(stats.bodiesHeldFromSeq).toBe(8)
    expect(stats.bodyBytes).toBeLessThanOrEqual(stats.bodyBudget)
    expect(stats.size).toBe(11)

    const old = idx.getBySeq(1)!
    expect(old).toMatchObject({ seq: 1, method: 'POST', path: '/Users', userName: 'u1@acme.com' })
    expect('requestBody' in old).toBe(false)
    expect('responseBody' in old).toBe(false)
    expect(idx.getBySeq(9)!.requestBody).toEqual(create(9, 'u9@acme.com', 'id-9').requestBody)
    // Keys taken from the bodies at insert stay in the chains after the bodies are gone.
    expect(idx.eventsForUserKeys(['ext-id-1']).map((e) => e.seq)).toEqual([1])
    expect(idx.eventsForUserKeys(['U1@acme.com']).map((e) => e.seq)).toEqual([1, 11])
    // Free text: the summary always, the bodies only while held.
    expect(idx.query({ filter: { text: 'u2@acme.com' } }).total).toBe(1)
    expect(idx.query({ filter: { text: 'ext-id-2' } }).total).toBe(0)
    expect(idx.query({ filter: { text: 'ext-id-9' } }).total).toBe(1)
  })

  it('frees the bodies of events the ring evicts and keeps inline null bodies without counting them', () => {
    const idx = new EventIndex({ capacity: 3 })
    for (let i = 1; i <= 5; i++) idx.insert(create(i, `u${i}@acme.com`, `id-${i}`))
    const bytes = idx.stats().bodyBytes
    idx.insert(ev(6))
    expect(idx.stats().bodyBytes).toBeLessThan(bytes)
    expect(idx.bodiesHeld(6)).toBe(true)
    expect(idx.getBySeq(6)).toEqual(ev(6))
    expect(idx.stats().bodiesHeldFromSeq).toBe(4)
  })

  it('with a zero budget keeps no bodies at all, and refuses a negative budget', () => {
    const idx = new EventIndex({ capacity: 10, bodyBudget: 0 })
    idx.insert(create(1, 'a@acme.com', 'id-a'))
    expect(idx.bodiesHeld(1)).toBe(false)
    expect(idx.stats().bodyBytes).toBe(0)
    expect(() => new EventIndex({ bodyBudget: -1 })).toThrow(
      /bodyBudget must be a number of bytes >= 0/,
    )
  })
})
