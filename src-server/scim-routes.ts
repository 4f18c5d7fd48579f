import { Router } from './http/router.ts'
import type { RouteContext } from './http/router.ts'
import { ScimError } from './scim/scim-error.ts'
import { evaluateFilter, findIndexableEquality, parseFilter, sortResources } from './scim/filter.ts'
import { applyPatch } from './scim/patch.ts'
import { normalizeIncoming } from './scim/normalize.ts'
import { projectAttributes } from './scim/projection.ts'
import { MAX_RESULTS, resourceTypes, schemas, serviceProviderConfig } from './scim/discovery.ts'
import { notFound } from './store/resources.ts'
import type { Json, Kind, ResourceStore, Stored } from './store/resources.ts'
import type { EventResourceType, Outcome } from './store/events.ts'

export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest'

/** Largest page the server returns, whatever `count` asks for (declared as filter.maxResults). */
export const MAX_PAGE = MAX_RESULTS
const DEFAULT_PAGE = 100

/** What a handler learned about the request, for its provisioning event. */
export interface EventDraft {
  resourceType: EventResourceType
  resourceId: string | null
  userName: string | null
  outcome: Outcome | null
  membersAdded?: string[]
  membersRemoved?: string[]
}

export interface ScimContext extends RouteContext {
  tenantId: string
  /** e.g. http://127.0.0.1:8787/scim/v2 */
  baseUrl: string
  body: Json | undefined
  store: ResourceStore
  ev: EventDraft
}

export interface ScimResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

// ---------- representation ----------

function endpoint(kind: Kind): string {
  return kind === 'User' ? 'Users' : 'Groups'
}

export function etagOf(stored: Stored): string {
  return `W/"${stored.version}"`
}

interface RenderOptions {
  /** Skip the membership queries when the caller will drop them anyway. */
  withGroups?: boolean
  withMembers?: boolean
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
      const groups = store.groupsOfUser(stored.tenantId, stored.id)
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

function resourceResult(
  ctx: ScimContext,
  stored: Stored,
  status: number,
  projected: Json,
): ScimResult {
  const headers: Record<string, string> = { ETag: etagOf(stored) }
  if (status === 201) headers.Location = `${ctx.baseUrl}/${endpoint(stored.kind)}/${stored.id}`
  return { status, body: projected, headers }
}

// ---------- query parameters ----------

interface ListParams {
  filter?: string
  startIndex: number
  count: number
  sortBy?: string
  sortOrder?: string
  attributes?: string
  excludedAttributes?: string
}

function intParam(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const n = typeof raw === 'number' ? raw : Number(raw)
  if (!Number.isFinite(n) || !Number.isInteger(n)) {
    throw new ScimError(400, `${name} must be an integer, got "${String(raw)}".`, 'invalidValue')
  }
  return n
}

function listString(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === null) return undefined
  if (typeof raw === 'string') return raw
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw.join(',')
  throw new ScimError(400, `${name} must be a string or an array of strings.`, 'invalidValue')
}

function listParams(source: Record<string, unknown>): ListParams {
  const start = intParam(source.startIndex, 'startIndex')
  const count = intParam(source.count, 'count')
  const filter = source.filter
  if (filter !== undefined && typeof filter !== 'string') {
    throw new ScimError(400, 'filter must be a string.', 'invalidFilter')
  }
  const str = (k: string): string | undefined => {
    const v = source[k]
    if (v === undefined) return undefined
    if (typeof v !== 'string') throw new ScimError(400, `${k} must be a string.`, 'invalidValue')
    return v
  }
  return {
    filter: filter === undefined || filter.trim() === '' ? undefined : filter,
    // RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0.
    // Beyond 2^53 a start index is meaningless and no longer binds as an SQLite integer.
    startIndex: start === undefined || start < 1 ? 1 : Math.min(start, Number.MAX_SAFE_INTEGER),
    count: count === undefined ? DEFAULT_PAGE : Math.min(Math.max(count, 0), MAX_PAGE),
    sortBy: str('sortBy'),
    sortOrder: str('sortOrder'),
    attributes: listString(source.attributes, 'attributes'),
    excludedAttributes: listString(source.excludedAttributes, 'excludedAttributes'),
  }
}

function queryObject(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  // Parameter names are matched case-insensitively: clients send `startindex` or `Filter` too.
  const known = [
    'filter',
    'startIndex',
    'count',
    'sortBy',
    'sortOrder',
    'attributes',
    'excludedAttributes',
  ]
  for (const [k, v] of url.searchParams) {
    const name = known.find((n) => n.toLowerCase() === k.toLowerCase())
    if (name) out[name] = v
  }
  return out
}

function projection(p: { attributes?: string; excludedAttributes?: string }): {
  attributes?: string
  excludedAttributes?: string
} {
  const out: { attributes?: string; excludedAttributes?: string } = {}
  if (p.attributes !== undefined && p.attributes.trim() !== '') out.attributes = p.attributes
  if (p.excludedAttributes !== undefined && p.excludedAttributes.trim() !== '')
    out.excludedAttributes = p.excludedAttributes
  return out
}

/** Whether the projection keeps `attr` at all, so the membership queries can be skipped. */
function wants(p: { attributes?: string; excludedAttributes?: string }, attr: string): boolean {
  if (p.attributes) return new RegExp(`(^|[,\\s.:])${attr}($|[,\\s.\\[])`, 'i').test(p.attributes)
  // Only the whole attribute excluded drops it; `members.display` still needs the members.
  if (p.excludedAttributes)
    return !new RegExp(`(^|[,\\s:])${attr}\\s*($|,)`, 'i').test(p.excludedAttributes)
  return true
}

// ---------- list / search ----------

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

function list(kind: Kind, ctx: ScimContext, params: ListParams): ScimResult {
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

function search(kind: Kind, ctx: ScimContext): ScimResult {
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

// ---------- single resources ----------

function requireBody(ctx: ScimContext): Json {
  if (ctx.body === undefined) {
    throw new ScimError(400, 'This request needs a JSON object body.', 'invalidSyntax')
  }
  return ctx.body
}

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

function create(kind: Kind, ctx: ScimContext): ScimResult {
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
  return respondWithResource(kind, ctx, stored, 201)
}

/** The stored resource as the response, with the request's attributes/excludedAttributes applied. */
function respondWithResource(
  kind: Kind,
  ctx: ScimContext,
  stored: Stored,
  status: number,
): ScimResult {
  const proj = projection(queryObject(ctx.url))
  return resourceResult(
    ctx,
    stored,
    status,
    projectAttributes(render(ctx.store, ctx.baseUrl, stored), proj, kind),
  )
}

/** Writes a full replacement (a PUT, or a PATCH's result) and records on the event what changed. */
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

function getOne(kind: Kind, ctx: ScimContext): ScimResult {
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

function replace(kind: Kind, ctx: ScimContext): ScimResult {
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

function patch(kind: Kind, ctx: ScimContext): ScimResult {
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

function remove(kind: Kind, ctx: ScimContext): ScimResult {
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

// ---------- discovery ----------

function discovery(ctx: ScimContext, body: unknown): ScimResult {
  ctx.ev.resourceType = 'Discovery'
  ctx.ev.outcome = 'read'
  return { status: 200, body }
}

function listOf(items: unknown): Json[] {
  if (Array.isArray(items)) return items as Json[]
  const resources = (items as Json | undefined)?.Resources
  return Array.isArray(resources) ? (resources as Json[]) : []
}

function discoveryList(ctx: ScimContext, items: unknown): ScimResult {
  const all = listOf(items)
  return discovery(ctx, {
    schemas: [LIST_RESPONSE],
    totalResults: all.length,
    itemsPerPage: all.length,
    startIndex: 1,
    Resources: all,
  })
}

function discoveryOne(
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
