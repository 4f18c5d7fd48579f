import { ScimError } from '../scim-error.ts'
import { evaluateFilter, findIndexableEquality, parseFilter, sortResources } from '../filter.ts'
import { projectAttributes } from '../projection.ts'
import type { Json, Kind, Stored } from '../../store/resources.ts'
import { listParams, projection, wants } from './query-params.ts'
import type { ListParams } from './query-params.ts'
import { render } from './representation.ts'
import { LIST_RESPONSE, requireBody, SEARCH_REQUEST } from './scim-context.ts'
import type { ScimContext, ScimResult } from './scim-context.ts'

/** GET /Users, /Groups and POST .search: filter, sort, page and project. */

interface RenderedStored {
  s: Stored
  r: Json
}

function sortRendered(list: RenderedStored[], params: ListParams, kind: Kind): Stored[] {
  const order = new Map(list.map((x) => [x.r, x.s]))
  return sortResources(
    list.map((x) => x.r),
    params.sortBy,
    params.sortOrder,
    kind,
  ).map((r) => order.get(r)!)
}

export function list(kind: Kind, ctx: ScimContext, params: ListParams): ScimResult {
  const { store, tenantId } = ctx
  ctx.ev.resourceType = kind
  ctx.ev.outcome = 'read'
  const proj = projection(params)
  const memberAttr = kind === 'User' ? 'groups' : 'members'
  const all = (): Stored[] =>
    kind === 'User' ? store.allUsers(tenantId) : store.allGroups(tenantId)
  let matched: Stored[] | undefined
  let total: number
  if (params.filter !== undefined) {
    const node = parseFilter(params.filter, kind)
    const eq = findIndexableEquality(node)
    if (eq && kind === 'User' && eq.path === 'username' && typeof eq.value === 'string') {
      ctx.ev.userName = eq.value
    }
    // An indexed `eq` narrows the candidates; the whole filter still decides on each of them.
    const candidates =
      (eq && (kind === 'User' ? store.usersByEq(tenantId, eq) : store.groupsByEq(tenantId, eq))) ??
      all()
    const withMembership = new RegExp(memberAttr, 'i').test(params.filter)
    const hits = candidates
      .map((s) => ({
        s,
        r: render(store, ctx.baseUrl, s, {
          withGroups: withMembership,
          withMembers: withMembership,
        }),
      }))
      .filter(({ r }) => evaluateFilter(node, r, kind))
    matched = params.sortBy ? sortRendered(hits, params, kind) : hits.map((x) => x.s)
    total = matched.length
    if (total === 1 && kind === 'User') {
      const only = matched[0]!
      ctx.ev.resourceId = only.id
      if (typeof only.body.userName === 'string') ctx.ev.userName = only.body.userName
    }
    if (total === 0) ctx.ev.outcome = 'lookup_empty'
  } else if (params.sortBy) {
    const rendered = all().map((s) => ({
      s,
      r: render(store, ctx.baseUrl, s, { withGroups: false, withMembers: false }),
    }))
    matched = sortRendered(rendered, params, kind)
    total = matched.length
  } else {
    total = kind === 'User' ? store.countUsers(tenantId) : store.countGroups(tenantId)
  }
  const offset = params.startIndex - 1
  let page: Stored[]
  if (params.count === 0) page = []
  else if (matched) page = matched.slice(offset, offset + params.count)
  else if (kind === 'User') page = store.pageUsers(tenantId, offset, params.count)
  else page = store.pageGroups(tenantId, offset, params.count)
  const withMembership = wants(proj, memberAttr)
  const resources = page.map((s) =>
    projectAttributes(
      render(store, ctx.baseUrl, s, { withGroups: withMembership, withMembers: withMembership }),
      proj,
      kind,
    ),
  )
  const body: Json = {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex: params.startIndex,
  }
  // count=0 asks for totalResults only (RFC 7644 §3.4.2.4); an empty result keeps `Resources: []`
  // as Entra's documented zero-result answer does.
  if (params.count !== 0 || total === 0) body.Resources = resources
  return { status: 200, body }
}

export function search(kind: Kind, ctx: ScimContext): ScimResult {
  const body = requireBody(ctx)
  const schemasList = body.schemas
  if (
    schemasList !== undefined &&
    (!Array.isArray(schemasList) || !schemasList.includes(SEARCH_REQUEST))
  ) {
    throw new ScimError(
      400,
      `A search request must carry schemas ["${SEARCH_REQUEST}"].`,
      'invalidSyntax',
    )
  }
  return list(kind, ctx, listParams(body))
}
