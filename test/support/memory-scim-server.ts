import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A small SCIM 2.0 server that does what Okta, Entra and RFC 7644 expect, kept in memory. It is
 * the harness tests' oracle: every check must pass against it, and the fault proxy breaks exactly
 * one of its behaviours at a time.
 */

import {
  USER,
  GROUP,
  LIST,
  ERROR,
  ENTERPRISE,
  ScimError,
  type Json,
  type Rec,
} from './memory-scim-server-model.ts'
import { matches, parseFilter } from './memory-scim-server-filter.ts'
import { asBool, dropNulls, applyPatch } from './memory-scim-server-patch.ts'

export { parseFilter } from './memory-scim-server-filter.ts'

export interface MemoryScimServer {
  baseUrl: string
  token: string
  users: Map<string, Rec>
  groups: Map<string, Rec>
  close(): Promise<void>
}

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
