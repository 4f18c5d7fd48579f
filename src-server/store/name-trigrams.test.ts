import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db.ts'
import { parseFilter } from '../scim/filter.ts'
import { NAME_TRIGRAMS } from './name-trigrams.ts'
import { ResourceStore } from './resources.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const names = (store: ResourceStore, filter: string): unknown[] =>
  store
    .list({
      kind: 'User',
      tenantId: 't1',
      baseUrl: '',
      filter: parseFilter(filter, 'User'),
      offset: 0,
      limit: 100,
      withMembership: false,
    })
    .page.map((s) => s.body.userName)

describe('userName trigram index', () => {
  it('follows creates, renames and deletes, and is built for a data folder written before it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-trigrams-'))
    dirs.push(dir)
    let db = openDatabase(dir)
    let store = new ResourceStore(db)
    const ada = store.createUser('t1', { userName: 'Ada.Straße@x.org' })
    const bob = store.createUser('t1', { userName: 'bob@x.org' })
    store.createUser('t2', { userName: 'ada.straße@x.org' })
    expect(names(store, 'userName co "STRASSE"')).toEqual([])
    expect(names(store, 'userName co "straße@"')).toEqual(['Ada.Straße@x.org'])
    store.replaceUser('t1', ada.id, { userName: 'ada.lovelace@x.org' })
    expect(names(store, 'userName co "straße@"')).toEqual([])
    expect(names(store, 'userName ew "LACE@X.ORG"')).toEqual(['ada.lovelace@x.org'])
    store.deleteUser('t1', bob.id)
    expect(names(store, 'userName co "@x.org"')).toEqual(['ada.lovelace@x.org'])
    expect(names(store, 'userName ne "x" and userName co "b@x"')).toEqual([])
    // An older data folder: no trigram table, no triggers.
    for (const t of ['insert', 'delete', 'update']) db.exec(`DROP TRIGGER users_name_trigrams_${t}`)
    db.exec(`DROP TABLE ${NAME_TRIGRAMS}`)
    db.close()
    db = openDatabase(dir)
    store = new ResourceStore(db)
    expect(names(store, 'userName co "lovelace"')).toEqual(['ada.lovelace@x.org'])
    store.createUser('t1', { userName: 'carol.lovelace@x.org' })
    expect(names(store, 'userName co "lovelace"')).toEqual([
      'ada.lovelace@x.org',
      'carol.lovelace@x.org',
    ])
    db.close()
  })
})
