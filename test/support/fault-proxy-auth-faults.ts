import {
  LIST,
  edit,
  error,
  filterOf,
  isList,
  json,
  kind,
  parse,
  withQuery,
  type Fault,
  type Json,
} from './fault-helpers.ts'

/** Faults in authentication, list shape, create, read and error answers. Part of the fault proxy's catalogue (fault-proxy.ts). */
export const authFaults = {
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
} satisfies Record<string, Fault>
