import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db.ts'
import { parseFilter } from '../scim/filter.ts'
import { USER_QUERY_COLUMNS } from './query-columns.ts'
import { ResourceStore } from './resources.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const EXT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

describe('query columns', () => {
  it('a data folder written before the query columns gets them added and filled from the stored JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-qcols-'))
    dirs.push(dir)
    let db = openDatabase(dir)
    new ResourceStore(db).createUser('t1', {
      userName: 'a@x.org',
      name: { familyName: 'ÖZTÜRK', givenName: 'Ada' },
      title: 'Engineer',
      active: false,
      emails: [
        { value: 'A@x.org', type: 'Work', primary: true },
        { value: 'a@home.org', type: 'home' },
      ],
      [EXT]: { department: 'Sales' },
    })
    // Make it look like an older data folder: no query columns, no query indexes.
    for (const [column] of USER_QUERY_COLUMNS) {
      const indexes = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE ?`)
        .all(`%${column}%`) as { name: string }[]
      for (const { name } of indexes) db.exec(`DROP INDEX ${name}`)
      db.exec(`ALTER TABLE users DROP COLUMN ${column}`)
    }
    // user_emails as it was: distinct lower-cased values only.
    db.exec('DELETE FROM user_emails')
    for (const column of ['type_lower', 'primary_value', 'display_lower']) {
      db.exec(`ALTER TABLE user_emails DROP COLUMN ${column}`)
    }
    db.exec(
      `INSERT INTO user_emails (user_id, tenant_id, value_lower) SELECT id, tenant_id, 'a@x.org' FROM users`,
    )
    db.close()
    db = openDatabase(dir)
    const store = new ResourceStore(db)
    const row = db
      .prepare(
        'SELECT family_name_lower, given_name_lower, department_lower, title_lower, active_value FROM users',
      )
      .get() as Record<string, string>
    expect({ ...row }).toEqual({
      family_name_lower: 'öztürk',
      given_name_lower: 'ada',
      department_lower: 'sales',
      title_lower: 'engineer',
      active_value: 0,
    })
    const found = store.list({
      kind: 'User',
      tenantId: 't1',
      baseUrl: '',
      filter: parseFilter(
        `name.familyName eq "öztürk" and ${EXT}:department sw "SA" and title pr and active eq false and emails[type eq "work" and primary eq true and value ew "X.ORG"] and emails.value eq "a@home.org"`,
        'User',
      ),
      offset: 0,
      limit: 10,
      withMembership: false,
    })
    expect(found.page.map((s) => s.body.userName)).toEqual(['a@x.org'])
    db.close()
  })
})
