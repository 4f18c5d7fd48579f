import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, transaction } from '../db.ts'
import { parseFilter } from '../scim/filter.ts'
import { ResourceStore } from './resources.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function open(): { db: ReturnType<typeof openDatabase>; store: ResourceStore } {
  const dir = mkdtempSync(join(tmpdir(), 'scim-totals-'))
  dirs.push(dir)
  const db = openDatabase(dir)
  return { db, store: new ResourceStore(db) }
}

const total = (store: ResourceStore, tenantId: string, filter: string, offset = 0): number =>
  store.list({
    kind: 'User',
    tenantId,
    baseUrl: '',
    filter: parseFilter(filter, 'User'),
    offset,
    limit: 1,
    withMembership: false,
  }).total

describe('cached list totals', () => {
  it('every write of the tenant (create, replace, delete, group change) outdates its totals, and only its own', () => {
    const { db, store } = open()
    const a = store.createUser('t1', { userName: 'a@x.org', title: 'Eng' })
    store.createUser('t2', { userName: 'z@x.org', title: 'Eng' })
    expect(total(store, 't1', 'title pr')).toBe(1)
    expect(total(store, 't1', 'title pr', 1)).toBe(1)
    store.createUser('t1', { userName: 'b@x.org', title: 'Eng' })
    expect(total(store, 't1', 'title pr')).toBe(2)
    store.replaceUser('t1', a.id, { userName: 'a@x.org' })
    expect(total(store, 't1', 'title pr')).toBe(1)
    store.deleteUser('t1', a.id)
    expect(total(store, 't1', 'userName sw "a"')).toBe(0)
    const g = store.createGroup('t1', { displayName: 'G' }, [])
    expect(total(store, 't1', `groups.value eq "${g.id}"`)).toBe(0)
    const b = store.list({
      kind: 'User',
      tenantId: 't1',
      baseUrl: '',
      offset: 0,
      limit: 1,
      withMembership: false,
    })
    store.replaceGroup('t1', g.id, { displayName: 'G' }, [b.page[0]!.id])
    expect(total(store, 't1', `groups.value eq "${g.id}"`)).toBe(1)
    expect(total(store, 't2', 'title pr')).toBe(1)
    db.close()
  })

  it('a write that rolls back leaves no stale total behind', () => {
    const { db, store } = open()
    store.createUser('t1', { userName: 'a@x.org', title: 'Eng' })
    expect(() =>
      transaction(db, () => {
        store.createUser('t1', { userName: 'b@x.org', title: 'Eng' })
        // Counted inside the transaction: 2, which the rollback takes back.
        expect(total(store, 't1', 'title pr')).toBe(2)
        throw new Error('rolled back on purpose')
      }),
    ).toThrow('rolled back on purpose')
    store.forgetUncommitted()
    expect(total(store, 't1', 'title pr')).toBe(1)
    db.close()
  })

  it('pages resumed from bookmarks match pages counted from the start, before and after a write', () => {
    const { db, store } = open()
    const ids: string[] = []
    for (let i = 0; i < 9; i++) {
      ids.push(store.createUser('t1', { userName: `u${i}@x.org`, title: i % 3 ? 'Eng' : 'Ops' }).id)
    }
    const page = (offset: number, filter?: string): unknown[] =>
      store
        .list({
          kind: 'User',
          tenantId: 't1',
          baseUrl: '',
          ...(filter ? { filter: parseFilter(filter, 'User') } : {}),
          offset,
          limit: 2,
          withMembership: false,
        })
        .page.map((s) => s.body.userName)
    for (const filter of [undefined, 'title eq "eng"']) {
      const expected = (from: string[]) => {
        const out: unknown[][] = []
        for (let o = 0; o < from.length; o += 2) out.push(from.slice(o, o + 2))
        return out
      }
      const names = ids.map((_, i) => `u${i}@x.org`)
      const all = filter ? names.filter((_, i) => i % 3 !== 0) : names
      const pages = expected(all)
      // In order (each page resumes from the previous one's end), then again (from its start).
      for (let round = 0; round < 2; round++) {
        pages.forEach((want, n) => expect(page(n * 2, filter)).toEqual(want))
      }
    }
    store.deleteUser('t1', ids[1]!)
    expect(page(2)).toEqual(['u3@x.org', 'u4@x.org'])
    expect(page(2, 'title eq "eng"')).toEqual(['u5@x.org', 'u7@x.org'])
    db.close()
  })

  it('pages sorted by userName resume after the last name of the previous page, in both orders', () => {
    const { db, store } = open()
    const names = ['d', 'B', 'a', 'e', 'C', 'f', 'g'].map((n) => `${n}@x.org`)
    const ids = names.map((userName) => store.createUser('t1', { userName }).id)
    const page = (offset: number, sortOrder: string): unknown[] =>
      store
        .list({
          kind: 'User',
          tenantId: 't1',
          baseUrl: '',
          filter: parseFilter('userName co "@"', 'User'),
          sortBy: 'userName',
          sortOrder,
          offset,
          limit: 3,
          withMembership: false,
        })
        .page.map((s) => s.body.userName)
    const ascending = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
    for (const order of ['ascending', 'descending']) {
      const want = order === 'ascending' ? ascending : [...ascending].reverse()
      for (let round = 0; round < 2; round++) {
        for (const offset of [0, 3, 6])
          expect(page(offset, order)).toEqual(want.slice(offset, offset + 3))
      }
    }
    store.deleteUser('t1', ids[2]!)
    expect(page(3, 'ascending')).toEqual(['e@x.org', 'f@x.org', 'g@x.org'])
    expect(page(3, 'descending')).toEqual(['d@x.org', 'C@x.org', 'B@x.org'])
    db.close()
  })
})
