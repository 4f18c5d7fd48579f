import type { Router } from '../http/router.ts'
import type { AdminContext, AdminResult } from './admin-context.ts'
import { ENTERPRISE_USER } from '../store/resources.ts'
import { parseQuery, tenantOf } from './admin-context.ts'
import { queryParams } from './admin-schemas.ts'

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null
}

/** What the tenant holds, for the console's users view: users, groups, departments (paged). */
export function directoryRoutes(r: Router<AdminContext, AdminResult>): void {
  r.on('GET', '/tenants/:tenantId/users', (ctx) => {
    const t = tenantOf(ctx)
    const q = parseQuery(ctx, queryParams.listUsers)
    const rows = ctx.deps.resources.userSummaries(t.id, Number(q.cursor ?? 0), q.limit, q.q)
    const items = rows.map(({ stored, groups }) => {
      const b = stored.body
      const ext = b[ENTERPRISE_USER] as Record<string, unknown> | undefined
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
      }
    })
    return {
      status: 200,
      body: {
        items,
        nextCursor: rows.length === q.limit ? String(rows[rows.length - 1]!.seq) : null,
        total: ctx.deps.resources.countUsers(t.id),
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/groups', (ctx) => {
    const t = tenantOf(ctx)
    const q = parseQuery(ctx, queryParams.listGroups)
    const rows = ctx.deps.resources.groupSummaries(t.id, Number(q.cursor ?? 0), q.limit)
    return {
      status: 200,
      body: {
        items: rows.map(({ stored, memberCount }) => ({
          id: stored.id,
          displayName: String(stored.body.displayName),
          externalId: str(stored.body.externalId),
          memberCount,
          createdAt: stored.createdAt,
          lastModified: stored.lastModified,
        })),
        nextCursor: rows.length === q.limit ? String(rows[rows.length - 1]!.seq) : null,
        total: ctx.deps.resources.countGroups(t.id),
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/departments', (ctx) => ({
    status: 200,
    body: { items: ctx.deps.resources.departments(tenantOf(ctx).id) },
  }))
}
