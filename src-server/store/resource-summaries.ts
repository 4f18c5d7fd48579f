import type { DatabaseSync } from 'node:sqlite'
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

function likeOf(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Case-insensitive substring of userName, displayName or externalId. */
function userMatch(q: string | undefined): { sql: string; args: string[] } {
  if (q === undefined) return { sql: '', args: [] }
  const like = likeOf(q)
  return {
    sql: "AND (user_name_lower LIKE ? ESCAPE '\\' OR display_name_lower LIKE ? ESCAPE '\\' OR lower(external_id) LIKE ? ESCAPE '\\')",
    args: [like, like, like],
  }
}

/** Case-insensitive substring of displayName or externalId. */
function groupMatch(q: string | undefined): { sql: string; args: string[] } {
  if (q === undefined) return { sql: '', args: [] }
  const like = likeOf(q)
  return {
    sql: "AND (display_name_lower LIKE ? ESCAPE '\\' OR lower(external_id) LIKE ? ESCAPE '\\')",
    args: [like, like],
  }
}

/** The admin API's read views over users and groups (lists after a seq, departments). */
export class ResourceSummaries {
  private readonly db: DatabaseSync
  private readonly users: UserStore
  private readonly groups: GroupStore

  constructor(db: DatabaseSync, users: UserStore, groups: GroupStore) {
    this.db = db
    this.users = users
    this.groups = groups
  }

  /** Admin read view: users after a creation sequence, optionally matching a substring. */
  userSummaries(
    tenantId: string,
    afterSeq: number,
    limit: number,
    q?: string,
  ): { seq: number; stored: Stored; groups: string[] }[] {
    const m = userMatch(q)
    const rows = this.db
      .prepare(
        `SELECT seq, id, tenant_id, version, created_at, last_modified, json FROM users
         WHERE tenant_id = ? AND seq > ? ${m.sql} ORDER BY seq LIMIT ?`,
      )
      .all(tenantId, afterSeq, ...m.args, limit) as unknown as (ResourceRow & { seq: number })[]
    return rows.map((r) => ({
      seq: r.seq,
      stored: toStored('User', r),
      groups: this.users.groupsOfUser(tenantId, r.id).map((g) => g.display),
    }))
  }

  /** How many users match `q` (all of them without it): the total a searched page is out of. */
  countUsersMatching(tenantId: string, q?: string): number {
    if (q === undefined) return this.users.countUsers(tenantId)
    const m = userMatch(q)
    return (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM users WHERE tenant_id = ? ${m.sql}`)
        .get(tenantId, ...m.args) as { n: number }
    ).n
  }

  /** Admin read view: groups after a creation sequence, optionally matching a substring. */
  groupSummaries(
    tenantId: string,
    afterSeq: number,
    limit: number,
    q?: string,
  ): { seq: number; stored: Stored; memberCount: number }[] {
    const m = groupMatch(q)
    const rows = this.db
      .prepare(
        `SELECT seq, id, tenant_id, version, created_at, last_modified, json FROM groups
         WHERE tenant_id = ? AND seq > ? ${m.sql} ORDER BY seq LIMIT ?`,
      )
      .all(tenantId, afterSeq, ...m.args, limit) as unknown as (ResourceRow & { seq: number })[]
    return rows.map((r) => ({
      seq: r.seq,
      stored: toStored('Group', r),
      memberCount: this.groups.memberCount(r.id),
    }))
  }

  countGroupsMatching(tenantId: string, q?: string): number {
    if (q === undefined) return this.groups.countGroups(tenantId)
    const m = groupMatch(q)
    return (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM groups WHERE tenant_id = ? ${m.sql}`)
        .get(tenantId, ...m.args) as { n: number }
    ).n
  }

  /** A group's members in the order they were added, with each user's state. */
  groupMembers(groupId: string, afterSeq: number, limit: number): GroupMemberSummary[] {
    const rows = this.db
      .prepare(
        `SELECT m.seq, m.member_id, m.member_type, u.user_name, u.active, g.display_name
         FROM group_members m
         LEFT JOIN users u ON m.member_type = 'User' AND u.id = m.member_id
         LEFT JOIN groups g ON m.member_type = 'Group' AND g.id = m.member_id
         WHERE m.group_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?`,
      )
      .all(groupId, afterSeq, limit) as {
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
