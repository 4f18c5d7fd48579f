import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { preparedStatement } from '../db.ts'
import type { CountCache } from './count-cache.ts'
import { toStored } from './resource-rows.ts'
import type { ResourceRow, Stored } from './resource-rows.ts'
import type { GroupStore } from './group-store.ts'
import type { UserStore } from './user-store.ts'

export interface GroupMemberSummary {
  seq: number
  id: string
  type: 'User' | 'Group'
  display: string | null
  /** A user member's state; null for a nested group. */
  active: boolean | null
}

type Table = 'users' | 'groups'

/**
 * What a search looks in: each column with the index that holds it beside the tenant (and the
 * rowid, `seq`), so that every column is read from its index instead of from the table's rows.
 */
const SEARCHED: Record<Table, { index: string; column: string }[]> = {
  users: [
    { index: 'users_tenant_username', column: 'user_name_lower' },
    { index: 'users_tenant_display', column: 'display_name_lower' },
    { index: 'users_tenant_external', column: 'lower(external_id)' },
  ],
  groups: [
    { index: 'groups_tenant_display', column: 'display_name_lower' },
    { index: 'groups_tenant_external', column: 'lower(external_id)' },
  ],
}

const ROW_COLUMNS = 'seq, id, tenant_id, version, created_at, last_modified, json'

/** The count cache's key for a search (the SCIM lists' keys start with "FROM", never with this). */
function searchKey(table: Table, tenantId: string, q: string): string {
  return `directory ${table}\0${tenantId}\0${q.toLowerCase()}`
}

function likeOf(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * The admin API's read views over users and groups (lists after a seq, departments). A search is
 * a case-insensitive substring of names (userName, displayName or externalId; a group's
 * displayName or externalId), which no index can seek. Its first page reads the matches' seqs
 * from the covering indexes of those columns (one union, about half of what reading the table's
 * rows costs at 100,000 users) and so has its total at once; later pages ("Load more") walk the
 * table in seq order from the cursor, which stops as soon as the page is full, and take the total
 * from the count cache (the SCIM lists' `totals`), where it stays until the tenant's next write.
 */
export class ResourceSummaries {
  private readonly db: DatabaseSync
  private readonly users: UserStore
  private readonly groups: GroupStore
  private readonly totals: CountCache

  constructor(db: DatabaseSync, users: UserStore, groups: GroupStore, totals: CountCache) {
    this.db = db
    this.users = users
    this.groups = groups
    this.totals = totals
  }

  /** A handful of SQL texts: per view, with or without a search. */
  private prepared(sql: string): StatementSync {
    return preparedStatement(this.db, sql)
  }

  /** The matches' seqs, each once, through the columns' covering indexes; and its arguments. */
  private matches(table: Table, tenantId: string, q: string): { sql: string; args: string[] } {
    const like = likeOf(q)
    return {
      sql: SEARCHED[table]
        .map(
          ({ index, column }) =>
            `SELECT seq FROM ${table} INDEXED BY ${index} WHERE tenant_id = ? AND ${column} LIKE ? ESCAPE '\\'`,
        )
        .join(' UNION '),
      args: SEARCHED[table].flatMap(() => [tenantId, like]),
    }
  }

  /** Every match's seq in order. */
  private matchingSeqs(table: Table, tenantId: string, q: string): number[] {
    const m = this.matches(table, tenantId, q)
    const rows = this.prepared(`${m.sql} ORDER BY seq`).all(...m.args) as { seq: number }[]
    return rows.map((r) => r.seq)
  }

  /** A page of rows after `afterSeq`, of all or of the matches of `q`. */
  private page(
    table: Table,
    tenantId: string,
    afterSeq: number,
    limit: number,
    q?: string,
  ): (ResourceRow & { seq: number })[] {
    if (q !== undefined && afterSeq === 0) {
      const seqs = this.matchingSeqs(table, tenantId, q)
      this.totals.remember(tenantId, searchKey(table, tenantId, q), seqs.length)
      return this.prepared(
        `SELECT ${ROW_COLUMNS} FROM ${table}
         WHERE seq IN (SELECT value FROM json_each(?)) AND tenant_id = ? ORDER BY seq`,
      ).all(JSON.stringify(seqs.slice(0, limit)), tenantId) as unknown as (ResourceRow & {
        seq: number
      })[]
    }
    const match =
      q === undefined
        ? ''
        : `AND (${SEARCHED[table].map(({ column }) => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`
    const args = q === undefined ? [] : SEARCHED[table].map(() => likeOf(q))
    return this.prepared(
      `SELECT ${ROW_COLUMNS} FROM ${table}
       WHERE tenant_id = ? AND seq > ? ${match} ORDER BY seq LIMIT ?`,
    ).all(tenantId, afterSeq, ...args, limit) as unknown as (ResourceRow & { seq: number })[]
  }

  /** How many rows match `q`: remembered by a first page, else counted from the indexes. */
  private countMatching(table: Table, tenantId: string, q: string): number {
    const key = searchKey(table, tenantId, q)
    const cached = this.totals.peek(tenantId, key)
    if (typeof cached === 'number') return cached
    // Counted in SQL: the seqs themselves are not needed here.
    const m = this.matches(table, tenantId, q)
    const n = (
      this.prepared(`SELECT COUNT(*) AS n FROM (${m.sql})`).get(...m.args) as { n: number }
    ).n
    this.totals.remember(tenantId, key, n)
    return n
  }

  /** Admin read view: users after a creation sequence, optionally matching a substring. */
  userSummaries(
    tenantId: string,
    afterSeq: number,
    limit: number,
    q?: string,
  ): { seq: number; stored: Stored; groups: string[] }[] {
    const rows = this.page('users', tenantId, afterSeq, limit, q)
    // One query for the page's memberships, not one per user.
    const groupsOf = this.users.groupsOfUsers(
      tenantId,
      rows.map((r) => r.id),
    )
    return rows.map((r) => ({
      seq: r.seq,
      stored: toStored('User', r),
      groups: (groupsOf.get(r.id) ?? []).map((g) => g.display),
    }))
  }

  /** How many users match `q` (all of them without it): the total a searched page is out of. */
  countUsersMatching(tenantId: string, q?: string): number {
    if (q === undefined) return this.users.countUsers(tenantId)
    return this.countMatching('users', tenantId, q)
  }

  /** Admin read view: groups after a creation sequence, optionally matching a substring. */
  groupSummaries(
    tenantId: string,
    afterSeq: number,
    limit: number,
    q?: string,
  ): { seq: number; stored: Stored; memberCount: number }[] {
    return this.page('groups', tenantId, afterSeq, limit, q).map((r) => ({
      seq: r.seq,
      stored: toStored('Group', r),
      memberCount: this.groups.memberCount(r.id),
    }))
  }

  countGroupsMatching(tenantId: string, q?: string): number {
    if (q === undefined) return this.groups.countGroups(tenantId)
    return this.countMatching('groups', tenantId, q)
  }

  /** A group's members in the order they were added, with each user's state. */
  groupMembers(groupId: string, afterSeq: number, limit: number): GroupMemberSummary[] {
    // The page's seqs first, from the (group_id, member_id) index alone, then the rows and names
    // of those few: joined before the sort, a page of an "Everyone" group of 100,000 looked up
    // every member (77 ms; 13 ms so). An index on (group_id, seq) would make it 0.2 ms, but costs
    // every membership write 18-48 %, and Okta's group pushes are those writes.
    const rows = this.prepared(
      `SELECT m.seq, m.member_id, m.member_type, u.user_name, u.active, g.display_name
       FROM (SELECT seq FROM group_members INDEXED BY sqlite_autoindex_group_members_1
             WHERE group_id = ? AND seq > ? ORDER BY seq LIMIT ?) p
       CROSS JOIN group_members m ON m.seq = p.seq
       LEFT JOIN users u ON m.member_type = 'User' AND u.id = m.member_id
       LEFT JOIN groups g ON m.member_type = 'Group' AND g.id = m.member_id
       ORDER BY m.seq`,
    ).all(groupId, afterSeq, limit) as {
      seq: number
      member_id: string
      member_type: 'User' | 'Group'
      user_name: string | null
      active: number | null
      display_name: string | null
    }[]
    return rows.map((r) => ({
      seq: r.seq,
      id: r.member_id,
      type: r.member_type,
      display: r.user_name ?? r.display_name,
      active: r.member_type === 'User' ? r.active !== 0 : null,
    }))
  }

  /** Departments: enterprise `department` values and group names, with distinct user counts. */
  departments(tenantId: string): {
    name: string
    sources: ('attribute' | 'group')[]
    userCount: number
    groupId: string | null
  }[] {
    const byName = new Map<
      string,
      {
        name: string
        sources: Set<'attribute' | 'group'>
        users: Set<string>
        groupId: string | null
      }
    >()
    const entry = (name: string) => {
      const key = name.toLowerCase()
      let e = byName.get(key)
      if (!e) {
        e = { name, sources: new Set(), users: new Set(), groupId: null }
        byName.set(key, e)
      }
      return e
    }
    const attrRows = this.db
      .prepare('SELECT id, department FROM users WHERE tenant_id = ? AND department IS NOT NULL')
      .all(tenantId) as { id: string; department: string }[]
    for (const r of attrRows) {
      const e = entry(r.department)
      e.sources.add('attribute')
      e.users.add(r.id)
    }
    const groupRows = this.db
      .prepare(
        `SELECT g.id, g.display_name, m.member_id FROM groups g
         LEFT JOIN group_members m ON m.group_id = g.id AND m.member_type = 'User'
         WHERE g.tenant_id = ?`,
      )
      .all(tenantId) as { id: string; display_name: string; member_id: string | null }[]
    for (const r of groupRows) {
      const e = entry(r.display_name)
      e.sources.add('group')
      e.groupId ??= r.id
      if (r.member_id) e.users.add(r.member_id)
    }
    return [...byName.values()]
      .map((e) => ({
        name: e.name,
        sources: [...e.sources].sort(),
        userCount: e.users.size,
        groupId: e.groupId,
      }))
      .sort((a, b) => a.name.localeCompare(b.name))
  }
}
