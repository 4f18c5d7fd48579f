import type { Json, Kind, ListedStored, ResourceStore, Stored } from '../../store/resources.ts'
import { storedSplicePoint } from './stored-splice-point.ts'
import { projectAttributes } from '../projection.ts'
import { projection, queryObject } from './query-params.ts'
import type { ScimContext, ScimResult } from './scim-context.ts'

/** A stored resource as SCIM shows it: id, meta, ETag, and the computed groups or members. */

export function endpoint(kind: Kind): string {
  return kind === 'User' ? 'Users' : 'Groups'
}

export function etagOf(stored: Stored): string {
  return `W/"${stored.version}"`
}

export interface RenderOptions {
  /** Skip the membership queries when the caller will drop them anyway. */
  withGroups?: boolean
  withMembers?: boolean
  /** A user's groups looked up already (a list page fetches all of its users' groups at once). */
  groups?: { value: string; display: string }[]
}

/** A user's groups or a group's members as SCIM shows them, under the key render() gives them. */
function membershipOf(
  store: ResourceStore,
  baseUrl: string,
  stored: Stored,
  opts: RenderOptions,
): { key: 'groups' | 'members'; items: Json[] } | undefined {
  if (stored.kind === 'User') {
    if (opts.withGroups === false) return undefined
    const groups = opts.groups ?? store.groupsOfUser(stored.tenantId, stored.id)
    if (groups.length === 0) return undefined
    return {
      key: 'groups',
      items: groups.map((g) => ({
        value: g.value,
        display: g.display,
        $ref: `${baseUrl}/Groups/${g.value}`,
        type: 'direct',
      })),
    }
  }
  if (opts.withMembers === false) return undefined
  return {
    key: 'members',
    items: store.members(stored.id).map((m) => {
      const member: Json = { value: m.value }
      if (m.display !== null) member.display = m.display
      member.$ref = `${baseUrl}/${endpoint(m.type)}/${m.value}`
      member.type = m.type
      return member
    }),
  }
}

function metaOf(baseUrl: string, stored: Stored): Json {
  return {
    resourceType: stored.kind,
    created: stored.createdAt,
    lastModified: stored.lastModified,
    location: `${baseUrl}/${endpoint(stored.kind)}/${stored.id}`,
    version: etagOf(stored),
  }
}

/** The full SCIM representation: stored body plus id, meta and the computed groups/members. */
export function render(
  store: ResourceStore,
  baseUrl: string,
  stored: Stored,
  opts: RenderOptions = {},
): Json {
  const { schemas: bodySchemas, ...rest } = stored.body
  const out: Json = { schemas: bodySchemas, id: stored.id, ...rest }
  const membership = membershipOf(store, baseUrl, stored, opts)
  if (membership) out[membership.key] = membership.items
  out.meta = metaOf(baseUrl, stored)
  return out
}

/**
 * `JSON.stringify(render(...))` for a listed row, spliced from its stored JSON text without
 * parsing it; undefined when the text is not in the shape that allows it (storedSplicePoint).
 */
export function splicedJson(
  store: ResourceStore,
  baseUrl: string,
  stored: ListedStored,
  opts: RenderOptions = {},
): string | undefined {
  const at = storedSplicePoint(stored.json)
  if (at === undefined) return undefined
  const membership = membershipOf(store, baseUrl, stored, opts)
  const members = membership ? `,"${membership.key}":${JSON.stringify(membership.items)}` : ''
  return `${stored.json.slice(0, at)},"id":${JSON.stringify(stored.id)}${stored.json.slice(at, -1)}${members},"meta":${JSON.stringify(metaOf(baseUrl, stored))}}`
}

export function resourceResult(
  ctx: ScimContext,
  stored: Stored,
  status: number,
  projected: Json,
): ScimResult {
  const headers: Record<string, string> = { ETag: etagOf(stored) }
  if (status === 201) headers.Location = `${ctx.baseUrl}/${endpoint(stored.kind)}/${stored.id}`
  return { status, body: projected, headers }
}

/** The stored resource as the response, with the request's attributes/excludedAttributes applied. */
export function respondWithResource(
  kind: Kind,
  ctx: ScimContext,
  stored: Stored,
  status: number,
  opts: RenderOptions = {},
): ScimResult {
  const proj = projection(queryObject(ctx.url))
  return resourceResult(
    ctx,
    stored,
    status,
    projectAttributes(render(ctx.store, ctx.baseUrl, stored, opts), proj, kind, true),
  )
}
