import { edit, error, json, kind, parse, type Fault } from './fault-helpers.ts'

/** Faults in discovery, create validation and unknown endpoints. Part of the fault proxy's catalogue (fault-proxy.ts). */
export const validationFaults = {
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
} satisfies Record<string, Fault>
