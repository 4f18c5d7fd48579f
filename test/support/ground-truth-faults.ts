import {
  edit,
  emptyList,
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

/**
 * Faults of the checks that judge a server against what the harness wrote: import-scale lists,
 * identity across change, responses that point at the tenant, id encoding.
 */
export const groundTruthFaults = {
  /** totalResults is the size of the current page (Okta and Entra stop after page 1). */
  'total-results-page-size': {
    response: (req, res) =>
      isList(req) || isList(req, 'Groups')
        ? edit(res, (b) => {
            b.totalResults = ((b.Resources as unknown[]) ?? []).length
          })
        : res,
  },
  /** totalResults is capped at the server's page limit (state.cap, default 10). */
  'total-results-capped': {
    response: (req, res, ctx) =>
      isList(req) || isList(req, 'Groups')
        ? edit(res, (b) => {
            b.totalResults = Math.min(Number(b.totalResults), Number(ctx.state.cap ?? 10))
          })
        : res,
  },
  /** ListResponses come without itemsPerPage. */
  'items-per-page-missing': {
    response: (req, res) =>
      isList(req) || isList(req, 'Groups') ? edit(res, (b) => delete b.itemsPerPage) : res,
  },
  /** /Groups ignores startIndex and count: every page is all groups. */
  'groups-count-ignored': {
    request: (req) =>
      isList(req, 'Groups')
        ? withQuery(req, (q) => {
            q.delete('count')
            q.delete('startIndex')
          })
        : req,
  },
  /** Location, meta.location and $ref name the internal host behind the load balancer. */
  'internal-host-location': {
    response: (req, res) => {
      const pub = `http://${req.headers.host ?? ''}`
      const internal = 'http://scim-internal.lb.local:8080'
      const out = { ...res, body: res.body.split(pub).join(internal) }
      if (res.headers.location)
        out.headers = { ...res.headers, location: res.headers.location.split(pub).join(internal) }
      return out
    },
  },
  /**
   * userName is really the first e-mail (a shipping directory-sync product): the userName filter
   * compares e-mails and uniqueness is keyed on the e-mail.
   */
  'user-name-is-email': {
    request: (req) => {
      const m = isList(req) ? /^userName eq "([^"]*)"$/.exec(filterOf(req)) : null
      return m ? withQuery(req, (q) => q.set('filter', `emails.value eq "${m[1]}"`)) : req
    },
    response: async (req, res, ctx) => {
      if (req.method !== 'POST' || kind(req).collection !== 'Users' || res.status !== 409)
        return res
      const b = parse(req.body)
      const email = String(((b?.emails as Json[] | undefined) ?? [])[0]?.value ?? '')
      const sameMail = await ctx.forward(
        withQuery({ ...req, method: 'GET', body: '' }, (q) =>
          q.set('filter', `emails.value eq "${email}"`),
        ),
      )
      if (Number(parse(sameMail.body)?.totalResults ?? 0) > 0) return res
      const other = await ctx.forward(
        withQuery({ ...req, method: 'GET', body: '' }, (q) =>
          q.set('filter', `userName eq "${String(b?.userName)}"`),
        ),
      )
      return json(201, (parse(other.body)?.Resources as Json[] | undefined)?.[0])
    },
  },
  /** The lookup index is not updated on rename: the new name is not found, the old one is. */
  'stale-rename-index': {
    request: async (req, ctx) => {
      const { collection, id } = kind(req)
      const attr = collection === 'Groups' ? 'displayName' : 'userName'
      if ((req.method === 'PUT' || req.method === 'PATCH') && id) {
        const cur = await ctx.forward({ ...req, method: 'GET', body: '' })
        const old = parse(cur.body)?.[attr]
        return { ...req, headers: { ...req.headers, 'x-old-name': String(old) } }
      }
      const m =
        isList(req, collection ?? 'Users') &&
        new RegExp(`^${attr} eq "([^"]*)"$`).exec(filterOf(req))
      if (!m) return req
      const renames = (ctx.state.renames ??= []) as Array<{ old: string; now: string }>
      if (renames.some((r) => r.now === m[1])) return json(200, emptyList)
      const r = renames.find((x) => x.old === m[1])
      return r ? withQuery(req, (q) => q.set('filter', `${attr} eq "${r.now}"`)) : req
    },
    response: async (req, res, ctx) => {
      const old = req.headers['x-old-name']
      if (!old || res.status >= 300) return res
      const cur = await ctx.forward({ ...req, method: 'GET', body: '' })
      const attr = kind(req).collection === 'Groups' ? 'displayName' : 'userName'
      const now = String(parse(cur.body)?.[attr])
      if (now !== old) ((ctx.state.renames ??= []) as unknown[]).push({ old, now })
      return res
    },
  },
  /** attributes and excludedAttributes are ignored: whole resources come back. */
  'attributes-ignored': {
    request: (req) =>
      req.method === 'GET'
        ? withQuery(req, (q) => {
            q.delete('attributes')
            q.delete('excludedAttributes')
          })
        : req,
  },
  /** 401 without WWW-Authenticate. */
  'www-authenticate-missing': {
    response: (_req, res) => {
      if (res.status !== 401) return res
      const headers = { ...res.headers }
      delete headers['www-authenticate']
      return { ...res, headers }
    },
  },
  /** meta.lastModified never moves: it always equals meta.created. */
  'last-modified-frozen': {
    response: (_req, res) =>
      edit(res, (b) => {
        for (const r of [b, ...((b.Resources as Json[] | undefined) ?? [])]) {
          const meta = r.meta as Json | undefined
          if (meta?.created) meta.lastModified = meta.created
        }
      }),
  },
  /** Only eq works although /ServiceProviderConfig advertises filtering. */
  'filter-operators-eq-only': {
    request: (req) =>
      isList(req) &&
      /\b(sw|co|ew|ne|gt|ge|lt|le|pr|or|not)\b/.test(filterOf(req).replace(/"[^"]*"/g, '""'))
        ? error(400, 'Only eq is supported', 'invalidFilter')
        : req,
  },
  /** POST /Users answers with another, existing user (state.foreignId) instead of the new one. */
  'create-answers-foreign-user': {
    response: async (req, res, ctx) => {
      if (req.method !== 'POST' || kind(req).collection !== 'Users' || res.status !== 201)
        return res
      const other = await ctx.forward({
        ...req,
        method: 'GET',
        body: '',
        url: new URL(`${req.url.pathname}/${String(ctx.state.foreignId)}`, req.url),
      })
      return { ...res, body: other.body }
    },
  },
  /**
   * Ids carry characters that must be encoded in a path ("#", "/"): a client that puts an id into
   * a path unencoded loses the rest at "#" and gets 404.
   */
  'ids-need-encoding': {
    request: (req) => {
      const { collection, id } = kind(req)
      if (!id) return req
      const raw = decodeURIComponent(id)
      if (!raw.endsWith('#a/b')) return error(404, `No ${collection} ${raw}`)
      const url = new URL(req.url)
      url.pathname = url.pathname.replace(`/${id}`, `/${raw.slice(0, -4)}`)
      return { ...req, url }
    },
    response: (_req, res) => ({
      ...res,
      body: res.body.replace(/"id":"([0-9a-f-]{36})"/g, '"id":"$1#a/b"'),
    }),
  },
} satisfies Record<string, Fault>
