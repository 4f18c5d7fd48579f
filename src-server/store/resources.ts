import { randomUUID } from 'node:crypto'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { transaction } from '../db.ts'
import { ScimError } from '../scim/scim-error.ts'

export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

export type Kind = 'User' | 'Group'
export type Json = Record<string, unknown>

/** A stored resource: its SCIM body (no id/meta/groups/members) plus what the server owns. */
export interface Stored {
  kind: Kind
  id: string
  tenantId: string
  version: number
  createdAt: string
  lastModified: string
  body: Json
}

export interface Member {
  value: string
  type: 'User' | 'Group'
  display: string | null
}

interface ResourceRow {
  id: string
  tenant_id: string
  version: number
  created_at: string
  last_modified: string
  json: string
}

export interface IndexedEq {
  path: string
  value: unknown
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null
}

function department(body: Json): string | null {
  const ext = body[ENTERPRISE_USER]
  if (ext && typeof ext === 'object') {
    const d = (ext as Json).department
    if (typeof d === 'string' && d.trim() !== '') return d
  }
  return null
}

function emailValues(body: Json): string[] {
  const emails = body.emails
  if (!Array.isArray(emails)) return []
  const out = new Set<string>()
  for (const e of emails) {
    const v = e && typeof e === 'object' ? (e as Json).value : undefined
    if (typeof v === 'string') out.add(v.toLowerCase())
  }
  return [...out]
}

/** Users and groups of every tenant. Every method is scoped by tenant id: isolation lives here. */
export class ResourceStore {
  private readonly db: DatabaseSync
  private readonly s: Record<string, StatementSync>
  /**
   * Resources per tenant, counted once and then kept up to date: every unfiltered list needs
   * totalResults, and COUNT(*) over 100,000 users on each Okta import page is too slow. Only this
   * process writes the database, so the figures cannot drift.
   */
  private readonly counts = new Map<string, number>()

  constructor(db: DatabaseSync) {
    this.db = db
    const userCols = 'id, tenant_id, version, created_at, last_modified, json'
    this.s = {
      userByName: db.prepare('SELECT id FROM users WHERE tenant_id = ? AND user_name_lower = ?'),
      insertUser: db.prepare(
        `INSERT INTO users (id, tenant_id, user_name, user_name_lower, external_id, display_name_lower, active, department, version, created_at, last_modified, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      ),
      updateUser: db.prepare(
        `UPDATE users SET user_name = ?, user_name_lower = ?, external_id = ?, display_name_lower = ?, active = ?, department = ?,
         version = version + 1, last_modified = ?, json = ? WHERE tenant_id = ? AND id = ?`,
      ),
      getUser: db.prepare(`SELECT ${userCols} FROM users WHERE tenant_id = ? AND id = ?`),
      deleteUser: db.prepare('DELETE FROM users WHERE tenant_id = ? AND id = ?'),
      insertEmail: db.prepare(
        'INSERT INTO user_emails (user_id, tenant_id, value_lower) VALUES (?, ?, ?)',
      ),
      deleteEmails: db.prepare('DELETE FROM user_emails WHERE user_id = ?'),
      countUsers: db.prepare('SELECT COUNT(*) AS n FROM users WHERE tenant_id = ?'),
      pageUsers: db.prepare(
        `SELECT ${userCols} FROM users WHERE tenant_id = ? ORDER BY seq LIMIT ? OFFSET ?`,
      ),
      allUsers: db.prepare(`SELECT ${userCols} FROM users WHERE tenant_id = ? ORDER BY seq`),
      usersByName: db.prepare(
        `SELECT ${userCols} FROM users WHERE tenant_id = ? AND user_name_lower = ? ORDER BY seq`,
      ),
      usersByExternal: db.prepare(
        `SELECT ${userCols} FROM users WHERE tenant_id = ? AND external_id = ? ORDER BY seq`,
      ),
      usersById: db.prepare(
        `SELECT ${userCols} FROM users WHERE tenant_id = ? AND id = ? ORDER BY seq`,
      ),
      usersByDisplay: db.prepare(
        `SELECT ${userCols} FROM users WHERE tenant_id = ? AND display_name_lower = ? ORDER BY seq`,
      ),
      // A join, not `id IN (subquery)`: SQLite plans the latter as a walk over the tenant's users.
      usersByEmail: db.prepare(
        `SELECT DISTINCT u.id, u.tenant_id, u.version, u.created_at, u.last_modified, u.json, u.seq
         FROM user_emails e JOIN users u ON u.id = e.user_id
         WHERE e.tenant_id = ? AND e.value_lower = ? AND u.tenant_id = ? ORDER BY u.seq`,
      ),
      groupsOfUser: db.prepare(
        `SELECT g.id, g.display_name FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.member_id = ? AND g.tenant_id = ? ORDER BY g.seq`,
      ),
      insertGroup: db.prepare(
        `INSERT INTO groups (id, tenant_id, display_name, display_name_lower, external_id, version, created_at, last_modified, json)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      ),
      updateGroup: db.prepare(
        `UPDATE groups SET display_name = ?, display_name_lower = ?, external_id = ?, version = version + 1, last_modified = ?, json = ?
         WHERE tenant_id = ? AND id = ?`,
      ),
      getGroup: db.prepare(`SELECT ${userCols} FROM groups WHERE tenant_id = ? AND id = ?`),
      deleteGroup: db.prepare('DELETE FROM groups WHERE tenant_id = ? AND id = ?'),
      countGroups: db.prepare('SELECT COUNT(*) AS n FROM groups WHERE tenant_id = ?'),
      pageGroups: db.prepare(
        `SELECT ${userCols} FROM groups WHERE tenant_id = ? ORDER BY seq LIMIT ? OFFSET ?`,
      ),
      allGroups: db.prepare(`SELECT ${userCols} FROM groups WHERE tenant_id = ? ORDER BY seq`),
      groupsByDisplay: db.prepare(
        `SELECT ${userCols} FROM groups WHERE tenant_id = ? AND display_name_lower = ? ORDER BY seq`,
      ),
      groupsByExternal: db.prepare(
        `SELECT ${userCols} FROM groups WHERE tenant_id = ? AND external_id = ? ORDER BY seq`,
      ),
      groupsById: db.prepare(
        `SELECT ${userCols} FROM groups WHERE tenant_id = ? AND id = ? ORDER BY seq`,
      ),
      members: db.prepare(
        `SELECT m.member_id, m.member_type, COALESCE(u.user_name, g.display_name) AS display
         FROM group_members m
         LEFT JOIN users u ON m.member_type = 'User' AND u.id = m.member_id
         LEFT JOIN groups g ON m.member_type = 'Group' AND g.id = m.member_id
         WHERE m.group_id = ? ORDER BY m.seq`,
      ),
      memberCount: db.prepare('SELECT COUNT(*) AS n FROM group_members WHERE group_id = ?'),
      insertMember: db.prepare(
        'INSERT OR IGNORE INTO group_members (group_id, member_id, member_type) VALUES (?, ?, ?)',
      ),
      deleteMember: db.prepare('DELETE FROM group_members WHERE group_id = ? AND member_id = ?'),
      deleteMembersOfGroup: db.prepare('DELETE FROM group_members WHERE group_id = ?'),
      deleteMembershipsOf: db.prepare('DELETE FROM group_members WHERE member_id = ?'),
      touchGroupsOfMember: db.prepare(
        `UPDATE groups SET version = version + 1, last_modified = ? WHERE id IN (SELECT group_id FROM group_members WHERE member_id = ?)`,
      ),
      userExists: db.prepare('SELECT 1 AS x FROM users WHERE tenant_id = ? AND id = ?'),
      groupExists: db.prepare('SELECT 1 AS x FROM groups WHERE tenant_id = ? AND id = ?'),
    }
  }

  private toStored(kind: Kind, row: ResourceRow): Stored {
    return {
      kind,
      id: row.id,
      tenantId: row.tenant_id,
      version: row.version,
      createdAt: row.created_at,
      lastModified: row.last_modified,
      body: JSON.parse(row.json) as Json,
    }
  }

  private rows(kind: Kind, rows: unknown[]): Stored[] {
    return (rows as ResourceRow[]).map((r) => this.toStored(kind, r))
  }

  // ---- users ----

  private assertUserNameFree(tenantId: string, userName: string, selfId?: string): void {
    const hit = this.s.userByName!.get(tenantId, userName.toLowerCase()) as
      { id: string } | undefined
    if (hit && hit.id !== selfId) {
      throw new ScimError(
        409,
        `A user with userName "${userName}" already exists in this tenant (userName is unique, case-insensitive). Look it up with filter=userName eq "${userName}" and update it instead of creating it.`,
        'uniqueness',
      )
    }
  }

  private userColumns(
    body: Json,
  ): [string, string, string | null, string | null, number, string | null] {
    const userName = str(body.userName)
    if (userName === null || userName.trim() === '') {
      throw new ScimError(
        400,
        'userName is required and must be a non-empty string.',
        'invalidValue',
      )
    }
    const display = str(body.displayName)
    return [
      userName,
      userName.toLowerCase(),
      str(body.externalId),
      display === null ? null : display.toLowerCase(),
      body.active === false ? 0 : 1,
      department(body),
    ]
  }

  createUser(tenantId: string, body: Json): Stored {
    const cols = this.userColumns(body)
    return transaction(this.db, () => {
      this.assertUserNameFree(tenantId, cols[0])
      const id = randomUUID()
      const now = new Date().toISOString()
      this.s.insertUser!.run(id, tenantId, ...cols, now, now, JSON.stringify(body))
      for (const e of emailValues(body)) this.s.insertEmail!.run(id, tenantId, e)
      this.adjustCount('User', tenantId, 1)
      return { kind: 'User', id, tenantId, version: 1, createdAt: now, lastModified: now, body }
    })
  }

  getUser(tenantId: string, id: string): Stored | undefined {
    const row = this.s.getUser!.get(tenantId, id) as ResourceRow | undefined
    return row && this.toStored('User', row)
  }

  replaceUser(tenantId: string, id: string, body: Json): Stored {
    const cols = this.userColumns(body)
    return transaction(this.db, () => {
      this.assertUserNameFree(tenantId, cols[0], id)
      const now = new Date().toISOString()
      const r = this.s.updateUser!.run(...cols, now, JSON.stringify(body), tenantId, id)
      if (r.changes === 0) throw notFound('User', id)
      this.s.deleteEmails!.run(id)
      for (const e of emailValues(body)) this.s.insertEmail!.run(id, tenantId, e)
      return this.getUser(tenantId, id)!
    })
  }

  deleteUser(tenantId: string, id: string): boolean {
    return transaction(this.db, () => {
      const r = this.s.deleteUser!.run(tenantId, id)
      if (r.changes === 0) return false
      this.adjustCount('User', tenantId, -1)
      this.s.deleteEmails!.run(id)
      this.s.touchGroupsOfMember!.run(new Date().toISOString(), id)
      this.s.deleteMembershipsOf!.run(id)
      return true
    })
  }

  private counted(kind: Kind, tenantId: string): number {
    const key = `${kind}:${tenantId}`
    let n = this.counts.get(key)
    if (n === undefined) {
      const stmt = kind === 'User' ? this.s.countUsers! : this.s.countGroups!
      n = (stmt.get(tenantId) as { n: number }).n
      this.counts.set(key, n)
    }
    return n
  }

  private adjustCount(kind: Kind, tenantId: string, delta: number): void {
    const key = `${kind}:${tenantId}`
    const n = this.counts.get(key)
    if (n !== undefined) this.counts.set(key, n + delta)
  }

  countUsers(tenantId: string): number {
    return this.counted('User', tenantId)
  }

  pageUsers(tenantId: string, offset: number, limit: number): Stored[] {
    return this.rows('User', this.s.pageUsers!.all(tenantId, limit, offset))
  }

  allUsers(tenantId: string): Stored[] {
    return this.rows('User', this.s.allUsers!.all(tenantId))
  }

  /** Candidates for an `eq` on an indexed attribute, or undefined when the path has no index. */
  usersByEq(tenantId: string, eq: IndexedEq): Stored[] | undefined {
    const v = str(eq.value)
    if (v === null) return eq.value === null ? undefined : []
    switch (eq.path) {
      case 'username':
        return this.rows('User', this.s.usersByName!.all(tenantId, v.toLowerCase()))
      case 'externalid':
        return this.rows('User', this.s.usersByExternal!.all(tenantId, v))
      case 'id':
        return this.rows('User', this.s.usersById!.all(tenantId, v))
      case 'displayname':
        return this.rows('User', this.s.usersByDisplay!.all(tenantId, v.toLowerCase()))
      case 'emails.value':
        return this.rows('User', this.s.usersByEmail!.all(tenantId, v.toLowerCase(), tenantId))
      default:
        return undefined
    }
  }

  groupsOfUser(tenantId: string, userId: string): { value: string; display: string }[] {
    return (
      this.s.groupsOfUser!.all(userId, tenantId) as { id: string; display_name: string }[]
    ).map((g) => ({ value: g.id, display: g.display_name }))
  }

  // ---- groups ----

  private groupColumns(body: Json): [string, string, string | null] {
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
    const cols = this.groupColumns(body)
    return transaction(this.db, () => {
      const id = randomUUID()
      const members = this.resolveMembers(tenantId, memberIds)
      const now = new Date().toISOString()
      this.s.insertGroup!.run(id, tenantId, ...cols, now, now, JSON.stringify(body))
      for (const m of members) this.s.insertMember!.run(id, m.value, m.type)
      this.adjustCount('Group', tenantId, 1)
      return { kind: 'Group', id, tenantId, version: 1, createdAt: now, lastModified: now, body }
    })
  }

  getGroup(tenantId: string, id: string): Stored | undefined {
    const row = this.s.getGroup!.get(tenantId, id) as ResourceRow | undefined
    return row && this.toStored('Group', row)
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
    const cols = this.groupColumns(body)
    return transaction(this.db, () => {
      const now = new Date().toISOString()
      const r = this.s.updateGroup!.run(...cols, now, JSON.stringify(body), tenantId, id)
      if (r.changes === 0) throw notFound('Group', id)
      const before = new Set(this.members(id).map((m) => m.value))
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
      return { stored: this.getGroup(tenantId, id)!, added, removed }
    })
  }

  deleteGroup(tenantId: string, id: string): boolean {
    return transaction(this.db, () => {
      const r = this.s.deleteGroup!.run(tenantId, id)
      if (r.changes === 0) return false
      this.adjustCount('Group', tenantId, -1)
      this.s.deleteMembersOfGroup!.run(id)
      this.s.deleteMembershipsOf!.run(id)
      return true
    })
  }

  countGroups(tenantId: string): number {
    return this.counted('Group', tenantId)
  }

  pageGroups(tenantId: string, offset: number, limit: number): Stored[] {
    return this.rows('Group', this.s.pageGroups!.all(tenantId, limit, offset))
  }

  allGroups(tenantId: string): Stored[] {
    return this.rows('Group', this.s.allGroups!.all(tenantId))
  }

  groupsByEq(tenantId: string, eq: IndexedEq): Stored[] | undefined {
    const v = str(eq.value)
    if (v === null) return eq.value === null ? undefined : []
    switch (eq.path) {
      case 'displayname':
        return this.rows('Group', this.s.groupsByDisplay!.all(tenantId, v.toLowerCase()))
      case 'externalid':
        return this.rows('Group', this.s.groupsByExternal!.all(tenantId, v))
      case 'id':
        return this.rows('Group', this.s.groupsById!.all(tenantId, v))
      default:
        return undefined
    }
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
      stored: this.toStored('User', r),
      groups: this.groupsOfUser(tenantId, r.id).map((g) => g.display),
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
      stored: this.toStored('Group', r),
      memberCount: this.memberCount(r.id),
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

export function notFound(kind: Kind, id: string): ScimError {
  return new ScimError(
    404,
    `${kind} ${id} not found in this tenant. It was deleted, never existed, or belongs to another tenant's token.`,
  )
}
