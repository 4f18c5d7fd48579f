import type { Router } from '../http/router.ts'
import type { AdminContext, AdminResult } from './admin-context.ts'
import type { ResourceStore } from '../store/resources.ts'
import { parseQuery, tenantOf } from './admin-context.ts'
import { queryParams } from './admin-schemas.ts'
import { joinRepeatedSource, stream } from './event-stream-route.ts'

/**
 * "user" may be a userName, an email, an externalId or a SCIM id: the user's story is every event
 * that names its userName or touches its id, so resolve the value to both through the store.
 */
function resolveUser(resources: ResourceStore, tenantId: string, value: string) {
  const userNames = [value]
  const resourceIds = [value]
  for (const path of ['username', 'emails.value', 'externalid', 'id']) {
    for (const u of resources.usersByEq(tenantId, { path, value }) ?? []) {
      if (typeof u.body.userName === 'string') userNames.push(u.body.userName)
      resourceIds.push(u.id)
    }
  }
  return { userNames, resourceIds }
}

/** The tenant's provisioning log: pages newest first, and the live SSE stream. */
export function eventRoutes(r: Router<AdminContext, AdminResult>): void {
  r.on('GET', '/tenants/:tenantId/events', (ctx) => {
    const t = tenantOf(ctx)
    joinRepeatedSource(ctx.url)
    const q = parseQuery(ctx, queryParams.listEvents)
    const items = ctx.deps.events.query({
      tenantId: t.id,
      beforeSeq: q.cursor === undefined ? undefined : Number(q.cursor),
      limit: q.limit,
      user: q.user === undefined ? undefined : resolveUser(ctx.deps.resources, t.id, q.user),
      statusClass: q.statusClass,
      method: q.method,
      resourceType: q.resourceType,
      outcome: q.outcome,
      source: q.source,
      sinceMs: q.since === undefined ? undefined : Date.parse(q.since),
      untilMs: q.until === undefined ? undefined : Date.parse(q.until),
    })
    return {
      status: 200,
      body: {
        items,
        nextCursor: items.length === q.limit ? String(items[items.length - 1]!.seq) : null,
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/events/stream', (ctx) => stream(ctx, tenantOf(ctx).id))
}
