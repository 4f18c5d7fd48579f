import type { Router } from '../http/router.ts'
import type { AdminContext, AdminResult } from './admin-context.ts'
import type { TokenRecord } from '../store/tenants.ts'
import { SCIM_PREFIX } from '../scim-http.ts'
import { AdminHttpError, parseBody, tenantOf } from './admin-context.ts'
import { requestBodies } from './admin-schemas.ts'

function tokenView(t: TokenRecord) {
  return {
    id: t.id,
    label: t.label,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    hashPrefix: t.sha256.slice(0, 8),
  }
}

/** How many revoked tokens GET /scim returns, newest first: a trace, not an archive. */
const REVOKED_SHOWN = 20

/** The tenant's SCIM base URL and tokens: the console registers a token's SHA-256, never the token. */
export function scimTokenRoutes(r: Router<AdminContext, AdminResult>): void {
  r.on('GET', '/tenants/:tenantId/scim', (ctx) => {
    const t = tenantOf(ctx)
    return {
      status: 200,
      body: {
        tenantId: t.id,
        baseUrl: `${ctx.origin}${SCIM_PREFIX}`,
        tokens: ctx.deps.tenants.listTokens(t.id).map(tokenView),
        revokedTokens: ctx.deps.tenants
          .listRevokedTokens(t.id, REVOKED_SHOWN)
          .map((r) => ({ ...tokenView(r), revokedAt: r.revokedAt! })),
      },
    }
  })
  r.on('POST', '/tenants/:tenantId/scim/tokens', (ctx) => {
    const t = tenantOf(ctx)
    const input = parseBody(ctx, requestBodies.ScimTokenCreate, 'token registration')
    try {
      return {
        status: 201,
        body: tokenView(ctx.deps.tenants.registerToken(t.id, input.label, input.sha256)),
      }
    } catch (err) {
      if ((err as Error).message !== 'duplicate') throw err
      throw new AdminHttpError(
        409,
        'admin.conflict',
        'A token with this SHA-256 is already registered (possibly revoked).',
        'Generate a new secret; a token value is never reused.',
      )
    }
  })
  r.on('DELETE', '/tenants/:tenantId/scim/tokens/:tokenId', (ctx) => {
    const t = tenantOf(ctx)
    if (!ctx.deps.tenants.revokeToken(t.id, ctx.params.tokenId!)) {
      throw new AdminHttpError(
        404,
        'admin.not_found',
        `No live token ${ctx.params.tokenId} in tenant ${t.id}.`,
        'GET /tenants/{id}/scim lists the live tokens.',
      )
    }
    return { status: 204 }
  })
}
