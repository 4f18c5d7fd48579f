import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db.ts'
import { normalizeIncoming } from '../normalize.ts'
import { ENTERPRISE_USER_SCHEMA } from '../schema-definitions.ts'
import type { Kind, ListedStored } from '../../store/resources.ts'
import { ResourceStore } from '../../store/resources.ts'
import { projectAttributes } from '../projection.ts'
import { render, splicedJson } from './representation.ts'
import { storedSplicePoint } from './stored-splice-point.ts'

/**
 * A list page's resources are spliced from their stored JSON text (splicedJson) instead of
 * rendered and serialised: the text must be what the list route sent before (render, then an
 * empty projection, then JSON.stringify) exactly, for any body the
 * store keeps (strings with quotes, backslashes, `"id":` inside values, any Unicode), with and
 * without groups and members, and after the rows went through the real write path.
 */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 40)
const BASE = 'http://127.0.0.1:1/scim/v2'
const EXT = ENTERPRISE_USER_SCHEMA
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

const dir = mkdtempSync(join(tmpdir(), 'scim-render-json-'))
const db = openDatabase(dir)
const store = new ResourceStore(db)
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const tricky = fc.constantFrom('"id":"x"', '\\', '"meta":{}', '\u2028', 'é', '😀', '</script>', '')
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), tricky)

const userBody = fc.record(
  {
    displayName: text,
    externalId: text,
    title: text,
    active: fc.boolean(),
    name: fc.record({ familyName: text, givenName: text }, { requiredKeys: [] }),
    emails: fc.array(fc.record({ value: text, type: fc.constantFrom('work', 'home') }), {
      maxLength: 2,
    }),
    [EXT]: fc.record({ department: text, employeeNumber: text }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
)

const dataset = fc.record({
  users: fc.array(userBody, { minLength: 1, maxLength: 6 }),
  groups: fc.array(
    fc.record({ displayName: text, members: fc.array(fc.nat(8), { maxLength: 4 }) }),
    { maxLength: 3 },
  ),
})

let tenantNo = 0

function page(kind: Kind, tenantId: string): ListedStored[] {
  return store.list({ kind, tenantId, baseUrl: BASE, offset: 0, limit: 100, withMembership: false })
    .page
}

describe('splicedJson', () => {
  it('is JSON.stringify(render(...)) for every stored user and group, spliced', () => {
    fc.assert(
      fc.property(dataset, (data) => {
        const tenantId = `t${++tenantNo}`
        const users = data.users.map((body, i) =>
          store.createUser(
            tenantId,
            normalizeIncoming(
              { schemas: [USER], userName: `u${i}${body.displayName ?? ''}`, ...body },
              'User',
              'create',
            ),
          ),
        )
        for (const g of data.groups) {
          const ids = [...new Set(g.members)].flatMap((n) =>
            n < users.length ? [users[n]!.id] : [],
          )
          const name = `group ${g.displayName}`
          store.createGroup(
            tenantId,
            normalizeIncoming(
              { displayName: name, schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] },
              'Group',
              'create',
            ),
            ids,
          )
        }
        for (const kind of ['User', 'Group'] as const) {
          const rows = page(kind, tenantId)
          const groupsOf = store.groupsOfUsers(
            tenantId,
            rows.map((r) => r.id),
          )
          for (const row of rows) {
            // The store writes bodies schemas first: every row takes the splice.
            expect(storedSplicePoint(row.json), row.json).toBeTypeOf('number')
            const groups = kind === 'User' ? groupsOf.get(row.id) : undefined
            const opts = groups ? { groups } : {}
            expect(splicedJson(store, BASE, row, opts)).toBe(
              JSON.stringify(projectAttributes(render(store, BASE, row, opts), {}, kind, true)),
            )
          }
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('declines stored texts that are not in the shape the splice needs', () => {
    const tenantId = `t${++tenantNo}`
    const stored = store.createUser(tenantId, { schemas: [USER], userName: 'plain' })
    const row = page('User', tenantId)[0]!
    expect(row.id).toBe(stored.id)
    const odd = [
      // schemas not first, a key render sets, an escaped URN, no schemas at all
      { userName: 'a', schemas: [USER] },
      { schemas: [USER], userName: 'a', id: 'stale' },
      { schemas: [USER], userName: 'a', meta: { location: 'x' } },
      { schemas: [USER], userName: 'a', groups: [{ value: 'g' }] },
      { schemas: [USER], userName: 'a', Password: 'hunter2' },
      { schemas: ['urn:"odd"'], userName: 'a' },
      { userName: 'a' },
      { schemas: [], userName: 'a' },
      { schemas: [USER] },
    ]
    const spliced = odd.flatMap((body) => {
      const json = JSON.stringify(body)
      const listed: ListedStored = {
        ...row,
        json,
        body: JSON.parse(json) as Record<string, unknown>,
      }
      const text = splicedJson(store, BASE, listed)
      if (text === undefined) return []
      expect(text).toBe(JSON.stringify(render(store, BASE, listed)))
      return [body]
    })
    // Only the last two are in the spliced shape (an empty schemas array, nothing after it).
    expect(spliced).toEqual(odd.slice(-2))
  })
})
