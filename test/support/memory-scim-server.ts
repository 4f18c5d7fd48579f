import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A small SCIM 2.0 server that does what Okta, Entra and RFC 7644 expect, kept in memory. It is
 * the harness tests' oracle: every check must pass against it, and the fault proxy breaks exactly
 * one of its behaviours at a time.
 */

type Json = Record<string, unknown>
type Rec = Json & { id: string }

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

export interface MemoryScimServer {
  baseUrl: string
  token: string
  users: Map<string, Rec>
  groups: Map<string, Rec>
  close(): Promise<void>
}

class ScimError extends Error {
  readonly status: number
  readonly scimType: string | undefined
  constructor(status: number, detail: string, scimType?: string) {
    super(detail)
    this.status = status
    this.scimType = scimType
  }
}

// ---- filters -------------------------------------------------------------------------------

type Filter =
  | { kind: 'cmp'; path: string; op: string; value: unknown }
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; inner: Filter }

const OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr'])

function tokenize(text: string): string[] {
  const tokens: string[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')') {
      tokens.push(c)
      i++
    } else if (c === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      tokens.push(text.slice(i, j + 1))
      i = j + 1
    } else {
      let j = i
      let depth = 0
      while (j < text.length && (depth > 0 || !/[\s()]/.test(text[j]!))) {
        if (text[j] === '[') depth++
        if (text[j] === ']') depth--
        if (text[j] === '"' && depth > 0) {
          j++
          while (j < text.length && text[j] !== '"') j++
        }
        j++
      }
      tokens.push(text.slice(i, j))
      i = j
    }
  }
  return tokens
}

export function parseFilter(text: string): Filter {
  const tokens = tokenize(text)
  let pos = 0
  const bad = (why: string): never => {
    throw new ScimError(400, `Invalid filter "${text}": ${why}`, 'invalidFilter')
  }
  const parseValue = (tok: string | undefined): unknown => {
    if (tok === undefined) return bad('missing value')
    if (tok.startsWith('"')) return JSON.parse(tok) as unknown
    if (tok === 'true') return true
    if (tok === 'false') return false
    if (tok === 'null') return null
    if (/^-?\d+(\.\d+)?$/.test(tok)) return Number(tok)
    return tok // Entra sends unquoted values: externalId eq jyoung
  }
  const primary = (): Filter => {
    const tok = tokens[pos++]
    if (tok === undefined) return bad('unexpected end')
    if (tok === '(') {
      const inner = orExpr()
      if (tokens[pos++] !== ')') bad('missing )')
      return inner
    }
    if (tok.toLowerCase() === 'not') return { kind: 'not', inner: primary() }
    const op = tokens[pos++]?.toLowerCase()
    if (!op || !OPS.has(op)) return bad(`unknown operator "${op}"`)
    if (op === 'pr') return { kind: 'cmp', path: tok, op, value: undefined }
    return { kind: 'cmp', path: tok, op, value: parseValue(tokens[pos++]) }
  }
  const andExpr = (): Filter => {
    let left = primary()
    while (tokens[pos]?.toLowerCase() === 'and') {
      pos++
      left = { kind: 'and', left, right: primary() }
    }
    return left
  }
  const orExpr = (): Filter => {
    let left = andExpr()
    while (tokens[pos]?.toLowerCase() === 'or') {
      pos++
      left = { kind: 'or', left, right: andExpr() }
    }
    return left
  }
  const f = orExpr()
  if (pos !== tokens.length) bad(`unexpected "${tokens[pos]}"`)
  return f
}

function keyOf(obj: Json, name: string): string | undefined {
  return Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase())
}

const ENTERPRISE_ATTRS =
  /^(manager|department|employeeNumber|costCenter|organization|division)(\.|$)/

/** Entra addresses enterprise attributes without their URN ("manager", "department"). */
function qualify(path: string): string {
  if (!ENTERPRISE_ATTRS.test(path)) return path
  return `${ENTERPRISE}:${path === 'manager' ? 'manager.value' : path}`
}

/** All values an attribute path reaches (multi-valued attributes fan out). */
function valuesAt(res: unknown, rawPath: string): unknown[] {
  const path = qualify(rawPath)
  let prefixObj: unknown = res
  let rest = path
  const urn = path.match(/^(urn:[^[\]]+):([^:]+)$/)
  if (urn) {
    const k = keyOf(res as Json, urn[1]!)
    prefixObj = k ? (res as Json)[k] : undefined
    rest = urn[2]!
  }
  const m = rest.match(/^([^[.]+)(?:\[(.+)\])?(?:\.(.+))?$/)
  if (!m) return []
  const [, attr, sub, tail] = m
  let cur: unknown[] = [prefixObj]
  const step = (name: string): void => {
    cur = cur.flatMap((o) => {
      if (o === null || typeof o !== 'object') return []
      const k = keyOf(o as Json, name)
      const v = k ? (o as Json)[k] : undefined
      return Array.isArray(v) ? v : v === undefined ? [] : [v]
    })
  }
  step(attr!)
  if (sub) {
    const f = parseFilter(sub)
    cur = cur.filter((o) => matches(o, f))
  }
  if (tail) for (const part of tail.split('.')) step(part)
  return cur
}

function caseExact(path: string): boolean {
  return /^(id|externalId)$/i.test(path)
}

function compare(actual: unknown, op: string, expected: unknown, exact: boolean): boolean {
  if (op === 'pr') return actual !== undefined && actual !== null
  if (typeof actual === 'boolean' && typeof expected === 'string') {
    expected =
      expected.toLowerCase() === 'true'
        ? true
        : expected.toLowerCase() === 'false'
          ? false
          : expected
  }
  let a = actual
  let e = expected
  if (typeof a === 'string' && typeof e === 'string' && !exact) {
    a = a.toLowerCase()
    e = e.toLowerCase()
  }
  switch (op) {
    case 'eq':
      return a === e
    case 'ne':
      return a !== e
    case 'co':
      return String(a).includes(String(e))
    case 'sw':
      return String(a).startsWith(String(e))
    case 'ew':
      return String(a).endsWith(String(e))
    case 'gt':
      return String(a) > String(e)
    case 'ge':
      return String(a) >= String(e)
    case 'lt':
      return String(a) < String(e)
    case 'le':
      return String(a) <= String(e)
  }
  return false
}

function matches(res: unknown, f: Filter): boolean {
  switch (f.kind) {
    case 'and':
      return matches(res, f.left) && matches(res, f.right)
    case 'or':
      return matches(res, f.left) || matches(res, f.right)
    case 'not':
      return !matches(res, f.inner)
    case 'cmp': {
      const values = valuesAt(res, f.path)
      if (f.op === 'ne') return values.every((v) => compare(v, 'ne', f.value, caseExact(f.path)))
      if (f.op === 'pr') return values.length > 0
      return values.some((v) => compare(v, f.op, f.value, caseExact(f.path)))
    }
  }
}

// ---- PATCH ---------------------------------------------------------------------------------

function asBool(v: unknown): unknown {
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true'
  return v
}

function dropNulls(body: Json): Json {
  const out: Json = {}
  for (const [k, v] of Object.entries(body)) {
    if (v === null) continue
    if (k.startsWith('urn:') && v && typeof v === 'object' && !Array.isArray(v))
      out[k] = dropNulls(v as Json)
    else out[k] = v
  }
  return out
}

function setPath(
  target: Json,
  path: string,
  value: unknown,
  op: 'add' | 'replace',
  top = true,
): void {
  if (top && ENTERPRISE_ATTRS.test(path)) {
    // Entra sends the single-valued manager as a one-element array: [{"$ref":…,"value":"id"}].
    if (path === 'manager') {
      const first = (Array.isArray(value) ? value[0] : value) as Json | string | undefined
      const id = typeof first === 'string' ? first : first?.value
      value = id === undefined || id === null || id === '' ? undefined : { value: id }
    }
    const ext = (target[ENTERPRISE] ??= {}) as Json
    if (value === undefined) delete ext[path.split('.')[0]!]
    else setPath(ext, path, value, op, false)
    return
  }
  const urn = path.match(/^(urn:[^[\]]+?):([^:]+)$/)
  if (urn && urn[1] !== USER && urn[1] !== GROUP) {
    const ext = (target[urn[1]!] ??= {}) as Json
    setPath(ext, urn[2]!, value, op, false)
    return
  }
  if (urn) path = urn[2]!
  const valuePath = path.match(/^([^[]+)\[(.+)\](?:\.(.+))?$/)
  if (valuePath) {
    const [, attr, sub, tail] = valuePath
    const k = keyOf(target, attr!) ?? attr!
    const list = Array.isArray(target[k]) ? (target[k] as Json[]) : []
    const f = parseFilter(sub!)
    const hits = list.filter((o) => matches(o, f))
    if (hits.length === 0) {
      if (op === 'replace') throw new ScimError(400, `No value matches ${path}`, 'noTarget')
      return
    }
    for (const hit of hits) {
      if (tail) hit[tail] = value
      else Object.assign(hit, value)
    }
    target[k] = list
    return
  }
  const [head, ...rest] = path.split('.')
  const k = keyOf(target, head!) ?? head!
  if (rest.length > 0) {
    const child = (
      target[k] && typeof target[k] === 'object' ? target[k] : (target[k] = {})
    ) as Json
    setPath(child, rest.join('.'), value, op, false)
    return
  }
  if (k === 'active') value = asBool(value)
  if (op === 'add' && Array.isArray(target[k]) && Array.isArray(value)) {
    const existing = target[k] as Json[]
    for (const v of value as Json[]) {
      if (!existing.some((e) => e.value !== undefined && e.value === v.value)) existing.push(v)
    }
  } else {
    target[k] = value
  }
}

function removePath(target: Json, path: string, value: unknown): void {
  const valuePath = path.match(/^([^[]+)\[(.+)\]$/)
  if (valuePath) {
    const k = keyOf(target, valuePath[1]!) ?? valuePath[1]!
    const f = parseFilter(valuePath[2]!)
    if (Array.isArray(target[k])) target[k] = (target[k] as Json[]).filter((o) => !matches(o, f))
    return
  }
  const k = keyOf(target, path) ?? path
  if (Array.isArray(target[k]) && Array.isArray(value)) {
    // Entra's legacy member removal: {"op":"Remove","path":"members","value":[{"value":"id"}]}
    const drop = new Set((value as Json[]).map((v) => v.value))
    target[k] = (target[k] as Json[]).filter((o) => !drop.has(o.value))
    return
  }
  if (path.includes('.')) {
    const [head, ...rest] = path.split('.')
    const child = target[keyOf(target, head!) ?? head!]
    if (child && typeof child === 'object') removePath(child as Json, rest.join('.'), value)
    return
  }
  delete target[k]
}

function applyPatch(resource: Rec, body: unknown): Rec {
  const ops = (body as Json)?.Operations
  if (!Array.isArray(ops))
    throw new ScimError(400, 'PatchOp needs an Operations array', 'invalidSyntax')
  const next = structuredClone(resource) as Rec
  for (const raw of ops as Json[]) {
    const op = String(raw.op ?? '').toLowerCase()
    const path = typeof raw.path === 'string' ? raw.path : undefined
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw new ScimError(400, `Unknown op "${String(raw.op)}"`, 'invalidSyntax')
    }
    if (op === 'remove') {
      if (!path) throw new ScimError(400, 'remove needs a path', 'noTarget')
      removePath(next, path, raw.value)
      continue
    }
    if (path) {
      setPath(next, path, raw.value, op)
    } else {
      if (!raw.value || typeof raw.value !== 'object')
        throw new ScimError(400, 'A PATCH without path needs an object value', 'invalidValue')
      for (const [k, v] of Object.entries(raw.value as Json)) {
        if (k === 'id' || k === 'meta' || k === 'schemas') continue
        if (
          v &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          !k.startsWith('urn:') &&
          op === 'replace'
        ) {
          for (const [sk, sv] of Object.entries(v as Json)) setPath(next, `${k}.${sk}`, sv, op)
        } else {
          setPath(next, k, v, op)
        }
      }
    }
  }
  next.id = resource.id
  return next
}

// ---- HTTP ----------------------------------------------------------------------------------

export async function startMemoryScimServer(
  opts: { token?: string } = {},
): Promise<MemoryScimServer> {
  const token = opts.token ?? `memory-test-${randomUUID()}`
  const users = new Map<string, Rec>()
  const groups = new Map<string, Rec>()
  let ownBase = ''

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): void => {
    if (body === undefined) {
      res.writeHead(status, headers).end()
      return
    }
    res
      .writeHead(status, { 'Content-Type': 'application/scim+json; charset=utf-8', ...headers })
      .end(JSON.stringify(body))
  }
  const list = (items: Json[], q: URLSearchParams): Json => {
    const startIndex = Math.max(1, Number(q.get('startIndex') ?? 1) || 1)
    const countRaw = q.get('count')
    const count = countRaw === null ? 100 : Math.max(0, Number(countRaw) || 0)
    const page = items.slice(startIndex - 1, startIndex - 1 + count)
    return {
      schemas: [LIST],
      totalResults: items.length,
      startIndex,
      itemsPerPage: page.length,
      Resources: page,
    }
  }
  /** attributes / excludedAttributes (RFC 7644 §3.4.2.5) on top-level names; id and schemas stay. */
  const project = (r: Json, q: URLSearchParams): Json => {
    const names = (v: string | null) =>
      (v ?? '')
        .split(',')
        .map((a) => a.trim().split('.')[0]!.toLowerCase())
        .filter(Boolean)
    const only = names(q.get('attributes'))
    const drop = names(q.get('excludedAttributes'))
    const out: Json = {}
    for (const [k, v] of Object.entries(r)) {
      const key = k.toLowerCase()
      const always = key === 'id' || key === 'schemas'
      if (!always && only.length > 0 && !only.includes(key)) continue
      if (!always && drop.includes(key)) continue
      out[k] = v
    }
    return out
  }
  const outUser = (u: Rec, q: URLSearchParams): Json => {
    const rest: Json = { ...u }
    delete rest.password
    return project(rest, q)
  }
  const outGroup = (g: Rec, q: URLSearchParams, base: string): Json =>
    project(
      {
        ...g,
        members: ((g.members as Json[]) ?? []).map((m) => ({
          ...m,
          $ref: `${base}/Users/${String(m.value)}`,
        })),
      },
      q,
    )
  const meta = (base: string, type: string, id: string, created?: unknown): Json => {
    const now = new Date().toISOString()
    return {
      resourceType: type,
      created: created ?? now,
      lastModified: now,
      location: `${base}/${type}s/${id}`,
    }
  }
  const uniqueUser = (userName: unknown, except?: string): void => {
    if (typeof userName !== 'string' || userName === '')
      throw new ScimError(400, 'userName is required', 'invalidValue')
    for (const u of users.values()) {
      if (u.id !== except && String(u.userName).toLowerCase() === userName.toLowerCase()) {
        throw new ScimError(409, `User ${userName} already exists`, 'uniqueness')
      }
    }
  }
  const cleanUser = (body: Json): Json => {
    const b = dropNulls(body)
    delete b.password // accepted and ignored: Okta always sends a placeholder
    delete b.groups // readOnly: computed from group membership
    delete b.meta
    delete b.id
    if ('active' in b) b.active = asBool(b.active)
    else b.active = true
    return b
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x')
    // Behind a proxy, resource URLs are built from the public host the client used.
    const fwdHost = req.headers['x-forwarded-host']
    const fwdProto = req.headers['x-forwarded-proto']
    const base =
      typeof fwdHost === 'string'
        ? `${typeof fwdProto === 'string' ? fwdProto : 'http'}://${fwdHost}/scim/v2`
        : ownBase
    const path = url.pathname.replace(/^\/scim\/v2/, '')
    const q = url.searchParams
    if (req.headers.authorization !== `Bearer ${token}`)
      throw new ScimError(401, 'A valid bearer token is required.')
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    let body: unknown
    if (text) {
      try {
        body = JSON.parse(text)
      } catch {
        throw new ScimError(400, 'The body is not valid JSON.', 'invalidSyntax')
      }
    }
    const m = req.method ?? 'GET'
    const [, collection, id, extra] = path.split('/')

    if (['ServiceProviderConfig', 'ResourceTypes', 'Schemas'].includes(collection ?? '')) {
      if (m !== 'GET')
        return send(res, 405, {
          schemas: [ERROR],
          status: '405',
          detail: 'Discovery endpoints are read-only.',
        })
      if (collection === 'ServiceProviderConfig') {
        return send(res, 200, {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
          patch: { supported: true },
          bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
          filter: { supported: true, maxResults: 100 },
          changePassword: { supported: false },
          sort: { supported: false },
          etag: { supported: false },
          authenticationSchemes: [
            {
              type: 'oauthbearertoken',
              name: 'Bearer token',
              description: 'Bearer token in the Authorization header',
            },
          ],
        })
      }
      if (collection === 'ResourceTypes') {
        return send(
          res,
          200,
          list(
            [
              {
                schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
                id: 'User',
                name: 'User',
                endpoint: '/Users',
                schema: USER,
                schemaExtensions: [{ schema: ENTERPRISE, required: false }],
              },
              {
                schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
                id: 'Group',
                name: 'Group',
                endpoint: '/Groups',
                schema: GROUP,
              },
            ],
            q,
          ),
        )
      }
      const attr = (name: string, extra: Json = {}): Json => ({
        name,
        type: 'string',
        multiValued: false,
        required: false,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'none',
        ...extra,
      })
      return send(
        res,
        200,
        list(
          [
            {
              id: USER,
              name: 'User',
              attributes: [
                attr('userName', { required: true, uniqueness: 'server' }),
                attr('displayName'),
                attr('active', { type: 'boolean' }),
              ],
            },
            {
              id: GROUP,
              name: 'Group',
              attributes: [
                attr('displayName', { required: true }),
                attr('members', { type: 'complex', multiValued: true }),
              ],
            },
            {
              id: ENTERPRISE,
              name: 'EnterpriseUser',
              attributes: [attr('department'), attr('manager', { type: 'complex' })],
            },
          ],
          q,
        ),
      )
    }

    if ((collection !== 'Users' && collection !== 'Groups') || extra !== undefined) {
      throw new ScimError(404, `No endpoint ${path}`)
    }
    const isUsers = collection === 'Users'
    const store = isUsers ? users : groups
    const type = isUsers ? 'User' : 'Group'
    const out = (r: Rec): Json => (isUsers ? outUser(r, q) : outGroup(r, q, base))

    if (!id) {
      if (m === 'GET') {
        let items = [...store.values()]
        const filter = q.get('filter')
        if (filter) {
          const f = parseFilter(filter)
          items = items.filter((r) => matches(r, f))
        }
        return send(res, 200, list(items.map(out), q))
      }
      if (m === 'POST') {
        if (!body || typeof body !== 'object')
          throw new ScimError(400, 'A JSON object body is required.', 'invalidSyntax')
        const newId = randomUUID()
        let rec: Rec
        if (isUsers) {
          const b = cleanUser(body as Json)
          uniqueUser(b.userName)
          rec = {
            ...b,
            schemas: (b.schemas as unknown[]) ?? [USER],
            id: newId,
            meta: meta(base, type, newId),
          }
        } else {
          const b = dropNulls(body as Json)
          if (typeof b.displayName !== 'string' || b.displayName === '')
            throw new ScimError(400, 'displayName is required', 'invalidValue')
          delete b.meta
          rec = {
            ...b,
            schemas: [GROUP],
            id: newId,
            members: Array.isArray(b.members) ? b.members : [],
            meta: meta(base, type, newId),
          }
        }
        store.set(newId, rec)
        return send(res, 201, out(rec), { Location: `${base}/${collection}/${newId}` })
      }
      throw new ScimError(405, `${m} is not allowed on /${collection}`)
    }

    const current = store.get(id)
    if (!current) throw new ScimError(404, `${type} ${id} not found`)
    if (m === 'GET') return send(res, 200, out(current))
    if (m === 'DELETE') {
      store.delete(id)
      if (isUsers)
        for (const g of groups.values())
          g.members = ((g.members as Json[]) ?? []).filter((x) => x.value !== id)
      return send(res, 204)
    }
    if (m === 'PUT') {
      if (!body || typeof body !== 'object')
        throw new ScimError(400, 'A JSON object body is required.', 'invalidSyntax')
      const b = isUsers ? cleanUser(body as Json) : dropNulls(body as Json)
      if (isUsers) uniqueUser(b.userName, id)
      delete b.meta
      const rec: Rec = { ...b, id, meta: meta(base, type, id, (current.meta as Json).created) }
      store.set(id, rec)
      return send(res, 200, out(rec))
    }
    if (m === 'PATCH') {
      const next = applyPatch(current, body)
      if (isUsers) {
        uniqueUser(next.userName, id)
        next.active = asBool(next.active)
      } else {
        next.members = ((next.members as Json[]) ?? []).map((x) => ({
          value: String(x.value),
          ...(x.display ? { display: x.display } : {}),
        }))
      }
      next.meta = meta(base, type, id, (current.meta as Json).created)
      store.set(id, next)
      return send(res, 200, out(next))
    }
    throw new ScimError(405, `${m} is not allowed here`)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof ScimError ? err : new ScimError(500, 'Internal error')
      send(
        res,
        e.status,
        {
          schemas: [ERROR],
          status: String(e.status),
          ...(e.scimType ? { scimType: e.scimType } : {}),
          detail: e.message,
        },
        e.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="scim"' } : {},
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  ownBase = `http://127.0.0.1:${port}/scim/v2`
  return {
    baseUrl: ownBase,
    token,
    users,
    groups,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
