import { ScimError } from '../scim-error.ts'
import type { Json } from '../../store/resources.ts'
import { LIST_RESPONSE } from './scim-context.ts'
import type { ScimContext, ScimResult } from './scim-context.ts'

/** /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4), each item also by id. */

export function discovery(ctx: ScimContext, body: unknown): ScimResult {
  ctx.ev.resourceType = 'Discovery'
  ctx.ev.outcome = 'read'
  return { status: 200, body }
}

function listOf(items: unknown): Json[] {
  if (Array.isArray(items)) return items as Json[]
  const resources = (items as Json | undefined)?.Resources
  return Array.isArray(resources) ? (resources as Json[]) : []
}

export function discoveryList(ctx: ScimContext, items: unknown): ScimResult {
  const all = listOf(items)
  return discovery(ctx, {
    schemas: [LIST_RESPONSE],
    totalResults: all.length,
    itemsPerPage: all.length,
    startIndex: 1,
    Resources: all,
  })
}

export function discoveryOne(
  ctx: ScimContext,
  items: unknown,
  key: 'id' | 'name',
  what: string,
): ScimResult {
  const wanted = ctx.params.id!
  const hit = listOf(items).find((r) => String(r[key]).toLowerCase() === wanted.toLowerCase())
  if (!hit)
    throw new ScimError(
      404,
      `No ${what} "${wanted}". GET /${what === 'schema' ? 'Schemas' : 'ResourceTypes'} lists them.`,
    )
  return discovery(ctx, hit)
}
