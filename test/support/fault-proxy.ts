import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real HTTP proxy in front of a correct SCIM server that breaks exactly one behaviour (a
 * "fault"), so each harness check can be shown to fail for the right reason. It also records
 * every request (for the read-only and cleanup tests) and can add latency (for the bench).
 */

import {
  LIST,
  SCIM,
  edit,
  emptyList,
  error,
  filterOf,
  isList,
  json,
  kind,
  parse,
  patchOps,
  withQuery,
  type Fault,
  type FaultContext,
  type Json,
  type ProxyRequest,
  type ProxyResponse,
} from './fault-helpers.ts'
import { groundTruthFaults } from './ground-truth-faults.ts'

export type { Fault, FaultContext, ProxyRequest, ProxyResponse } from './fault-helpers.ts'

export const faults = {
  /** Authentication is not enforced: the proxy puts the valid token on every request. */
  'auth-not-enforced': {
    request: (req, ctx) => ({
      ...req,
      headers: { ...req.headers, authorization: `Bearer ${ctx.token}` },
    }),
  },
  /** 401 comes back as an HTML page instead of a SCIM Error. */
  'auth-401-html': {
    response: (_req, res) =>
      res.status === 401
        ? {
            status: 401,
            headers: { 'content-type': 'text/html' },
            body: '<html><body>Unauthorized</body></html>',
          }
        : res,
  },
  /** Every request is refused: the token is not valid for this server. */
  'token-rejected': { request: () => error(401, 'Invalid token') },
  /** ListResponse counts are strings. */
  'list-counts-as-strings': {
    response: (req, res) =>
      isList(req)
        ? edit(res, (b) => {
            b.totalResults = String(b.totalResults)
            b.startIndex = String(b.startIndex)
            b.itemsPerPage = String(b.itemsPerPage)
          })
        : res,
  },
  /** Listed users come without emails. */
  'list-users-without-emails': {
    response: (req, res) =>
      isList(req)
        ? edit(res, (b) => {
            for (const r of (b.Resources as Json[]) ?? []) delete r.emails
          })
        : res,
  },
  /** Create answers 200 instead of 201. */
  'create-200': {
    response: (req, res) =>
      req.method === 'POST' && res.status === 201 && kind(req).collection === 'Users'
        ? { ...res, status: 200 }
        : res,
  },
  /** Create answers 201 with an empty body. */
  'create-empty-body': {
    response: (req, res) =>
      req.method === 'POST' && res.status === 201 && kind(req).collection === 'Users'
        ? { ...res, body: '', headers: {} }
        : res,
  },
  /** Create answers without a Location header. */
  'create-no-location': {
    response: (req, res) => {
      if (req.method !== 'POST') return res
      const headers = { ...res.headers }
      delete headers.location
      return { ...res, headers }
    },
  },
  /** The server stores (and answers) userName in a different case than sent. */
  'create-changes-user-name-case': {
    request: (req) => {
      if (req.method !== 'POST' || kind(req).collection !== 'Users') return req
      const b = parse(req.body)
      if (b && typeof b.userName === 'string') b.userName = b.userName.toUpperCase()
      return { ...req, body: JSON.stringify(b) }
    },
  },
  /** A duplicate userName is accepted: the 409 becomes a 201. */
  'duplicate-accepted': {
    response: async (req, res, ctx) => {
      if (req.method !== 'POST' || res.status !== 409) return res
      const b = parse(req.body)!
      const found = await ctx.forward({
        ...withQuery({ ...req, method: 'GET', body: '' }, (q) =>
          q.set('filter', `userName eq "${String(b.userName)}"`),
        ),
      })
      const user = (parse(found.body)?.Resources as Json[] | undefined)?.[0]
      return json(201, user)
    },
  },
  /** 409 without scimType. */
  'duplicate-without-scim-type': {
    response: (_req, res) => (res.status === 409 ? edit(res, (b) => delete b.scimType) : res),
  },
  /** GET /Users/{id} answers a ListResponse wrapping the user. */
  'get-returns-list': {
    response: (req, res) =>
      req.method === 'GET' && kind(req).collection === 'Users' && kind(req).id && res.status === 200
        ? json(200, { schemas: [LIST], totalResults: 1, Resources: [parse(res.body)] })
        : res,
  },
  /** Unknown resources give a framework HTML 404 page. */
  'not-found-html': {
    response: (_req, res) =>
      res.status === 404
        ? { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' }
        : res,
  },
  /** Error status is a JSON number. */
  'error-status-number': {
    response: (_req, res) =>
      res.status >= 400
        ? edit(res, (b) => {
            b.status = Number(b.status)
          })
        : res,
  },
  /** A filter that matches nothing answers 404. */
  'no-match-404': {
    response: (req, res) =>
      isList(req) && filterOf(req) && parse(res.body)?.totalResults === 0
        ? error(404, 'User not found')
        : res,
  },
  /** userName filters compare case-sensitively (the store is lower-case). */
  'filter-case-sensitive': {
    request: (req) =>
      isList(req) && /^userName eq "[^"]*[A-Z]/.test(filterOf(req)) ? json(200, emptyList) : req,
  },
  /** The filter parameter is ignored: everything comes back. */
  'filter-ignored': {
    request: (req) => (isList(req) ? withQuery(req, (q) => q.delete('filter')) : req),
  },
  /** Unquoted filter values are a parse error. */
  'filter-unquoted-rejected': {
    request: (req) =>
      isList(req) && / eq [^"]/.test(filterOf(req))
        ? error(400, 'Bad filter', 'invalidFilter')
        : req,
  },
  /** Value-path filters (emails[type eq "work"]) are a parse error. */
  'filter-value-path-rejected': {
    request: (req) =>
      isList(req) && filterOf(req).includes('[') ? error(400, 'Bad filter', 'invalidFilter') : req,
  },
  /** Unknown filter operators are ignored: 200 with everything. */
  'filter-invalid-accepted': {
    request: (req) =>
      isList(req) && / zz /.test(filterOf(req)) ? withQuery(req, (q) => q.delete('filter')) : req,
  },
  /** startIndex is treated as 0-based. */
  'pagination-zero-based': {
    // Reads startIndex as a 0-based offset (skipping one user) but echoes the value it was sent.
    request: (req) =>
      isList(req) && req.url.searchParams.has('startIndex')
        ? {
            ...withQuery(req, (q) => q.set('startIndex', String(Number(q.get('startIndex')) + 1))),
            headers: {
              ...req.headers,
              'x-requested-start-index': req.url.searchParams.get('startIndex')!,
            },
          }
        : req,
    response: (req, res) =>
      req.headers['x-requested-start-index']
        ? edit(res, (b) => {
            b.startIndex = Number(req.headers['x-requested-start-index'])
          })
        : res,
  },
  /** count is ignored. */
  'pagination-count-ignored': {
    request: (req) => (isList(req) ? withQuery(req, (q) => q.delete('count')) : req),
  },
  /** Each page is cut from a list rotated one step further per request: no stable order. */
  'pagination-unstable-order': {
    request: async (req, ctx) => {
      if (!isList(req) || filterOf(req)) return req
      const all = await ctx.forward(
        withQuery(req, (q) => {
          q.set('startIndex', '1')
          q.set('count', '100000')
        }),
      )
      const body = parse(all.body)!
      const items = (body.Resources as Json[]) ?? []
      const shift = (ctx.state.shift = Number(ctx.state.shift ?? 0) + 1) % Math.max(1, items.length)
      const rotated = [...items.slice(shift), ...items.slice(0, shift)]
      const start = Number(req.url.searchParams.get('startIndex') ?? 1)
      const count = Number(req.url.searchParams.get('count') ?? 100)
      const page = rotated.slice(start - 1, start - 1 + count)
      return json(200, { ...body, startIndex: start, itemsPerPage: page.length, Resources: page })
    },
  },
  /** PUT answers 204 without a body. */
  'put-204': {
    response: (req, res) =>
      req.method === 'PUT' && res.status === 200 ? { status: 204, headers: {}, body: '' } : res,
  },
  /** PUT stores active=false whatever was sent. */
  'put-deactivates': {
    request: (req) => {
      if (req.method !== 'PUT') return req
      const b = parse(req.body)
      if (b) b.active = false
      return { ...req, body: JSON.stringify(b) }
    },
  },
  /** PATCH answers 200 with the unchanged resource without applying anything. */
  'patch-ignored': {
    request: async (req, ctx) =>
      req.method === 'PATCH' ? ctx.forward({ ...req, method: 'GET', body: '' }) : req,
  },
  /** PATCH operations without a path are rejected. */
  'patch-no-path-rejected': {
    request: (req) =>
      req.method === 'PATCH' && patchOps(req).some((o) => o.path === undefined)
        ? error(400, 'path is required', 'noTarget')
        : req,
  },
  /** PATCH ops must be lower-case. */
  'patch-op-case-sensitive': {
    request: (req) =>
      req.method === 'PATCH' && patchOps(req).some((o) => o.op !== String(o.op).toLowerCase())
        ? error(400, 'Unknown op', 'invalidSyntax')
        : req,
  },
  /** The string "False" is stored as truthy. */
  'patch-string-boolean-truthy': {
    request: (req) => {
      if (req.method !== 'PATCH') return req
      const b = parse(req.body)!
      for (const o of (b.Operations as Json[]) ?? [])
        if (typeof o.value === 'string' && /^false$/i.test(o.value)) o.value = true
      return { ...req, body: JSON.stringify(b) }
    },
  },
  /** Deactivation deletes the user. */
  'deactivate-deletes': {
    request: async (req, ctx) => {
      if (
        req.method !== 'PATCH' ||
        kind(req).collection !== 'Users' ||
        !/"active":\s*(false|"False")|"value":"False"/.test(req.body)
      )
        return req
      await ctx.forward({ ...req, method: 'DELETE', body: '' })
      return { status: 204, headers: {}, body: '' }
    },
  },
  /** Inactive users are left out of filter results. */
  'inactive-hidden': {
    response: (req, res) =>
      isList(req) && filterOf(req)
        ? edit(res, (b) => {
            const kept = ((b.Resources as Json[]) ?? []).filter((r) => r.active !== false)
            b.Resources = kept
            b.totalResults = kept.length
            b.itemsPerPage = kept.length
          })
        : res,
  },
  /** DELETE answers 204 but deletes nothing. */
  'delete-noop': {
    request: (req) => (req.method === 'DELETE' ? { status: 204, headers: {}, body: '' } : req),
  },
  /** DELETE is not supported at all. */
  'delete-refused': {
    request: (req) => (req.method === 'DELETE' ? error(405, 'DELETE is not supported') : req),
  },
  /** GET /Groups is not implemented. */
  'groups-list-404': {
    request: (req) =>
      isList(req, 'Groups') && !filterOf(req) ? error(404, 'No such endpoint') : req,
  },
  /** Group create answers 200. */
  'group-create-200': {
    response: (req, res) =>
      req.method === 'POST' && kind(req).collection === 'Groups' && res.status === 201
        ? { ...res, status: 200 }
        : res,
  },
  /** displayName filters find nothing. */
  'group-filter-empty': {
    request: (req) => (isList(req, 'Groups') && filterOf(req) ? json(200, emptyList) : req),
  },
  /** Member removals are acknowledged but not applied. */
  'group-remove-ignored': {
    request: (req) =>
      req.method === 'PATCH' &&
      kind(req).collection === 'Groups' &&
      patchOps(req).some((o) => String(o.op).toLowerCase() === 'remove')
        ? { status: 204, headers: {}, body: '' }
        : req,
  },
  /** A group replace that does not mention members empties the group. */
  'group-replace-empties-members': {
    request: (req) => {
      if (req.method !== 'PATCH' || kind(req).collection !== 'Groups') return req
      const b = parse(req.body)!
      const ops = (b.Operations as Json[]) ?? []
      if (
        ops.some(
          (o) =>
            String(o.op).toLowerCase() === 'replace' && !String(o.path ?? '').startsWith('members'),
        )
      ) {
        ops.push({ op: 'replace', path: 'members', value: [] })
      }
      return { ...req, body: JSON.stringify(b) }
    },
  },
  /** Group DELETE answers 204 but deletes nothing. */
  'group-delete-noop': {
    request: (req) =>
      req.method === 'DELETE' && kind(req).collection === 'Groups'
        ? { status: 204, headers: {}, body: '' }
        : req,
  },
  /** Responses are text/plain. */
  'content-type-text': {
    response: (_req, res) =>
      res.body ? { ...res, headers: { ...res.headers, 'content-type': 'text/plain' } } : res,
  },
  /** Every answer takes `slowMs` (set through state). */
  slow: {
    response: async (_req, res, ctx) => {
      await new Promise((r) => setTimeout(r, Number(ctx.state.slowMs ?? 300)))
      return res
    },
  },
  /** The first POST /Users gets 429 without Retry-After. */
  'rate-limit-without-retry-after': {
    request: (req, ctx) => {
      if (req.method !== 'POST' || ctx.state.limited) return req
      ctx.state.limited = true
      return error(429, 'Too many requests')
    },
  },
  /** The first POST /Users gets 429 with Retry-After: 1. */
  'rate-limit-with-retry-after': {
    request: (req, ctx) => {
      if (req.method !== 'POST' || ctx.state.limited) return req
      ctx.state.limited = true
      return {
        ...error(429, 'Too many requests'),
        headers: { 'content-type': SCIM, 'retry-after': '1' },
      }
    },
  },
  /** One GET /Users/{id} hangs for `hangMs` (default 2 s) before answering. */
  'hang-once': {
    request: async (req, ctx) => {
      if (req.method !== 'GET' || !kind(req).id || ctx.state.hung) return req
      ctx.state.hung = true
      await new Promise((r) => setTimeout(r, Number(ctx.state.hangMs ?? 2000)))
      return req
    },
  },
  /** One GET /Users/{id} answers 503. */
  'server-error-once': {
    request: (req, ctx) => {
      if (req.method !== 'GET' || !kind(req).id || ctx.state.failed) return req
      ctx.state.failed = true
      return error(503, 'Service unavailable')
    },
  },
  /** PATCH on path "manager" is refused. */
  'manager-path-rejected': {
    request: (req) =>
      req.method === 'PATCH' && patchOps(req).some((o) => o.path === 'manager')
        ? error(400, "Invalid path 'manager'", 'invalidPath')
        : req,
  },
  /** Dotted keys inside a no-path replace value are silently dropped. */
  'patch-dotted-keys-dropped': {
    request: (req) => {
      if (req.method !== 'PATCH') return req
      const b = parse(req.body)!
      for (const o of (b.Operations as Json[]) ?? []) {
        if (o.path === undefined && o.value && typeof o.value === 'object') {
          for (const k of Object.keys(o.value as Json))
            if (k.includes('.') && !k.startsWith('urn:')) delete (o.value as Json)[k]
        }
      }
      return { ...req, body: JSON.stringify(b) }
    },
  },
  /** User PATCH "remove" operations are acknowledged but not applied. */
  'patch-remove-ignored': {
    request: (req) =>
      req.method === 'PATCH' &&
      kind(req).collection === 'Users' &&
      patchOps(req).some((o) => String(o.op).toLowerCase() === 'remove')
        ? { status: 204, headers: {}, body: '' }
        : req,
  },
  /** excludedAttributes is ignored. */
  'excluded-attributes-ignored': {
    request: (req) =>
      req.url.searchParams.has('excludedAttributes')
        ? withQuery(req, (q) => q.delete('excludedAttributes'))
        : req,
  },
  /** The server answers create with the id the client sent. */
  'client-id-honoured': {
    response: (req, res) => {
      const sent = req.method === 'POST' ? parse(req.body)?.id : undefined
      return typeof sent === 'string' && res.status === 201
        ? edit(res, (b) => {
            b.id = sent
          })
        : res
    },
  },
  /** Discovery endpoints are missing. */
  'discovery-missing': {
    request: (req) =>
      /\/(ServiceProviderConfig|ResourceTypes|Schemas)/.test(req.url.pathname)
        ? error(404, 'Not found')
        : req,
  },
  /** POST on discovery endpoints succeeds. */
  'discovery-writable': {
    request: (req) =>
      req.method === 'POST' && /ServiceProviderConfig/.test(req.url.pathname) ? json(200, {}) : req,
  },
  /** Explicit nulls are rejected on create. */
  'nulls-rejected': {
    request: (req) =>
      req.method === 'POST' && /:null/.test(req.body)
        ? error(400, 'Attribute phoneNumbers must be an array', 'invalidValue')
        : req,
  },
  /** A user without userName is created anyway (the server invents one). */
  'missing-user-name-accepted': {
    request: (req) => {
      const b = parse(req.body)
      if (
        req.method !== 'POST' ||
        kind(req).collection !== 'Users' ||
        !b ||
        b.userName !== undefined
      )
        return req
      b.userName = `${String(b.displayName ?? 'anon')}@invented.example`
      return { ...req, body: JSON.stringify(b) }
    },
  },
  /** Malformed JSON crashes the server. */
  'malformed-json-500': {
    request: (req) =>
      req.body && !parse(req.body)
        ? { status: 500, headers: { 'content-type': 'text/plain' }, body: 'SyntaxError' }
        : req,
  },
  /** Unknown endpoints answer 200. */
  'unknown-endpoint-200': {
    request: (req) => (/ScimcNoSuchEndpoint/.test(req.url.pathname) ? json(200, {}) : req),
  },
  ...groundTruthFaults,
  /** Every request gets a 200 HTML page: not a SCIM server at all. */
  'html-site': {
    request: () => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><title>Welcome</title>',
    }),
  },
} satisfies Record<string, Fault>

export type FaultName = keyof typeof faults

export interface RecordedRequest {
  method: string
  path: string
}

export interface FaultProxy {
  baseUrl: string
  requests: RecordedRequest[]
  state: Record<string, unknown>
  close(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export interface FaultProxyOptions {
  target: string
  token: string
  fault?: FaultName
  latencyMs?: number
  state?: Record<string, unknown>
}

/** Runs `fn` with a proxy in front of `target` and closes the proxy however `fn` ends. */
export async function withFaultProxy<T>(
  opts: FaultProxyOptions,
  fn: (proxy: FaultProxy) => Promise<T>,
): Promise<T> {
  const proxy = await startFaultProxy(opts)
  try {
    return await fn(proxy)
  } finally {
    await proxy.close()
  }
}

/**
 * Starts the proxy on 127.0.0.1 port 0. `target` is the upstream SCIM base URL; the proxy keeps
 * its path, so `${proxy.baseUrl}` is a drop-in replacement.
 */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(opts.target)
  const fault: Fault = opts.fault ? faults[opts.fault] : {}
  const requests: RecordedRequest[] = []
  const state = opts.state ?? {}
  const forward = async (req: ProxyRequest): Promise<ProxyResponse> => {
    const url = `${upstream.origin}${req.url.pathname}${req.url.search}`
    const headers: Record<string, string> = { ...req.headers }
    // A well-configured reverse proxy tells the server the public host the client used.
    if (req.headers.host) headers['x-forwarded-host'] = req.headers.host
    headers['x-forwarded-proto'] = 'http'
    delete headers.host
    delete headers['content-length']
    const res = await fetch(url, {
      method: req.method,
      headers,
      body: req.body && req.method !== 'GET' && req.method !== 'DELETE' ? req.body : undefined,
    })
    const out: Record<string, string> = {}
    res.headers.forEach((v, k) => {
      if (
        k !== 'content-length' &&
        k !== 'transfer-encoding' &&
        k !== 'connection' &&
        k !== 'keep-alive'
      )
        out[k] = v
    })
    return { status: res.status, headers: out, body: await res.text() }
  }
  const ctx: FaultContext = { forward, token: opts.token, state }
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req)
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
        let preq: ProxyRequest = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', upstream.origin),
          headers,
          body,
        }
        requests.push({ method: preq.method, path: `${preq.url.pathname}${preq.url.search}` })
        if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs))
        let pres: ProxyResponse
        const r = fault.request ? await fault.request(preq, ctx) : preq
        if ('status' in r) pres = r
        else {
          preq = r
          pres = await forward(preq)
          if (fault.response) pres = await fault.response(preq, pres, ctx)
        }
        const outHeaders = Object.fromEntries(
          Object.entries(pres.headers).filter(([k, v]) => v !== '' && k !== 'content-length'),
        )
        res.writeHead(pres.status, outHeaders).end(pres.status === 204 ? undefined : pres.body)
      } catch (err) {
        res
          .writeHead(502, { 'content-type': 'text/plain' })
          .end(`fault proxy: ${(err as Error).message}`)
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname.replace(/(?<!\/)\/+$/, '')}`,
    requests,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
