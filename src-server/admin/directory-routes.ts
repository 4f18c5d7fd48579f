import type { Router } from '../http/router.ts'
import type { AdminContext, AdminResult } from './admin-context.ts'
import { AdminHttpError, parseQuery, tenantOf } from './admin-context.ts'
import { ENTERPRISE_USER } from '../store/resources.ts'
import { queryParams } from './admin-schemas.ts'
import { sourceOf } from './directory-source.ts'

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null
}

/** A page's next cursor: the last row's sequence when the page came back full. */
function nextCursor(rows: { seq: number }[], limit: number): string | null {
  return rows.length === limit ? String(rows[rows.length - 1]!.seq) : null
}

/**
 * What the tenant holds, for the console's Directory: users and groups (searched, paged) with the
 * client that created each and its last change from the event log, a group's members, departments.
 */
export function directoryRoutes(r: Router<AdminContext, AdminResult>): void {
  r.on('GET', '/tenants/:tenantId/users', (ctx) => {
    const t = tenantOf(ctx)
    const q = parseQuery(ctx, queryParams.listUsers)
    const rows = ctx.deps.resources.userSummaries(t.id, Number(q.cursor ?? 0), q.limit, q.q)
    const history = ctx.deps.events.histories.of(
      t.id,
      rows.map((row) => row.stored.id),
    )
    const items = rows.map(({ stored, groups }) => {
      const b = stored.body
      const ext = b[ENTERPRISE_USER] as Record<string, unknown> | undefined
      const h = history.get(stored.id)!
      return {
        id: stored.id,
        userName: String(b.userName),
        active: b.active !== false,
        externalId: str(b.externalId),
        displayName: str(b.displayName),
        department: str(ext?.department),
        groups,
        createdAt: stored.createdAt,
        lastModified: stored.lastModified,
        source: sourceOf(h.created, String(b.userName)),
        lastChange: h.lastChange,
      }
    })
    return {
      status: 200,
      body: {
        items,
        nextCursor: nextCursor(rows, q.limit),
        total: ctx.deps.resources.countUsersMatching(t.id, q.q),
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/groups', (ctx) => {
    const t = tenantOf(ctx)
    const q = parseQuery(ctx, queryParams.listGroups)
    const rows = ctx.deps.resources.groupSummaries(t.id, Number(q.cursor ?? 0), q.limit, q.q)
    const history = ctx.deps.events.histories.of(
      t.id,
      rows.map((row) => row.stored.id),
    )
    return {
      status: 200,
      body: {
        items: rows.map(({ stored, memberCount }) => {
          const h = history.get(stored.id)!
          const displayName = String(stored.body.displayName)
          return {
            id: stored.id,
            displayName,
            externalId: str(stored.body.externalId),
            memberCount,
            createdAt: stored.createdAt,
            lastModified: stored.lastModified,
            source: sourceOf(h.created, displayName),
            lastChange: h.lastChange,
          }
        }),
        nextCursor: nextCursor(rows, q.limit),
        total: ctx.deps.resources.countGroupsMatching(t.id, q.q),
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/groups/:groupId/members', (ctx) => {
    const t = tenantOf(ctx)
    const q = parseQuery(ctx, queryParams.listGroupMembers)
    const groupId = ctx.params.groupId!
    const group = ctx.deps.resources.getGroup(t.id, groupId)
    if (!group) {
      throw new AdminHttpError(
        404,
        'admin.not_found',
        `Group ${groupId} is not in tenant ${t.id}.`,
        'Use the id of a group from GET /tenants/{tenantId}/groups.',
      )
    }
    const rows = ctx.deps.resources.groupMembers(groupId, Number(q.cursor ?? 0), q.limit)
    return {
      status: 200,
      body: {
        groupId,
        displayName: String(group.body.displayName),
        items: rows.map(({ id, type, display, active }) => ({ id, type, display, active })),
        nextCursor: nextCursor(rows, q.limit),
        total: ctx.deps.resources.memberCount(groupId),
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/departments', (ctx) => ({
    status: 200,
    body: { items: ctx.deps.resources.departments(tenantOf(ctx).id) },
  }))
}
