import {
  edit,
  emptyList,
  error,
  filterOf,
  isList,
  json,
  kind,
  parse,
  patchOps,
  type Fault,
  type Json,
} from './fault-helpers.ts'

/** Faults in PUT, PATCH, deactivation, DELETE and groups. Part of the fault proxy's catalogue (fault-proxy.ts). */
export const writeFaults = {
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
} satisfies Record<string, Fault>
