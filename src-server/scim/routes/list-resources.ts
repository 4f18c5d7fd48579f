import { ScimError } from '../scim-error.ts'
import { findIndexableEquality, parseFilter, type FilterNode } from '../filter.ts'
import { projectAttributes } from '../projection.ts'
import type { Json, Kind, Stored } from '../../store/resources.ts'
import { listParams, projection, wants } from './query-params.ts'
import type { ListParams } from './query-params.ts'
import { render, splicedJson } from './representation.ts'
import { eventListBody } from '../../store/event-response-body.ts'
import { LIST_RESPONSE, requireBody, SEARCH_REQUEST } from './scim-context.ts'
import type { ScimContext, ScimResult } from './scim-context.ts'

/**
 * GET /Users, /Groups and POST .search: filter, sort, page and project. The filter, the sort and
 * the paging run in SQL (store/resource-query.ts), so only the page is read and rendered.
 */

export function list(kind: Kind, ctx: ScimContext, params: ListParams): ScimResult {
  const { store, tenantId } = ctx
  ctx.ev.resourceType = kind
  ctx.ev.outcome = 'read'
  const proj = projection(params)
  const memberAttr = kind === 'User' ? 'groups' : 'members'
  let node: FilterNode | undefined
  if (params.filter !== undefined) {
    node = parseFilter(params.filter, kind)
    const eq = findIndexableEquality(node)
    if (eq && kind === 'User' && eq.path === 'username' && typeof eq.value === 'string') {
      ctx.ev.userName = eq.value
    }
  }
  const { total, page } = store.list({
    kind,
    tenantId,
    baseUrl: ctx.baseUrl,
    ...(node === undefined ? {} : { filter: node }),
    ...(params.sortBy ? { sortBy: params.sortBy } : {}),
    ...(params.sortOrder === undefined ? {} : { sortOrder: params.sortOrder }),
    offset: params.startIndex - 1,
    limit: params.count,
    // A sort on groups/members sees them only when the filter named them (as rendering did).
    withMembership: params.filter !== undefined && new RegExp(memberAttr, 'i').test(params.filter),
  })
  if (node !== undefined) {
    if (total === 1 && kind === 'User' && page.length === 1) {
      const only = page[0]!
      ctx.ev.resourceId = only.id
      if (typeof only.body.userName === 'string') ctx.ev.userName = only.body.userName
    }
    if (total === 0) ctx.ev.outcome = 'lookup_empty'
  }
  const withMembership = wants(proj, memberAttr)
  const groupsOf =
    kind === 'User' && withMembership && page.length > 1
      ? store.groupsOfUsers(
          tenantId,
          page.map((s) => s.id),
        )
      : undefined
  const rendered = (s: Stored): Json => {
    const groups = groupsOf?.get(s.id)
    return projectAttributes(
      render(store, ctx.baseUrl, s, {
        withGroups: withMembership,
        withMembers: withMembership,
        ...(groups ? { groups } : {}),
      }),
      proj,
      kind,
      true,
    )
  }
  const body: Json = {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    itemsPerPage: page.length,
    startIndex: params.startIndex,
  }
  if (proj.attributes === undefined && proj.excludedAttributes === undefined && page.length > 0) {
    // Nothing to project: each resource is spliced from its stored text (representation.ts).
    const texts = page.map((s) => {
      const groups = groupsOf?.get(s.id)
      return (
        splicedJson(store, ctx.baseUrl, s, groups ? { groups } : {}) ?? JSON.stringify(rendered(s))
      )
    })
    const json = `${JSON.stringify(body).slice(0, -1)},"Resources":[${texts.join(',')}]}`
    return { status: 200, serialized: { json, eventBody: () => eventListBody(body, texts) } }
  }
  // count=0 asks for totalResults only (RFC 7644 §3.4.2.4); an empty result keeps `Resources: []`
  // as Entra's documented zero-result answer does.
  if (params.count !== 0 || total === 0) body.Resources = page.map(rendered)
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
