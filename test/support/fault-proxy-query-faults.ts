import {
  edit,
  emptyList,
  error,
  filterOf,
  isList,
  json,
  parse,
  withQuery,
  type Fault,
  type Json,
} from './fault-helpers.ts'

/** Faults in filters, paging and attribute selection. Part of the fault proxy's catalogue (fault-proxy.ts). */
export const queryFaults = {
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
  /** excludedAttributes is ignored. */
  'excluded-attributes-ignored': {
    request: (req) =>
      req.url.searchParams.has('excludedAttributes')
        ? withQuery(req, (q) => q.delete('excludedAttributes'))
        : req,
  },
} satisfies Record<string, Fault>
