import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db.ts'
import { ScimError } from '../scim/scim-error.ts'
import { ResourceStore } from './resources.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'scim-store-'))
  dirs.push(dir)
  const db = openDatabase(dir)
  return { db, store: new ResourceStore(db) }
}

describe('ResourceStore', () => {
  it('inside a bulk transaction a failed create rolls back alone (savepoint) and the rest commits', () => {
    const { db, store } = open()
    db.exec('BEGIN')
    store.createUser('t1', { userName: 'a@x.org' })
    expect(() => store.createUser('t1', { userName: 'A@X.org' })).toThrow(ScimError)
    store.createUser('t1', { userName: 'b@x.org' })
    db.exec('COMMIT')
    expect(
      store
        .list({
          kind: 'User',
          tenantId: 't1',
          baseUrl: '',
          offset: 0,
          limit: 10,
          withMembership: false,
        })
        .page.map((u) => u.body.userName),
    ).toEqual(['a@x.org', 'b@x.org'])
    db.close()
  })

  it('keeps counts per tenant in step with creates and deletes, and finds users by email case-insensitively', () => {
    const { db, store } = open()
    const a = store.createUser('t1', { userName: 'a', emails: [{ value: 'A@Mail.org' }] })
    store.createUser('t2', { userName: 'a' })
    expect(store.countUsers('t1')).toBe(1)
    store.createUser('t1', { userName: 'b' })
    expect(store.countUsers('t1')).toBe(2)
    expect(
      store.usersByEq('t1', { path: 'emails.value', value: 'a@mail.ORG' })!.map((u) => u.id),
    ).toEqual([a.id])
    expect(store.usersByEq('t2', { path: 'emails.value', value: 'a@mail.org' })).toEqual([])
    expect(store.deleteUser('t1', a.id)).toBe(true)
    expect(store.deleteUser('t1', a.id)).toBe(false)
    expect(store.countUsers('t1')).toBe(1)
    expect(store.countUsers('t2')).toBe(1)
    expect(store.usersByEq('t1', { path: 'emails.value', value: 'a@mail.org' })).toEqual([])
    db.close()
  })
})
