import type { Json, Kind, ResourceStore, Stored } from '../../store/resources.ts'
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

/** The full SCIM representation: stored body plus id, meta and the computed groups/members. */
export function render(
  store: ResourceStore,
  baseUrl: string,
  stored: Stored,
  opts: RenderOptions = {},
): Json {
  const { schemas: bodySchemas, ...rest } = stored.body
  const out: Json = { schemas: bodySchemas, id: stored.id, ...rest }
  if (stored.kind === 'User') {
    if (opts.withGroups !== false) {
      const groups = opts.groups ?? store.groupsOfUser(stored.tenantId, stored.id)
      if (groups.length > 0) {
        out.groups = groups.map((g) => ({
          value: g.value,
          display: g.display,
          $ref: `${baseUrl}/Groups/${g.value}`,
          type: 'direct',
        }))
      }
    }
  } else if (opts.withMembers !== false) {
    out.members = store.members(stored.id).map((m) => {
      const member: Json = { value: m.value }
      if (m.display !== null) member.display = m.display
      member.$ref = `${baseUrl}/${endpoint(m.type)}/${m.value}`
      member.type = m.type
      return member
    })
  }
  out.meta = {
    resourceType: stored.kind,
    created: stored.createdAt,
    lastModified: stored.lastModified,
    location: `${baseUrl}/${endpoint(stored.kind)}/${stored.id}`,
    version: etagOf(stored),
  }
  return out
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
