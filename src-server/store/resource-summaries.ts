import type { DatabaseSync } from 'node:sqlite'
import { toStored } from './resource-rows.ts'
import type { ResourceRow, Stored } from './resource-rows.ts'
import type { GroupStore } from './group-store.ts'
import type { UserStore } from './user-store.ts'

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
    const like = q === undefined ? null : `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const rows = this.db
      .prepare(
        `SELECT seq, id, tenant_id, version, created_at, last_modified, json FROM users
         WHERE tenant_id = ? AND seq > ? ${
           like === null
             ? ''
             : "AND (user_name_lower LIKE ? ESCAPE '\\' OR display_name_lower LIKE ? ESCAPE '\\' OR lower(external_id) LIKE ? ESCAPE '\\')"
         }
         ORDER BY seq LIMIT ?`,
      )
      .all(
        ...(like === null
          ? [tenantId, afterSeq, limit]
          : [tenantId, afterSeq, like, like, like, limit]),
      ) as unknown as (ResourceRow & { seq: number })[]
    return rows.map((r) => ({
      seq: r.seq,
      stored: toStored('User', r),
      groups: this.users.groupsOfUser(tenantId, r.id).map((g) => g.display),
    }))
  }

  groupSummaries(
    tenantId: string,
    afterSeq: number,
    limit: number,
  ): { seq: number; stored: Stored; memberCount: number }[] {
    const rows = this.db
      .prepare(
        `SELECT seq, id, tenant_id, version, created_at, last_modified, json FROM groups
         WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(tenantId, afterSeq, limit) as unknown as (ResourceRow & { seq: number })[]
    return rows.map((r) => ({
      seq: r.seq,
      stored: toStored('Group', r),
      memberCount: this.groups.memberCount(r.id),
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
