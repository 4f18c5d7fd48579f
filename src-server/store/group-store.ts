import { newResourceId } from './resource-id.ts'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { CountCache } from './count-cache.ts'
import { transaction } from '../db.ts'
import { ScimError } from '../scim/scim-error.ts'
import {
  notFound,
  RESOURCE_COLUMNS,
  ResourceCounts,
  rowsOf,
  str,
  toStored,
} from './resource-rows.ts'
import type { IndexedEq, Json, Member, ResourceRow, Stored } from './resource-rows.ts'

function groupColumns(body: Json): [string, string, string | null] {
  const displayName = str(body.displayName)
  if (displayName === null || displayName.trim() === '') {
    throw new ScimError(
      400,
      'displayName is required and must be a non-empty string.',
      'invalidValue',
    )
  }
  return [displayName, displayName.toLowerCase(), str(body.externalId)]
}

/**
 * The groups of every tenant and their members. Members live in their own table so membership
 * PATCHes on big groups touch only their rows. Every method is scoped by tenant id.
 */
export class GroupStore {
  private readonly db: DatabaseSync
  private readonly s: Record<string, StatementSync>
  readonly counts: ResourceCounts

  private readonly writes: CountCache | undefined

  /** `writes`: told of every write, inside its transaction (cached list totals go stale). */
  constructor(db: DatabaseSync, writes?: CountCache) {
    this.db = db
    this.writes = writes
    this.counts = new ResourceCounts(db, 'groups')
    const cols = RESOURCE_COLUMNS
    this.s = {
      insertGroup: db.prepare(
        `INSERT INTO groups (id, tenant_id, display_name, display_name_lower, external_id, version, created_at, last_modified, json)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      ),
      // RETURNING hands back what the update decided, so a PUT does not read its row again.
      updateGroup: db.prepare(
        `UPDATE groups SET display_name = ?, display_name_lower = ?, external_id = ?, version = version + 1, last_modified = ?, json = ?
         WHERE tenant_id = ? AND id = ? RETURNING version, created_at`,
      ),
      getGroup: db.prepare(`SELECT ${cols} FROM groups WHERE tenant_id = ? AND id = ?`),
      deleteGroup: db.prepare('DELETE FROM groups WHERE tenant_id = ? AND id = ?'),
      pageGroups: db.prepare(
        `SELECT ${cols} FROM groups WHERE tenant_id = ? ORDER BY seq LIMIT ? OFFSET ?`,
      ),
      groupsByDisplay: db.prepare(
        `SELECT ${cols} FROM groups WHERE tenant_id = ? AND display_name_lower = ? ORDER BY seq`,
      ),
      groupsByExternal: db.prepare(
        `SELECT ${cols} FROM groups WHERE tenant_id = ? AND external_id = ? ORDER BY seq`,
      ),
      groupsById: db.prepare(
        `SELECT ${cols} FROM groups WHERE tenant_id = ? AND id = ? ORDER BY seq`,
      ),
      members: db.prepare(
        `SELECT m.member_id, m.member_type, COALESCE(u.user_name, g.display_name) AS display
         FROM group_members m
         LEFT JOIN users u ON m.member_type = 'User' AND u.id = m.member_id
         LEFT JOIN groups g ON m.member_type = 'Group' AND g.id = m.member_id
         WHERE m.group_id = ? ORDER BY m.seq`,
      ),
      memberIds: db.prepare('SELECT member_id FROM group_members WHERE group_id = ?'),
      memberCount: db.prepare('SELECT COUNT(*) AS n FROM group_members WHERE group_id = ?'),
      insertMember: db.prepare(
        'INSERT OR IGNORE INTO group_members (group_id, member_id, member_type) VALUES (?, ?, ?)',
      ),
      deleteMember: db.prepare('DELETE FROM group_members WHERE group_id = ? AND member_id = ?'),
      deleteMembersOfGroup: db.prepare('DELETE FROM group_members WHERE group_id = ?'),
      deleteMembershipsOf: db.prepare('DELETE FROM group_members WHERE member_id = ?'),
      userExists: db.prepare('SELECT 1 AS x FROM users WHERE tenant_id = ? AND id = ?'),
      groupExists: db.prepare('SELECT 1 AS x FROM groups WHERE tenant_id = ? AND id = ?'),
    }
  }

  /** Resolves member ids to their type; an id that is not a user or group of this tenant is refused. */
  resolveMembers(tenantId: string, values: string[], selfId?: string): Member[] {
    const out: Member[] = []
    const seen = new Set<string>()
    for (const value of values) {
      if (seen.has(value)) continue
      seen.add(value)
      if (value === selfId) {
        throw new ScimError(400, `A group cannot be a member of itself (${value}).`, 'invalidValue')
      }
      if (this.s.userExists!.get(tenantId, value)) out.push({ value, type: 'User', display: null })
      else if (this.s.groupExists!.get(tenantId, value))
        out.push({ value, type: 'Group', display: null })
      else
        throw new ScimError(
          400,
          `Member "${value}" is not the id of a user or group in this tenant. Use the id returned when the user was created (not the userName or externalId).`,
          'invalidValue',
        )
    }
    return out
  }

  createGroup(tenantId: string, body: Json, memberIds: string[]): Stored {
    const cols = groupColumns(body)
    return transaction(this.db, () => {
      this.writes?.bump(tenantId)
      const id = newResourceId()
      const members = this.resolveMembers(tenantId, memberIds)
      const now = new Date().toISOString()
      this.s.insertGroup!.run(id, tenantId, ...cols, now, now, JSON.stringify(body))
      for (const m of members) this.s.insertMember!.run(id, m.value, m.type)
      this.counts.adjust(tenantId, 1)
      return { kind: 'Group', id, tenantId, version: 1, createdAt: now, lastModified: now, body }
    })
  }

  getGroup(tenantId: string, id: string): Stored | undefined {
    const row = this.s.getGroup!.get(tenantId, id) as ResourceRow | undefined
    return row && toStored('Group', row)
  }

  members(groupId: string): Member[] {
    return (
      this.s.members!.all(groupId) as {
        member_id: string
        member_type: 'User' | 'Group'
        display: string | null
      }[]
    ).map((m) => ({ value: m.member_id, type: m.member_type, display: m.display }))
  }

  memberCount(groupId: string): number {
    return (this.s.memberCount!.get(groupId) as { n: number }).n
  }

  /**
   * Replaces body and member list, writing only the membership rows that changed so a PATCH that
   * adds one member to a 10,000-member group stays cheap. Returns who was added and removed.
   */
  replaceGroup(
    tenantId: string,
    id: string,
    body: Json,
    memberIds: string[],
  ): { stored: Stored; added: string[]; removed: string[] } {
    const cols = groupColumns(body)
    return transaction(this.db, () => {
      this.writes?.bump(tenantId)
      const now = new Date().toISOString()
      const row = this.s.updateGroup!.get(...cols, now, JSON.stringify(body), tenantId, id) as
        { version: number; created_at: string } | undefined
      if (!row) throw notFound('Group', id)
      const before = new Set(
        (this.s.memberIds!.all(id) as { member_id: string }[]).map((m) => m.member_id),
      )
      const wanted = this.resolveMembers(tenantId, memberIds, id)
      const wantedIds = new Set(wanted.map((m) => m.value))
      const added: string[] = []
      const removed: string[] = []
      for (const m of wanted) {
        if (!before.has(m.value)) {
          this.s.insertMember!.run(id, m.value, m.type)
          added.push(m.value)
        }
      }
      for (const v of before) {
        if (!wantedIds.has(v)) {
          this.s.deleteMember!.run(id, v)
          removed.push(v)
        }
      }
      const stored: Stored = {
        kind: 'Group',
        id,
        tenantId,
        version: row.version,
        createdAt: row.created_at,
        lastModified: now,
        body,
      }
      return { stored, added, removed }
    })
  }

  deleteGroup(tenantId: string, id: string): boolean {
    return transaction(this.db, () => {
      this.writes?.bump(tenantId)
      const r = this.s.deleteGroup!.run(tenantId, id)
      if (r.changes === 0) return false
      this.counts.adjust(tenantId, -1)
      this.s.deleteMembersOfGroup!.run(id)
      this.s.deleteMembershipsOf!.run(id)
      return true
    })
  }

  countGroups(tenantId: string): number {
    return this.counts.get(tenantId)
  }

  pageGroups(tenantId: string, offset: number, limit: number): Stored[] {
    return rowsOf('Group', this.s.pageGroups!.all(tenantId, limit, offset))
  }

  groupsByEq(tenantId: string, eq: IndexedEq): Stored[] | undefined {
    const v = str(eq.value)
    if (v === null) return eq.value === null ? undefined : []
    switch (eq.path) {
      case 'displayname':
        return rowsOf('Group', this.s.groupsByDisplay!.all(tenantId, v.toLowerCase()))
      case 'externalid':
        return rowsOf('Group', this.s.groupsByExternal!.all(tenantId, v))
      case 'id':
        return rowsOf('Group', this.s.groupsById!.all(tenantId, v))
      default:
        return undefined
    }
  }
}
