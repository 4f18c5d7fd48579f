import type { DatabaseSync } from 'node:sqlite'
import { CountCache } from './count-cache.ts'
import { GroupStore } from './group-store.ts'
import type { IndexedEq, Json, Member, Stored } from './resource-rows.ts'
import { ensureQueryColumns } from './query-columns.ts'
import { ResourceQuery, type ListAnswer, type ListQuery } from './resource-query.ts'
import { ResourceSummaries } from './resource-summaries.ts'
import type { GroupMemberSummary } from './resource-summaries.ts'
import { UserStore } from './user-store.ts'

export { ENTERPRISE_USER, notFound } from './resource-rows.ts'
export type { IndexedEq, Json, Kind, ListedStored, Member, Stored } from './resource-rows.ts'
export type { ListAnswer, ListQuery } from './resource-query.ts'

/**
 * Users and groups of every tenant, as the SCIM routes and the admin API see them: one object
 * over the users store, the groups store and the admin read views. Every method is scoped by
 * tenant id: isolation lives in the stores below.
 */
export class ResourceStore {
  readonly users: UserStore
  readonly groups: GroupStore
  private readonly summaries: ResourceSummaries
  private readonly query: ResourceQuery
  private readonly totals: CountCache

  /** `fewMatches`: see ResourceQuery (tests set 0 to exercise the count-then-page path alone). */
  constructor(db: DatabaseSync, opts: { fewMatches?: number } = {}) {
    ensureQueryColumns(db)
    this.totals = new CountCache()
    this.users = new UserStore(db, this.totals)
    this.groups = new GroupStore(db, this.totals)
    this.summaries = new ResourceSummaries(db, this.users, this.groups, this.totals)
    this.query = new ResourceQuery(
      db,
      (kind, tenantId) =>
        kind === 'User' ? this.users.countUsers(tenantId) : this.groups.countGroups(tenantId),
      this.totals,
      opts.fewMatches,
    )
  }

  /** A filtered, sorted page and the total it was cut from, all in SQL (resource-query.ts). */
  list(q: ListQuery): ListAnswer {
    return this.query.list(q)
  }

  /** The request's transaction rolled back: counts adjusted inside it may be ahead of disk. */
  forgetUncommitted(): void {
    this.users.counts.forget()
    this.groups.counts.forget()
    this.totals.bumpAll()
  }

  // ---- users ----
  createUser(tenantId: string, body: Json): Stored {
    return this.users.createUser(tenantId, body)
  }
  getUser(tenantId: string, id: string): Stored | undefined {
    return this.users.getUser(tenantId, id)
  }
  replaceUser(tenantId: string, id: string, body: Json): Stored {
    return this.users.replaceUser(tenantId, id, body)
  }
  deleteUser(tenantId: string, id: string): boolean {
    return this.users.deleteUser(tenantId, id)
  }
  countUsers(tenantId: string): number {
    return this.users.countUsers(tenantId)
  }
  pageUsers(tenantId: string, offset: number, limit: number): Stored[] {
    return this.users.pageUsers(tenantId, offset, limit)
  }
  usersByEq(tenantId: string, eq: IndexedEq): Stored[] | undefined {
    return this.users.usersByEq(tenantId, eq)
  }
  groupsOfUser(tenantId: string, userId: string): { value: string; display: string }[] {
    return this.users.groupsOfUser(tenantId, userId)
  }
  groupsOfUsers(
    tenantId: string,
    userIds: string[],
  ): Map<string, { value: string; display: string }[]> {
    return this.users.groupsOfUsers(tenantId, userIds)
  }

  // ---- groups ----
  resolveMembers(tenantId: string, values: string[], selfId?: string): Member[] {
    return this.groups.resolveMembers(tenantId, values, selfId)
  }
  createGroup(tenantId: string, body: Json, memberIds: string[]): Stored {
    return this.groups.createGroup(tenantId, body, memberIds)
  }
  getGroup(tenantId: string, id: string): Stored | undefined {
    return this.groups.getGroup(tenantId, id)
  }
  members(groupId: string): Member[] {
    return this.groups.members(groupId)
  }
  memberCount(groupId: string): number {
    return this.groups.memberCount(groupId)
  }
  replaceGroup(
    tenantId: string,
    id: string,
    body: Json,
    memberIds: string[],
  ): { stored: Stored; added: string[]; removed: string[] } {
    return this.groups.replaceGroup(tenantId, id, body, memberIds)
  }
  deleteGroup(tenantId: string, id: string): boolean {
    return this.groups.deleteGroup(tenantId, id)
  }
  countGroups(tenantId: string): number {
    return this.groups.countGroups(tenantId)
  }
  pageGroups(tenantId: string, offset: number, limit: number): Stored[] {
    return this.groups.pageGroups(tenantId, offset, limit)
  }
  groupsByEq(tenantId: string, eq: IndexedEq): Stored[] | undefined {
    return this.groups.groupsByEq(tenantId, eq)
  }

  // ---- admin read views ----
  userSummaries(
    tenantId: string,
    afterSeq: number,
    limit: number,
    q?: string,
  ): { seq: number; stored: Stored; groups: string[] }[] {
    return this.summaries.userSummaries(tenantId, afterSeq, limit, q)
  }
  groupSummaries(
    tenantId: string,
    afterSeq: number,
    limit: number,
    q?: string,
  ): { seq: number; stored: Stored; memberCount: number }[] {
    return this.summaries.groupSummaries(tenantId, afterSeq, limit, q)
  }
  countUsersMatching(tenantId: string, q?: string): number {
    return this.summaries.countUsersMatching(tenantId, q)
  }
  countGroupsMatching(tenantId: string, q?: string): number {
    return this.summaries.countGroupsMatching(tenantId, q)
  }
  groupMembers(groupId: string, afterSeq: number, limit: number): GroupMemberSummary[] {
    return this.summaries.groupMembers(groupId, afterSeq, limit)
  }
  departments(tenantId: string): ReturnType<ResourceSummaries['departments']> {
    return this.summaries.departments(tenantId)
  }
}
