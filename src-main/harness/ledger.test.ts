import { describe, expect, it } from 'vitest'
import { HttpCapture } from './http-capture.ts'
import { ResourceLedger } from './ledger.ts'
import { getProfile } from './profiles.ts'

const ledger = (): ResourceLedger =>
  new ResourceLedger(
    'scimc-test-',
    // Never asked to send anything here: these tests only track, find, update and forget.
    new HttpCapture({
      baseUrl: 'http://127.0.0.1:9/scim/v2',
      token: 'x',
      timeoutMs: 1,
      concurrency: 1,
    }),
    getProfile('okta'),
  )

describe('ResourceLedger', () => {
  it('finds an entry by name until it is renamed, then by its new name', () => {
    const l = ledger()
    l.track({ type: 'Users', name: 'a@x', id: '1' })
    expect(l.find({ type: 'Users', name: 'a@x' })?.id).toBe('1')
    expect(l.find({ type: 'Groups', name: 'a@x' })).toBeUndefined()
    l.update('Users', '1', { name: 'b@x' })
    expect(l.find({ type: 'Users', name: 'a@x' })).toBeUndefined()
    expect(l.find({ type: 'Users', name: 'b@x' })?.id).toBe('1')
  })

  it('merges a second track of the same name (no id) into the first entry; an id is its own', () => {
    const l = ledger()
    const first = l.track({ type: 'Users', name: 'dup@x' })
    const again = l.track({ type: 'Users', name: 'dup@x', externalId: 'e-1' })
    expect(again).toBe(first)
    expect(l.all()).toHaveLength(1)
    expect(first.externalId).toBe('e-1')
    // With an id, an entry is matched by id only: another resource under the same name.
    l.track({ type: 'Users', name: 'dup@x', id: '7' })
    expect(l.all()).toHaveLength(2)
  })

  it('forgets an entry by id, and a name held twice stays findable until both are gone', () => {
    const l = ledger()
    l.track({ type: 'Groups', name: 'g', id: '1' })
    // Same name, other id: a second resource (the server let a duplicate through).
    const second = l.track({ type: 'Groups', name: 'g2', id: '2' })
    l.update('Groups', '2', { name: 'g' })
    expect(second.name).toBe('g')
    l.forget({ type: 'Groups', id: '1' })
    expect(l.find({ type: 'Groups', name: 'g' })?.id).toBe('2')
    l.forget({ type: 'Groups', id: '2' })
    expect(l.find({ type: 'Groups', name: 'g' })).toBeUndefined()
    expect(l.live('Groups')).toEqual([])
  })
})
