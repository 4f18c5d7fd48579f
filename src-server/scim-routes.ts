import { Router } from './http/router.ts'
import { resourceTypes, schemas, serviceProviderConfig } from './scim/discovery.ts'
import { discovery, discoveryList, discoveryOne } from './scim/routes/discovery-routes.ts'
import { list, search } from './scim/routes/list-resources.ts'
import { listParams, queryObject } from './scim/routes/query-params.ts'
import { endpoint } from './scim/routes/representation.ts'
import { create, getOne, patch, remove, replace } from './scim/routes/resource-routes.ts'
import type { ScimContext, ScimResult } from './scim/routes/scim-context.ts'

/** The SCIM routes under /scim/v2; the handlers live in ./scim/routes/, one module per seam. */

export {
  LIST_RESPONSE,
  MAX_PAGE,
  PATCH_OP,
  SEARCH_REQUEST,
  type EventDraft,
  type ScimContext,
  type ScimResult,
} from './scim/routes/scim-context.ts'
export { etagOf, render } from './scim/routes/representation.ts'

export function scimRouter(): Router<ScimContext, ScimResult> {
  const r = new Router<ScimContext, ScimResult>()
  for (const kind of ['User', 'Group'] as const) {
    const base = `/${endpoint(kind)}`
    r.on('GET', base, (ctx) => list(kind, ctx, listParams(queryObject(ctx.url))))
    r.on('POST', base, (ctx) => create(kind, ctx))
    r.on('POST', `${base}/.search`, (ctx) => search(kind, ctx))
    r.on('GET', `${base}/:id`, (ctx) => getOne(kind, ctx))
    r.on('PUT', `${base}/:id`, (ctx) => replace(kind, ctx))
    r.on('PATCH', `${base}/:id`, (ctx) => patch(kind, ctx))
    r.on('DELETE', `${base}/:id`, (ctx) => remove(kind, ctx))
  }
  r.on('GET', '/ServiceProviderConfig', (ctx) => discovery(ctx, serviceProviderConfig(ctx.baseUrl)))
  r.on('GET', '/ResourceTypes', (ctx) => discoveryList(ctx, resourceTypes(ctx.baseUrl)))
  r.on('GET', '/ResourceTypes/:id', (ctx) =>
    discoveryOne(ctx, resourceTypes(ctx.baseUrl), 'name', 'resource type'),
  )
  r.on('GET', '/Schemas', (ctx) => discoveryList(ctx, schemas(ctx.baseUrl)))
  r.on('GET', '/Schemas/:id', (ctx) => discoveryOne(ctx, schemas(ctx.baseUrl), 'id', 'schema'))
  return r
}
