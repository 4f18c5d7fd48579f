import type { Router } from '../http/router.ts'
import type { AdminContext, AdminResult } from './admin-context.ts'
import { parseBody, tenantOf } from './admin-context.ts'
import type { TenantRecord } from '../store/tenants.ts'
import { SCIM_PREFIX } from '../scim-http.ts'
import { requestBodies } from './admin-schemas.ts'

export function tenantView(ctx: AdminContext, t: TenantRecord) {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    scimBaseUrl: `${ctx.origin}${SCIM_PREFIX}`,
  }
}

/** GET/POST /tenants and GET /tenants/{id}. */
export function tenantRoutes(r: Router<AdminContext, AdminResult>): void {
  r.on('GET', '/tenants', (ctx) => ({
    status: 200,
    body: { tenants: ctx.deps.tenants.listTenants().map((t) => tenantView(ctx, t)) },
  }))
  r.on('POST', '/tenants', (ctx) => {
    const input = parseBody(ctx, requestBodies.TenantCreate, 'tenant')
    const t = ctx.deps.tenants.createTenant(input.name)
    return { status: 201, body: tenantView(ctx, t) }
  })
  r.on('GET', '/tenants/:tenantId', (ctx) => ({
    status: 200,
    body: tenantView(ctx, tenantOf(ctx)),
  }))
}
