import { applyPatch } from '../patch.ts'
import { normalizeIncoming } from '../normalize.ts'
import { projectAttributes } from '../projection.ts'
import { ScimError } from '../scim-error.ts'
import { notFound } from '../../store/resources.ts'
import type { Json, Kind, Stored } from '../../store/resources.ts'
import type { Outcome } from '../../store/events.ts'
import { projection, queryObject, wants } from './query-params.ts'
import { etagOf, render, resourceResult, respondWithResource } from './representation.ts'
import { requireBody } from './scim-context.ts'
import type { ScimContext, ScimResult } from './scim-context.ts'

/**
 * One user or group: create, read, replace, patch, delete. Each records on the event draft what
 * it did (outcome, user, membership changes) for the provisioning log.
 */

function load(kind: Kind, ctx: ScimContext, id: string): Stored {
  ctx.ev.resourceType = kind
  ctx.ev.resourceId = id
  const stored =
    kind === 'User' ? ctx.store.getUser(ctx.tenantId, id) : ctx.store.getGroup(ctx.tenantId, id)
  if (!stored) throw notFound(kind, id)
  if (kind === 'User' && typeof stored.body.userName === 'string')
    ctx.ev.userName = stored.body.userName
  return stored
}

function checkIfMatch(ctx: ScimContext, stored: Stored): void {
  const header = ctx.req.headers['if-match']
  if (header === undefined) return
  const tags = header.split(',').map((t) => t.trim())
  if (tags.includes('*')) return
  const current = etagOf(stored)
  // Weak comparison (RFC 9110 §8.8.3.2): W/"3" and "3" name the same version.
  const bare = (t: string) => t.replace(/^W\//, '')
  if (!tags.some((t) => bare(t) === bare(current))) {
    throw new ScimError(
      412,
      `If-Match ${header} does not match the current version ${current}; the resource changed since you read it. GET it again and retry.`,
    )
  }
}

function memberIds(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) {
    throw new ScimError(
      400,
      'members must be an array of { "value": "<id>" } objects.',
      'invalidValue',
    )
  }
  return value.map((m) => {
    const v = typeof m === 'string' ? m : m && typeof m === 'object' ? (m as Json).value : undefined
    if (typeof v !== 'string' || v === '') {
      throw new ScimError(
        400,
        'Every member needs a non-empty string "value" (the member\'s id).',
        'invalidValue',
      )
    }
    return v
  })
}

function splitMembers(clean: Json): { body: Json; members: string[] } {
  const { members, ...body } = clean
  return { body, members: memberIds(members) }
}

function stripComputed(clean: Json): Json {
  const { groups: _groups, id: _id, meta: _meta, ...body } = clean
  return body
}

function userNameOf(body: Json): string | null {
  return typeof body.userName === 'string' ? body.userName : null
}

function activeOf(body: Json): boolean {
  return body.active !== false
}

export function create(kind: Kind, ctx: ScimContext): ScimResult {
  const raw = requireBody(ctx)
  ctx.ev.resourceType = kind
  if (kind === 'User') ctx.ev.userName = userNameOf(raw)
  const clean = stripComputed(normalizeIncoming(raw, kind, 'create') as Json)
  let stored: Stored
  if (kind === 'User') {
    stored = ctx.store.createUser(ctx.tenantId, clean)
  } else {
    const { body, members } = splitMembers(clean)
    stored = ctx.store.createGroup(ctx.tenantId, body, members)
    if (members.length > 0) ctx.ev.membersAdded = members
  }
  ctx.ev.resourceId = stored.id
  ctx.ev.outcome = 'created'
  // A user created a moment ago is in no group yet: no need to ask the store.
  return respondWithResource(kind, ctx, stored, 201, { withGroups: kind !== 'User' })
}

function storeReplacement(kind: Kind, ctx: ScimContext, current: Stored, clean: Json): Stored {
  if (kind === 'User') {
    const stored = ctx.store.replaceUser(ctx.tenantId, current.id, clean)
    ctx.ev.userName = userNameOf(clean)
    ctx.ev.outcome = lifecycleOutcome(activeOf(current.body), activeOf(clean))
    return stored
  }
  const { body, members } = splitMembers(clean)
  const r = ctx.store.replaceGroup(ctx.tenantId, current.id, body, members)
  ctx.ev.outcome = r.added.length || r.removed.length ? 'membership_changed' : 'updated'
  ctx.ev.membersAdded = r.added
  ctx.ev.membersRemoved = r.removed
  return r.stored
}

export function getOne(kind: Kind, ctx: ScimContext): ScimResult {
  const stored = load(kind, ctx, ctx.params.id!)
  ctx.ev.outcome = 'read'
  const noneMatch = ctx.req.headers['if-none-match']
  if (noneMatch !== undefined) {
    const bare = (t: string) => t.trim().replace(/^W\//, '')
    if (noneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etagOf(stored)))) {
      return { status: 304, headers: { ETag: etagOf(stored) } }
    }
  }
  const proj = projection(queryObject(ctx.url))
  const full = render(ctx.store, ctx.baseUrl, stored, {
    withGroups: wants(proj, 'groups'),
    withMembers: wants(proj, 'members'),
  })
  return resourceResult(ctx, stored, 200, projectAttributes(full, proj, kind))
}

function lifecycleOutcome(before: boolean, after: boolean): Outcome {
  if (before && !after) return 'deactivated'
  if (!before && after) return 'reactivated'
  return 'updated'
}

export function replace(kind: Kind, ctx: ScimContext): ScimResult {
  const raw = requireBody(ctx)
  const current = load(kind, ctx, ctx.params.id!)
  checkIfMatch(ctx, current)
  const clean = stripComputed(normalizeIncoming(raw, kind, 'replace') as Json)
  // Okta's AIW PUT and some hand-written clients omit `active`; treating that as "inactive"
  // would suspend the user (SCIM-REFERENCE §5 #11), so an omitted `active` keeps its value.
  if (kind === 'User' && clean.active === undefined && current.body.active !== undefined)
    clean.active = current.body.active
  return respondWithResource(kind, ctx, storeReplacement(kind, ctx, current, clean), 200)
}

export function patch(kind: Kind, ctx: ScimContext): ScimResult {
  const raw = requireBody(ctx)
  const current = load(kind, ctx, ctx.params.id!)
  checkIfMatch(ctx, current)
  const before = render(ctx.store, ctx.baseUrl, current)
  const result = applyPatch(before, raw, kind)
  const proj = projection(queryObject(ctx.url))
  if (!result.changed) {
    ctx.ev.outcome = 'updated'
    return resourceResult(ctx, current, 200, projectAttributes(before, proj, kind))
  }
  const clean = stripComputed(normalizeIncoming(result.resource, kind, 'replace') as Json)
  return respondWithResource(kind, ctx, storeReplacement(kind, ctx, current, clean), 200)
}

export function remove(kind: Kind, ctx: ScimContext): ScimResult {
  const current = load(kind, ctx, ctx.params.id!)
  checkIfMatch(ctx, current)
  const ok =
    kind === 'User'
      ? ctx.store.deleteUser(ctx.tenantId, current.id)
      : ctx.store.deleteGroup(ctx.tenantId, current.id)
  if (!ok) throw notFound(kind, current.id)
  ctx.ev.outcome = 'deleted'
  return { status: 204 }
}
