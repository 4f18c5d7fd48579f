import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db.ts'
import { evaluateFilter, parseFilter, sortResources } from '../scim/filter.ts'
import { normalizeIncoming } from '../scim/normalize.ts'
import { render } from '../scim/routes/representation.ts'
import { ENTERPRISE_USER_SCHEMA } from '../scim/schema-definitions.ts'
import type { Kind, Stored } from './resources.ts'
import { ResourceStore } from './resources.ts'

/**
 * The SQL list path (filter, sort, paging and totalResults compiled by scim/filter-sql*.ts)
 * against the reference: every resource of the tenant rendered, filtered with evaluateFilter and
 * sorted with sortResources in memory, as the list route did before. Random filters over the
 * grammar (valid attribute paths, every operator, and/or/not, value paths, sub-attributes, the
 * enterprise URN, meta dates) on random users and groups must give the same ids in the same
 * order and the same totalResults. `FC_NUM_RUNS=20000 npm run fuzz` for a long run.
 */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 60)
const BASE = 'http://127.0.0.1:1/scim/v2'
const EXT = ENTERPRISE_USER_SCHEMA

const dir = mkdtempSync(join(tmpdir(), 'scim-sqlfilter-'))
const db = openDatabase(dir)
const store = new ResourceStore(db)
// The same data through the count-then-page path alone (no first read of a few matches' seqs),
// and with "few" so small that the random datasets cross it both ways.
const countingStore = new ResourceStore(db, { fewMatches: 0 })
const fewStore = new ResourceStore(db, { fewMatches: 2 })
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

// Few distinct words, in several cases and with non-ASCII letters, so filters hit and case
// folding beyond ASCII is exercised.
const WORDS = ['alpha', 'Alpha', 'ALPHA', 'beta', 'École', 'école', 'straße', 'Zed', 'al', 'a']
const word = fc.constantFrom(...WORDS)
const text = fc.oneof(
  word,
  fc.tuple(word, word).map(([a, b]) => `${a}${b}`),
)
const DATES = [
  '2024-01-01T00:00:00.000Z',
  '2024-06-15T12:30:00.000Z',
  '2025-03-01T08:00:00.500Z',
  '2026-12-31T23:59:59.999Z',
]

const email = fc.record(
  {
    value: text.map((t) => `${t}@x.org`),
    type: fc.constantFrom('work', 'home', 'Work'),
    primary: fc.boolean(),
  },
  { requiredKeys: ['value'] },
)
const userBody = fc.record(
  {
    displayName: text,
    externalId: text,
    title: text,
    nickName: fc.constantFrom('', 'nick', 'Nick'),
    active: fc.boolean(),
    name: fc.record({ familyName: text, givenName: text }, { requiredKeys: [] }),
    emails: fc.array(email, { maxLength: 3 }),
    phoneNumbers: fc.array(fc.record({ value: text, type: fc.constantFrom('work', 'mobile') }), {
      maxLength: 2,
    }),
    addresses: fc.array(fc.record({ locality: text, primary: fc.boolean() }), { maxLength: 2 }),
    [EXT]: fc.record(
      { department: text, manager: fc.record({ value: text, displayName: text }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
)

const dataset = fc.record({
  users: fc.array(fc.tuple(userBody, fc.constantFrom(...DATES), fc.constantFrom(...DATES)), {
    maxLength: 10,
  }),
  groups: fc.array(
    fc.record({
      displayName: text,
      externalId: fc.option(text, { nil: undefined }),
      members: fc.array(fc.nat(12), { maxLength: 4 }),
    }),
    { maxLength: 4 },
  ),
})

const quoted = (v: string) => JSON.stringify(v)
const op = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le')
const stringValue = fc.oneof(
  text.map(quoted),
  fc.constantFrom('""', '"@x.org"', 'null', 'alpha', '42'),
)
const boolValue = fc.constantFrom('true', 'false', '"True"', 'null')
const dateValue = fc.oneof(
  fc.constantFrom(...DATES).map(quoted),
  fc.constantFrom('"2025"', '"2024-06-15T12:30:00Z"', '"t12"', '"+275760-09-13T00:00:00.000Z"'),
)

const USER_STRINGS = [
  'userName',
  'displayName',
  'externalId',
  'title',
  'nickName',
  'name.familyName',
  'NAME.givenname',
  'emails',
  'emails.value',
  'emails.type',
  'phoneNumbers.value',
  'addresses.locality',
  'groups.display',
  'groups',
  `${EXT}:department`,
  'department',
  `${EXT}:manager.displayName`,
  'manager',
  'meta.resourceType',
  'meta.version',
]
const USER_BOOLS = ['active', 'emails.primary', 'addresses.primary']
const USER_PRESENT = [...USER_STRINGS, ...USER_BOOLS, 'name', 'emails', `${EXT}:manager`, 'meta']
const GROUP_STRINGS = [
  'displayName',
  'externalId',
  'members',
  'members.value',
  'members.display',
  'members.type',
  'meta.location',
]

function comparisons(kind: Kind): fc.Arbitrary<string> {
  const strings = kind === 'User' ? USER_STRINGS : GROUP_STRINGS
  const present = kind === 'User' ? USER_PRESENT : [...GROUP_STRINGS, 'members']
  const parts: fc.Arbitrary<string>[] = [
    fc.tuple(fc.constantFrom(...strings), op, stringValue).map((p) => p.join(' ')),
    fc
      .tuple(fc.constantFrom('meta.created', 'meta.lastModified'), op, dateValue)
      .map((p) => p.join(' ')),
    fc.constantFrom(...present).map((p) => `${p} pr`),
  ]
  if (kind === 'User') {
    parts.push(
      fc
        .tuple(fc.constantFrom(...USER_BOOLS), fc.constantFrom('eq', 'ne'), boolValue)
        .map((p) => p.join(' ')),
      fc
        .tuple(fc.constantFrom('type', 'value'), op, stringValue, boolValue)
        .map(([sub, o, v, b]) => `emails[${sub} ${o} ${v} and primary eq ${b}]`),
      fc
        .tuple(fc.constantFrom('work', 'home'), op, stringValue)
        .map(([t, o, v]) => `emails[type eq "${t}"].value ${o} ${v}`),
      fc.tuple(op, stringValue).map(([o, v]) => `name[familyName ${o} ${v} or givenName pr]`),
      fc.tuple(op, stringValue).map(([o, v]) => `groups[display ${o} ${v}]`),
      fc.tuple(op, dateValue).map(([o, v]) => `meta[lastModified ${o} ${v}]`),
      fc.tuple(op, stringValue).map(([o, v]) => `addresses[not (locality ${o} ${v})]`),
    )
  } else {
    parts.push(
      fc
        .tuple(fc.constantFrom('User', 'Group'), op, stringValue)
        .map(([t, o, v]) => `members[type eq "${t}" and display ${o} ${v}]`),
    )
  }
  return fc.oneof(...parts)
}

function filterOf(kind: Kind): fc.Arbitrary<string> {
  return fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small' },
      comparisons(kind),
      fc
        .tuple(tie('f'), fc.constantFrom('and', 'or'), tie('f'))
        .map(([a, k, b]) => `(${a}) ${k} (${b})`),
      tie('f').map((a) => `not (${a})`),
    ),
  })).f
}

const SORTS: Record<Kind, string[]> = {
  User: [
    'userName',
    'displayName',
    'title',
    'name.familyName',
    'emails',
    'emails.type',
    'active',
    'meta.created',
    'meta.lastModified',
    `${EXT}:department`,
    'groups.display',
    'externalId',
    'addresses.locality',
    'id',
  ],
  Group: ['displayName', 'externalId', 'members.display', 'meta.lastModified'],
}

function request(kind: Kind) {
  return fc.record({
    filter: fc.option(filterOf(kind), { nil: undefined }),
    sortBy: fc.option(fc.constantFrom(...SORTS[kind]), { nil: undefined }),
    sortOrder: fc.constantFrom(undefined, 'ascending', 'descending', 'DESCENDING'),
    offset: fc.nat(12),
    limit: fc.integer({ min: 0, max: 12 }),
  })
}

type Dataset = typeof dataset extends fc.Arbitrary<infer T> ? T : never

let tenantNo = 0

function seed(data: Dataset) {
  const tenantId = `t${++tenantNo}`
  const users: Stored[] = []
  data.users.forEach(([body, created, modified], i) => {
    const clean = normalizeIncoming(
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `U${i}.${body.displayName ?? 'x'}`,
        ...body,
      },
      'User',
      'create',
    )
    const s = store.createUser(tenantId, clean)
    db.prepare('UPDATE users SET created_at = ?, last_modified = ? WHERE id = ?').run(
      created,
      modified,
      s.id,
    )
    users.push(s)
  })
  const groups: Stored[] = []
  for (const g of data.groups) {
    const ids = [...new Set(g.members)]
      .map((n) => (n < users.length ? users[n]!.id : groups[n - users.length]?.id))
      .filter((id): id is string => id !== undefined)
    const body: Record<string, unknown> = { displayName: g.displayName }
    if (g.externalId !== undefined) body.externalId = g.externalId
    groups.push(store.createGroup(tenantId, body, ids))
  }
  // Another tenant's data must never show.
  store.createUser(`${tenantId}-other`, { userName: 'U0.alpha', displayName: 'alpha' })
  return tenantId
}

type Req = { filter?: string; sortBy?: string; sortOrder?: string; offset: number; limit: number }

/** The in-memory list path: render everything, evaluate, sort, slice. */
function reference(kind: Kind, tenantId: string, req: Req) {
  const table = kind === 'User' ? 'users' : 'groups'
  const all = (
    db.prepare(`SELECT id FROM ${table} WHERE tenant_id = ? ORDER BY seq`).all(tenantId) as {
      id: string
    }[]
  ).map((r) => (kind === 'User' ? store.getUser(tenantId, r.id) : store.getGroup(tenantId, r.id))!)
  const withMembership = req.filter !== undefined && /groups|members/i.test(req.filter)
  let rendered = all.map((s) =>
    render(store, BASE, s, { withGroups: withMembership, withMembers: withMembership }),
  )
  if (req.filter !== undefined) {
    const node = parseFilter(req.filter, kind)
    rendered = rendered.filter((r) => evaluateFilter(node, r, kind))
  }
  if (req.sortBy) rendered = sortResources(rendered, req.sortBy, req.sortOrder, kind)
  return {
    total: rendered.length,
    ids: rendered.slice(req.offset, req.offset + req.limit).map((r) => r.id),
  }
}

function viaSql(kind: Kind, tenantId: string, req: Req, through = store) {
  const answer = through.list({
    kind,
    tenantId,
    baseUrl: BASE,
    ...(req.filter === undefined ? {} : { filter: parseFilter(req.filter, kind) }),
    ...(req.sortBy === undefined ? {} : { sortBy: req.sortBy }),
    ...(req.sortOrder === undefined ? {} : { sortOrder: req.sortOrder }),
    offset: req.offset,
    limit: req.limit,
    withMembership: req.filter !== undefined && /groups|members/i.test(req.filter),
  })
  return { total: answer.total, ids: answer.page.map((s) => s.id) }
}

function outcome(fn: () => unknown): unknown {
  try {
    return fn()
  } catch (err) {
    return { error: (err as Error).message }
  }
}

/** The SQL answer, through every store's path, is the reference's (or the same refusal). */
function expectReferenceAnswer(kind: Kind, tenantId: string, req: Req): void {
  const expected = outcome(() => reference(kind, tenantId, req))
  for (const [name, through] of [
    ['', store],
    [', counted', countingStore],
    [', few = 2', fewStore],
  ] as const) {
    const answer = outcome(() => viaSql(kind, tenantId, req, through))
    expect(answer, `${JSON.stringify(req)}${name}`).toEqual(expected)
  }
}

describe('SQL list queries agree with the in-memory evaluator', () => {
  for (const kind of ['User', 'Group'] as const) {
    it(`${kind}s: same ids, order and totalResults for random filters, sorts and pages`, () => {
      fc.assert(
        fc.property(
          dataset,
          fc.array(request(kind), { minLength: 1, maxLength: 8 }),
          (data, reqs) => {
            const tenantId = seed(data)
            for (const req of reqs) {
              expectReferenceAnswer(kind, tenantId, req)
            }
          },
        ),
        { numRuns: RUNS },
      )
    })
  }
})

/** A lookup by a key that names at most one resource, spelled as an IdP might. */
const respell = (value: string, how: number): string =>
  how === 0
    ? value
    : how === 1
      ? value.toUpperCase()
      : how === 2
        ? value.toLowerCase()
        : `${value}x`

describe('lookups by a unique key (the one-statement path) agree with the in-memory evaluator', () => {
  for (const kind of ['User', 'Group'] as const) {
    it(`${kind}s: userName / id equality in any case, with any startIndex and count`, () => {
      fc.assert(
        fc.property(
          dataset,
          fc.array(
            fc.record({
              pick: fc.nat(20),
              key: fc.constantFrom(...(kind === 'User' ? ['userName', 'id', 'ID'] : ['id'])),
              how: fc.nat(3),
              offset: fc.constantFrom(0, 0, 1, 2),
              limit: fc.constantFrom(0, 1, 5),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          (data, lookups) => {
            const tenantId = seed(data)
            const table = kind === 'User' ? 'users' : 'groups'
            const rows = db
              .prepare(`SELECT id, json FROM ${table} WHERE tenant_id = ? ORDER BY seq`)
              .all(tenantId) as { id: string; json: string }[]
            for (const l of lookups) {
              const row = rows[l.pick % Math.max(rows.length, 1)]
              const value =
                row === undefined
                  ? 'nobody'
                  : l.key === 'userName'
                    ? (JSON.parse(row.json) as { userName: string }).userName
                    : row.id
              const req = {
                filter: `${l.key} eq ${JSON.stringify(respell(value, l.how))}`,
                offset: l.offset,
                limit: l.limit,
              }
              expectReferenceAnswer(kind, tenantId, req)
            }
          },
        ),
        { numRuns: RUNS },
      )
    })
  }
})

describe('membership lookups by id (group_members indexes) agree with the in-memory evaluator', () => {
  for (const kind of ['User', 'Group'] as const) {
    const attribute = kind === 'User' ? 'groups' : 'members'
    it(`${kind}s: ${attribute}.value eq/ne a real id in any case, alone and combined`, () => {
      fc.assert(
        fc.property(
          dataset,
          fc.array(
            fc.record({
              pick: fc.nat(20),
              how: fc.nat(3),
              op: fc.constantFrom('eq', 'ne'),
              shape: fc.constantFrom('plain', 'not', 'or', 'path'),
              offset: fc.constantFrom(0, 1),
              limit: fc.constantFrom(1, 5),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          (data, lookups) => {
            const tenantId = seed(data)
            // The ids members can hold: a user's groups are groups; a group's members are both.
            const ids = (
              db
                .prepare(
                  `SELECT id FROM groups WHERE tenant_id = ? ${kind === 'Group' ? 'UNION ALL SELECT id FROM users WHERE tenant_id = ?' : ''}`,
                )
                .all(...(kind === 'Group' ? [tenantId, tenantId] : [tenantId])) as { id: string }[]
            ).map((r) => r.id)
            for (const l of lookups) {
              const id = respell(ids[l.pick % Math.max(ids.length, 1)] ?? 'nobody', l.how)
              const compare = `${attribute}.value ${l.op} ${JSON.stringify(id)}`
              const filter =
                l.shape === 'plain'
                  ? compare
                  : l.shape === 'not'
                    ? `not (${compare})`
                    : l.shape === 'or'
                      ? `(${compare}) or (${kind === 'User' ? 'userName' : 'displayName'} sw "a")`
                      : `${attribute}[value ${l.op} ${JSON.stringify(id)}]`
              const req = { filter, offset: l.offset, limit: l.limit }
              expectReferenceAnswer(kind, tenantId, req)
            }
          },
        ),
        { numRuns: RUNS },
      )
    })
  }
})
